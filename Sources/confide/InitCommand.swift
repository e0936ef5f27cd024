import ArgumentParser
import ConfideIngest
import ConfidePipeline

/// `confide init [DIR] [--preset NAME]`.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a commented confide.toml and a new practice key (mode 0600) into a folder.",
        discussion: """
            An existing configuration or key is never overwritten. With --preset, the configuration \
            maps that practice system's export (file names, columns, status and other words); \
            docs/presets.md describes each. Presets: \(Preset.all.map(\.name).joined(separator: ", ")).
            """)

    @Argument(help: "The folder to initialise.")
    var directory: String = "."

    @Option(help: "The practice's name, shown on reports.")
    var name: String = "My practice"

    @Option(help: ArgumentHelp("A practice system's export mapping: \(Preset.all.map(\.name).joined(separator: ", ")).", valueName: "name"))
    var preset: String?

    @Option(name: .customLong("store-url"),
            help: ArgumentHelp("For a new configuration: keep the store in this PostgreSQL database (postgresql://USER@HOST:PORT/DB, no password; docs/operations.md) instead of an SQLite file.", valueName: "url"))
    var storeURL: String?

    func run() throws {
        var chosen: Preset?
        if let preset {
            guard let found = Preset.named(preset) else {
                printError("unknown preset '\(preset.prefix(40))'. Presets: \(Preset.all.map(\.name).joined(separator: ", ")).")
                throw ExitCode(ExitStatus.usage.rawValue)
            }
            chosen = found
        }
        let result = try failing { try Initialiser.initialise(directory: directory, practiceName: name, preset: chosen, storeURL: storeURL) }
        print(result.wroteConfiguration ? "wrote \(result.configuration)" : "kept existing \(result.configuration)")
        if let chosen, result.wroteConfiguration { print("mapped for preset \(chosen.name): check column names and value maps against your export") }
        print(result.createdKey ? "created key \(result.keyFile) (mode 0600): back it up, never share it" : "kept existing key \(result.keyFile)")
        if let store = result.postgres {
            print(store.createdSchema ? "created the confide store in PostgreSQL \(store.server)" : "kept the existing confide store in PostgreSQL \(store.server)")
            print("""
                next: this version of confide creates and checks a PostgreSQL store; ingest and runs on it come in a later \
                version (docs/architecture.md, "PostgreSQL"). For now keep the practice on an SQLite store ([store] path).
                """)
            return
        }
        print("""
            next:
              1. put the practice system's exports in \(result.exports) (docs/input-format.md, or --preset for its own names)
              2. confide ingest --config \(result.configuration)    # check every row is accounted for
              3. confide run --config \(result.configuration)       # publishes the last complete ISO week
            """)
    }
}
