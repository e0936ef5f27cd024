import ArgumentParser
import ConfidePipeline
import Foundation
import Logging

/// `--config FILE`, shared by the commands that work on a practice.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The practice configuration.", valueName: "file"))
    var config: String = "confide.toml"

    /// Reads the configuration; a budget over its cap at these settings is warned about on
    /// standard error (the run itself stops at the cap).
    func load() throws -> Configuration {
        let configuration = try failing { try Configuration(path: config) }
        if let warning = configuration.budgetWarning { printError("warning: " + warning) }
        return configuration
    }
}

/// Runs `body`, turning a ``ConfideError`` into its message on standard error and its
/// documented exit code. Any other error is reported as an I/O failure (74), never a crash.
func failing<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ConfideError {
        printError(error.message)
        throw ExitCode(error.status.rawValue)
    } catch let error as ExitCode {
        throw error
    } catch {
        printError("\(error)")
        throw ExitCode(ExitStatus.ioError.rawValue)
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data("confide: error: \(message)\n".utf8))
}

/// A logger writing one line per stage to standard error.
func makeLogger(quiet: Bool = false) -> Logger {
    var logger = Logger(label: "confide") { label in StreamLogHandler.standardError(label: label) }
    logger.logLevel = quiet ? .warning : .info
    return logger
}

/// Pretty, sorted JSON of a JSON-compatible value.
func jsonText(_ value: Any) -> String {
    let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .prettyPrinted])) ?? Data("{}".utf8)
    return String(decoding: data, as: UTF8.self)
}
