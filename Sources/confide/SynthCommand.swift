import ArgumentParser
import ConfideModel
import ConfidePipeline
import ConfideSynth
import Foundation

/// `confide synth --out DIR`.
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Write a synthetic practice in the canonical export format.",
        discussion: "Deterministic: the same seed, size and last day give the same files.")

    @Option(help: ArgumentHelp("The folder to write referrals.csv, appointments.csv and measures.csv into.", valueName: "dir"))
    var out: String

    @Option(help: "Distinct clients.")
    var clients: Int = 1_200

    @Option(help: "Weeks of history.")
    var weeks: Int = 104

    @Option(help: "The seed of the synthetic data (never of privacy noise).")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("The last day of data, YYYY-MM-DD (default: the end of the last complete ISO week).", valueName: "date"))
    var lastDay: String?

    @Option(help: "Therapists (default: clients / 100, between 6 and 40).")
    var therapists: Int?

    @Flag(help: "Write into an output folder that already holds files (they may be overwritten).")
    var force = false

    func validate() throws {
        guard clients >= 1, clients <= 20_000_000 else { throw ValidationError("--clients must be between 1 and 20000000") }
        guard weeks >= 1, weeks <= 1_040 else { throw ValidationError("--weeks must be between 1 and 1040") }
        if let therapists, !(1...500).contains(therapists) { throw ValidationError("--therapists must be between 1 and 500") }
        if let lastDay, Day(iso: lastDay) == nil { throw ValidationError("--last-day must be a date YYYY-MM-DD") }
    }

    func run() throws {
        let last = lastDay.flatMap { Day(iso: $0) }
            ?? ISOWeek.lastComplete(before: Day.today(in: TimeZone(identifier: "Europe/London")!)).end
        let summary = try failing {
            let existing = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
            guard force || existing.isEmpty else {
                throw ConfideError(.cannotCreate, "\(out) already holds \(existing.count) file(s) (\(existing.sorted().prefix(3).joined(separator: ", "))\(existing.count > 3 ? ", …" : "")); synth never overwrites a folder's files. Give a new or empty folder, or --force to overwrite.")
            }
            do {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                return try PracticeSynthesizer.write(to: out, options: SynthOptions(clients: clients, weeks: weeks, seed: seed,
                                                                                     lastDay: last, therapists: therapists))
            } catch let error as SynthError {
                throw ConfideError(.cannotCreate, error.description)
            } catch let error as CocoaError {
                throw ConfideError(.cannotCreate, "cannot create \(out): \(error.localizedDescription)")
            }
        }
        print("wrote \(out): \(summary.referrals) referrals, \(summary.appointments) appointments, \(summary.measures) scores, \(summary.therapists) therapists, \(summary.firstDay) to \(summary.lastDay)")
    }
}
