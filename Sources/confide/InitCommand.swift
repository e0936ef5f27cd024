import ArgumentParser
import ConfidePipeline

/// `confide init [DIR]`.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a commented confide.toml and a new practice key (mode 0600) into a folder.",
        discussion: "An existing configuration or key is never overwritten.")

    @Argument(help: "The folder to initialise.")
    var directory: String = "."

    @Option(help: "The practice's name, shown on reports.")
    var name: String = "My practice"

    func run() throws {
        let result = try failing { try Initialiser.initialise(directory: directory, practiceName: name) }
        print(result.wroteConfiguration ? "wrote \(result.configuration)" : "kept existing \(result.configuration)")
        print(result.createdKey ? "created key \(result.keyFile) (mode 0600): back it up, never share it" : "kept existing key \(result.keyFile)")
    }
}
