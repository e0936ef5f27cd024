/// Why an input cannot be used at all (the run stops and the store is unchanged).
public enum IngestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file does not exist or cannot be opened.
    case missingFile(path: String)
    /// The file holds nothing, not even a header row.
    case emptyFile(file: String)
    /// The file has no header row, or lacks a required column.
    case missingColumn(file: String, column: String)
    /// The file cannot be decoded in its encoding (configured or detected).
    case undecodable(file: String, detail: String)
    /// An SQLite source cannot be opened, fails its integrity check, or a table or query of
    /// it cannot be read.
    case badSource(file: String, detail: String)
    /// The mapping in the configuration is not usable (each problem named).
    case badMapping([String])

    /// A message that names the file and what to do, never a value from it.
    public var description: String {
        switch self {
        case .missingFile(let path):
            return "input file missing or unreadable: \(path). Check [source] path in confide.toml and that the export was written."
        case .emptyFile(let file):
            return "\(file): the file is empty (no header row, no rows). Export it again from the practice system."
        case .missingColumn(let file, let column):
            return "\(file): required column '\(column)' is missing from the header row. Map it in confide.toml or fix the export."
        case .undecodable(let file, let detail):
            return "\(file): cannot decode the file (\(detail)). Set [source] encoding in confide.toml or export it as UTF-8 CSV."
        case .badSource(let file, let detail):
            return "\(file): \(detail). Check [source] path, table and query in confide.toml."
        case .badMapping(let problems):
            return "the source mapping in confide.toml is not usable: " + problems.joined(separator: "; ")
        }
    }
}
