import ArgumentParser
import ConfidePipeline
import ConfidePublish

/// `confide audit PATH…`.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Scan files or folders for identifiers with the publication leak audit.",
        discussion: """
        Rules: NHS numbers (mod-11), emails, UK phone numbers, full and sector postcodes, National Insurance numbers, \
        and dates other than period boundaries (Mondays and Sundays). With --config, also any source identifier \
        (pseudonymised under the practice key and looked up in the store). Findings name file, line and rule, never the value. \
        Exit 81 when anything is found.
        """)

    @Argument(help: "Files or folders to scan.")
    var paths: [String]

    @Option(help: ArgumentHelp("A practice configuration, to check source identifiers too.", valueName: "file"))
    var config: String?

    func run() throws {
        let findings = try failing {
            var audit = LeakAudit()
            var workspace: Workspace?
            if let config {
                workspace = try Workspace(configuration: try Configuration(path: config), logger: makeLogger(quiet: true))
                audit.isSourceIdentifier = workspace!.sourceIdentifierTest()
            }
            var all: [(String, LeakFinding)] = []
            for path in paths {
                do {
                    all += try audit.scan(path: path).map { (path, $0) }
                } catch {
                    throw ConfideError(.noInput, "cannot read \(path)")
                }
            }
            return all
        }
        for (path, finding) in findings { print("\(path): \(finding)") }
        if findings.isEmpty {
            print("audit passed: \(paths.count) path(s), no identifiers found")
        } else {
            printError("audit failed: \(findings.count) finding(s)")
            throw ExitCode(ExitStatus.auditFailed.rawValue)
        }
    }
}
