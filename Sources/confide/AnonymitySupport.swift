import ArgumentParser
import ConfideAnonymity
import Foundation

/// `--qi COLUMN=HIERARCHY.csv` (or a bare `COLUMN` where no hierarchy is needed).
struct QuasiIdentifierSpec {
    let column: String
    let hierarchyPath: String?

    init(_ text: String) throws {
        if let equals = text.firstIndex(of: "=") {
            column = String(text[..<equals])
            hierarchyPath = String(text[text.index(after: equals)...])
            guard !column.isEmpty, !(hierarchyPath ?? "").isEmpty else {
                throw ValidationError("--qi \(text): give COLUMN=HIERARCHY.csv")
            }
        } else {
            guard !text.isEmpty else { throw ValidationError("--qi needs a column name") }
            column = text
            hierarchyPath = nil
        }
    }

    /// Parses every `--qi`, refusing a column named twice (exit 64).
    static func parse(_ texts: [String]) throws -> [QuasiIdentifierSpec] {
        let specs = try texts.map(QuasiIdentifierSpec.init)
        var seen: Set<String> = []
        for spec in specs where !seen.insert(spec.column).inserted {
            throw ValidationError("--qi names column '\(spec.column)' twice")
        }
        guard !specs.isEmpty else { throw ValidationError("give at least one --qi") }
        return specs
    }

    /// Reads the hierarchy of every spec; a spec without one is refused (exit 65).
    static func hierarchies(_ specs: [QuasiIdentifierSpec], inputPath: String) throws(AnonymityError) -> [String: Hierarchy] {
        var hierarchies: [String: Hierarchy] = [:]
        for spec in specs {
            guard let path = spec.hierarchyPath else {
                throw AnonymityError(.dataError, "\(inputPath): quasi-identifier column '\(spec.column)' has no hierarchy; "
                    + "give --qi \(spec.column)=HIERARCHY.csv")
            }
            hierarchies[spec.column] = try Hierarchy(path: path, column: spec.column)
        }
        return hierarchies
    }
}

/// Runs `body`, turning an ``AnonymityError`` into its message on standard error and its
/// documented exit code (usage 64, data 65, no input 66, cannot create 73, I/O 74).
func reportingAnonymityErrors<T>(_ body: () throws(AnonymityError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        printError(error.message)
        let code: Int32
        switch error.kind {
        case .usage: code = 64
        case .dataError: code = 65
        case .noInput: code = 66
        case .cannotCreate: code = 73
        case .ioError: code = 74
        }
        throw ExitCode(code)
    }
}

extension ReidentificationRisk {
    /// `prosecutor max / avg, sample uniques` for a summary line.
    var summary: String {
        String(format: "prosecutor max %.4g, avg %.4g, sample uniques %.4g%% (%d records, %d classes)",
               prosecutorMax, prosecutorAverage, sampleUniques * 100, records, classes)
    }

    /// The figures with JSON-compatible values.
    var json: [String: Any] { dictionary.mapValues { $0 as Any } }
}

/// `--metric`: the command line's names of ``QualityMetric``.
enum MetricChoice: String, ExpressibleByArgument, CaseIterable {
    case loss, entropy, dm

    /// The library's metric.
    var metric: QualityMetric { QualityMetric(rawValue: rawValue)! }
}

/// `--l-kind`: the command line's names of ``Diversity/Kind``.
enum DiversityChoice: String, ExpressibleByArgument, CaseIterable {
    case distinct, entropy

    /// The library's kind.
    var kind: Diversity.Kind { Diversity.Kind(rawValue: rawValue)! }
}
