import ArgumentParser
import ConfidePipeline
import Foundation

/// `confide case`.
struct CaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case",
        abstract: "Find the case behind a case-list code, inside the practice (dates and counts to look it up by).",
        discussion: "Codes are keyed with the practice key: only this workspace can map them back. The output is for the therapist's own screen; nothing is logged.")

    @OptionGroup var options: ConfigOptions

    @Argument(help: "The code from a case list, for example case-kqtz-bmwd.")
    var code: String

    @Flag(help: "Print one JSON object: {code, period, therapist, received, ended, attended, first_attended, latest_attended}.")
    var json = false

    func run() throws {
        let configuration = try options.load()
        let workspace = try failing { try Workspace(configuration: configuration, logger: makeLogger(quiet: true)) }
        guard let found = try failing({ try workspace.lookUpCase(code) }) else {
            FileHandle.standardError.write(Data("confide: no published case list of this workspace holds that code (or its referral has left the store)\n".utf8))
            throw ExitCode(66)
        }
        if json {
            print(jsonText(["code": found.code, "period": found.period, "therapist": found.therapist, "received": found.received,
                            "ended": found.ended ?? NSNull(), "attended": found.attended, "first_attended": found.firstAttended ?? NSNull(),
                            "latest_attended": found.latestAttended ?? NSNull()] as [String: Any]))
            return
        }
        print("\(found.code) in the case list of \(found.therapist) for \(found.period):")
        print("  referral received \(found.received)" + (found.ended.map { ", ended \($0)" } ?? ", still open"))
        print("  \(found.attended) attended appointment(s)" + (found.firstAttended.map { ", first \($0), latest \(found.latestAttended ?? $0)" } ?? ""))
    }
}
