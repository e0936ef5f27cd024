import ArgumentParser
import CFileSystem
import ConfidePipeline
#if canImport(Glibc)
import Glibc
#endif

/// The `confide` command: de-identified weekly outcome and caseload reports.
@main
struct Confide: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "confide",
        abstract: "Weekly outcome and caseload reports for therapy practices, with no identifiable client data.",
        discussion: "Start with 'confide demo'. Exit codes are listed in docs/operations.md.",
        version: confideVersion,
        subcommands: [DemoCommand.self, InitCommand.self, SynthCommand.self, IngestCommand.self, RunCommand.self,
                      BudgetCommand.self, AuditCommand.self, RunsCommand.self, QuarantineCommand.self,
                      AnonymizeCommand.self, RiskCommand.self, CaseCommand.self,
                      ForgetCommand.self, PurgeCommand.self]
    )

    /// Runs the command under umask 077: the store, its WAL and journal, the exports `synth`
    /// writes and every folder confide creates are for the practice's own user only.
    static func main() {
        umask(0o077)
        // Line-buffered standard output even into a pipe or file (journald, cron mail): a killed
        // run keeps every line it printed.
        confide_line_buffer_stdout()
        main(nil)
    }
}
