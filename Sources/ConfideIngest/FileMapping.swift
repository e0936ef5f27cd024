public import ConfideModel

/// How one canonical file is found in a source and how its columns and values map onto the
/// canonical ones (`[source.<file>]` in `confide.toml`).
public struct FileMapping: Sendable, Equatable {
    /// The CSV file name inside the export folder (nil: the canonical name).
    public var file: String?
    /// The SQLite table to read (SQLite sources; nil: the canonical name unless ``query`` is set).
    public var table: String?
    /// An SQLite `SELECT` to read instead of a table.
    public var query: String?
    /// Canonical field → source column name. Absent fields use the canonical name.
    public var columns: [String: String]
    /// Canonical field → (source value → canonical word). Source values are matched
    /// case-insensitively after trimming.
    public var values: [String: [String: String]]
    /// Appointments only: source column → the canonical status it means when that column is
    /// set (`[source.appointments.status_columns]`). When not empty, the status is derived from
    /// these columns instead of read from one `status` column (see ``StatusColumns``).
    public var statusColumns: [String: String]
    /// Appointments only: the status when none of ``statusColumns`` is set
    /// (`status_when_unset`; nil: such rows are quarantined as `no_status_set`).
    public var statusWhenUnset: String?

    /// Creates a mapping.
    public init(file: String? = nil, table: String? = nil, query: String? = nil,
                columns: [String: String] = [:], values: [String: [String: String]] = [:],
                statusColumns: [String: String] = [:], statusWhenUnset: String? = nil) {
        self.file = file
        self.table = table
        self.query = query
        self.columns = columns
        self.values = values
        self.statusColumns = statusColumns
        self.statusWhenUnset = statusWhenUnset
    }

    /// True when the status is derived from ``statusColumns`` rather than read from one column.
    var derivesStatus: Bool { !statusColumns.isEmpty }

    /// True when the canonical `field` is read from a column of its own (every field but
    /// `status` when the status is derived).
    func readsColumn(of field: String) -> Bool { !(derivesStatus && field == "status") }

    /// The value maps with their keys in matching form (lower case, trimmed).
    var normalisedValues: [String: [String: String]] {
        values.mapValues { map in
            Dictionary(map.map { (valueMapKey($0.key), $0.value) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// What is wrong with the mapping of `file`, one sentence per problem (empty when usable).
    /// Messages name configuration keys and words, never data.
    public func problems(for file: CanonicalFile, format: ExportSource.Format) -> [String] {
        var problems: [String] = []
        let section = "[source.\(file.rawValue)]"
        for field in columns.keys.sorted() where !file.fields.contains(field) {
            problems.append("\(section) columns: '\(field)' is not a canonical column of \(file.rawValue) (one of: \(file.fields.joined(separator: ", ")))")
        }
        for (field, map) in values.sorted(by: { $0.key < $1.key }) {
            guard let vocabulary = VocabularyField(rawValue: field), vocabulary.file == file else {
                let allowed = VocabularyField.allCases.filter { $0.file == file }.map(\.rawValue)
                problems.append("\(section) values: '\(field)' has no vocabulary in \(file.rawValue) (one of: \(allowed.joined(separator: ", ")))")
                continue
            }
            for (key, word) in map.sorted(by: { $0.key < $1.key }) where !vocabulary.words.contains(word) {
                problems.append("\(section).values.\(field): \"\(key)\" maps to '\(word)', not a \(field) word (one of: \(vocabulary.words.joined(separator: ", ")))")
            }
        }
        problems += statusProblems(for: file)
        switch format {
        case .csv:
            if table != nil || query != nil { problems.append("\(section): table and query apply only to format = \"sqlite\"; use file") }
        case .sqlite:
            if self.file != nil { problems.append("\(section): file applies only to format = \"csv\"; use table or query") }
            if table != nil, query != nil { problems.append("\(section): give table or query, not both") }
            if let query, !query.trimmingSpaces().lowercased().hasPrefix("select") && !query.trimmingSpaces().lowercased().hasPrefix("with") {
                problems.append("\(section) query must be one SELECT statement")
            }
        }
        return problems
    }
}

extension FileMapping {
    /// What is wrong with `status_columns` and `status_when_unset` (empty when usable).
    func statusProblems(for file: CanonicalFile) -> [String] {
        guard derivesStatus || statusWhenUnset != nil else { return [] }
        guard file == .appointments else {
            return ["[source.\(file.rawValue)]: status_columns and status_when_unset apply only to [source.appointments]"]
        }
        var problems: [String] = []
        let words = VocabularyField.status.words
        if derivesStatus, columns["status"] != nil {
            problems.append("[source.appointments]: columns.status and status_columns are both given; use one (status_columns derives the status from several columns)")
        }
        if derivesStatus, values["status"] != nil {
            problems.append("[source.appointments]: values.status has no effect with status_columns (the status is the word of the column that is set); remove one")
        }
        for (column, word) in statusColumns.sorted(by: { $0.key < $1.key }) where !words.contains(word) {
            problems.append("[source.appointments.status_columns] \"\(column)\" maps to '\(word)', not a status word (one of: \(words.joined(separator: ", ")))")
        }
        if let word = statusWhenUnset {
            if !words.contains(word) {
                problems.append("[source.appointments] status_when_unset '\(word)' is not a status word (one of: \(words.joined(separator: ", ")))")
            }
            if !derivesStatus {
                problems.append("[source.appointments] status_when_unset applies only with [source.appointments.status_columns]")
            }
        }
        return problems
    }
}

/// The form in which value-map keys and source values are compared: trimmed, lower case.
func valueMapKey(_ text: String) -> String {
    text.trimmingSpaces().lowercased()
}
