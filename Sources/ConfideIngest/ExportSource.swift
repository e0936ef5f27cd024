public import ConfideCSV
public import ConfideModel

/// Where the exports are and how they are written (`[source]` in `confide.toml`).
public struct ExportSource: Sendable {
    /// The kind of source.
    public enum Format: String, Sendable, CaseIterable {
        /// A folder of CSV files.
        case csv
        /// An SQLite database file, read-only.
        case sqlite
    }

    /// Whether each export holds everything or only what changed.
    public enum Mode: String, Sendable, CaseIterable {
        /// Every export is complete: referrals stored earlier but absent now are reported
        /// (never deleted).
        case snapshot
        /// Exports hold only new and changed rows.
        case delta
    }

    /// The kind of source.
    public var format: Format
    /// The export folder (CSV) or database file (SQLite).
    public var path: String
    /// How each canonical file is found and mapped.
    public var files: [CanonicalFile: FileMapping]
    /// How dates are written.
    public var dateOrder: DateOrder
    /// How CSV bytes encode text.
    public var encoding: TextEncoding
    /// The CSV separator, or nil to detect it per file.
    public var separator: UInt8?
    /// Snapshot or delta exports.
    public var mode: Mode
    /// Snapshot mode: delete stored rows the export no longer holds (`[source] snapshot_deletes`).
    public var snapshotDeletes = false

    /// Creates a source description.
    public init(format: Format = .csv, path: String, files: [CanonicalFile: FileMapping] = [:], dateOrder: DateOrder = .iso,
                encoding: TextEncoding = .auto, separator: UInt8? = nil, mode: Mode = .snapshot) {
        self.format = format
        self.path = path
        self.files = files
        self.dateOrder = dateOrder
        self.encoding = encoding
        self.separator = separator
        self.mode = mode
    }

    /// A CSV export folder with optional column mappings per file.
    public init(directory: String, columns: [CanonicalFile: [String: String]] = [:], dateOrder: DateOrder = .iso) {
        self.init(path: directory, files: columns.mapValues { FileMapping(columns: $0) }, dateOrder: dateOrder)
    }

    /// The mapping of `file` (empty: canonical names).
    public func mapping(_ file: CanonicalFile) -> FileMapping { files[file] ?? FileMapping() }

    /// The file name (CSV) or table/query label (SQLite) that reports and quarantine records use.
    public func label(of file: CanonicalFile) -> String {
        let mapping = mapping(file)
        switch format {
        case .csv: return mapping.file ?? file.fileName
        case .sqlite: return mapping.query != nil ? "\(file.rawValue) query" : (mapping.table ?? file.rawValue)
        }
    }

    /// The path of a CSV file.
    public func csvPath(of file: CanonicalFile) -> String {
        path + "/" + (mapping(file).file ?? file.fileName)
    }

    /// Every problem with the mappings (empty when the source description is usable).
    public func problems() -> [String] {
        CanonicalFile.allCases.flatMap { mapping($0).problems(for: $0, format: format) }
    }
}
