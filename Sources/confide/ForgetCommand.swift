import ArgumentParser
import ConfidePipeline
import Foundation

/// `confide forget`.
struct ForgetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget",
        abstract: "Erase one client: delete every stored row of the client and keep only a keyed tombstone, so re-ingests skip it.",
        discussion: """
            The id is the practice system's client id. It is turned into its pseudonym under the practice key and then into a \
            tombstone of its own; neither the id nor the pseudonym is stored, logged or printed. The deletion is one transaction, \
            and the deleted bytes are then removed from the store's files (checkpoint and VACUUM). Releases already published \
            are not changed (docs/privacy.md, "Erasure"). Exit 75 when a run holds the lock.
            """)

    @OptionGroup var options: ConfigOptions

    @Option(name: .customLong("client-id"), help: ArgumentHelp("The practice system's client id; '-' reads it from the first line of standard input (kept out of the process list and shell history).", valueName: "id"))
    var clientID: String

    @Flag(help: "Print one JSON object: {referrals, appointments, measures, waiting, rows, already_forgotten}.")
    var json = false

    func validate() throws {
        if clientID.trimmingCharacters(in: CharacterSet(charactersIn: " \t")).isEmpty { throw ValidationError("--client-id must not be empty") }
    }

    func run() throws {
        let configuration = try options.load()
        let id = try failing { try resolvedID() }
        let report = try failing {
            try Workspace.locked(configuration, logger: makeLogger(quiet: json)) { try $0.loggedForget(clientID: id) }
        }
        if json {
            print(jsonText(["referrals": report.referrals, "appointments": report.appointments, "measures": report.measures,
                            "waiting": report.waiting, "rows": report.rows, "already_forgotten": report.alreadyForgotten]))
            return
        }
        if report.rows == 0 {
            print("no rows of this client were stored\(report.alreadyForgotten ? " (it was forgotten before)" : " (check the id: the practice system's client id)"); it is remembered as forgotten, so no ingest will load it")
        } else {
            print("forgot one client: deleted \(report.referrals) referrals, \(report.appointments) appointments, \(report.measures) scores and \(report.waiting) waiting rows; the store's files no longer hold them")
            print("re-ingests skip the client's rows (counted as forgotten); published releases are not changed (docs/privacy.md, \"Erasure\")")
        }
    }

    /// The id given, or the first line of standard input for `-`, without leading and trailing
    /// spaces and tabs (as ingest reads an id).
    private func resolvedID() throws -> String {
        guard clientID == "-" else { return clientID.trimmingCharacters(in: CharacterSet(charactersIn: " \t")) }
        guard let line = readLine(strippingNewline: true)?.trimmingCharacters(in: CharacterSet(charactersIn: " \t")), !line.isEmpty else {
            throw ConfideError(.usage, "--client-id -: standard input held no id")
        }
        return line
    }
}
