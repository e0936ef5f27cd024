import TOMLKit

/// The sections and keys `confide.toml` may hold. A key outside them is most often a typo
/// (`epsilon_per_releas`), and a typo silently replaced by a default is the worst kind of
/// configuration error for a privacy setting, so it stops the run with exit 78.
enum KnownKeys {
    /// Keys per top-level section. The tables `[source.<file>.columns]`, `[source.<file>.values]`,
    /// `[source.appointments.status_columns]` and `[privacy.weights]` are checked where they are read.
    private static let sections: [String: Set<String>] = [
        "practice": ["name", "timezone"],
        "source": ["format", "path", "date_format", "encoding", "separator", "mode", "referrals", "appointments", "measures"],
        "store": ["path"],
        "privacy": ["key_file", "mode", "epsilon_per_release", "delta", "min_clients", "epsilon_cap_per_year", "weights"],
        "publish": ["dir"],
        "metrics": ["active_contact_days", "outcome_window_weeks", "minimum_treatment_sessions", "instruments",
                    "phq9_caseness", "gad7_caseness", "phq9_reliable_change", "gad7_reliable_change",
                    "core10_caseness", "core10_reliable_change", "age_bands", "caseload_breakdowns", "outcome_breakdowns"],
    ]
    /// Keys of `[source.<file>]`.
    private static let fileKeys: Set<String> = ["file", "table", "query", "columns", "values"]
    /// Keys of `[source.appointments]`: the file keys, and the status derived from several columns.
    private static let appointmentKeys = fileKeys.union(["status_columns", "status_when_unset"])

    /// Throws exit 78 naming the first unknown section or key, with the known ones beside it.
    static func check(_ table: TOMLTable, file: String) throws {
        for section in table.keys.sorted() {
            guard let known = sections[section] else {
                throw ConfideError(.config, "\(file): [\(section)] is not a known section\(suggestion(section, in: Set(sections.keys))); known: \(sections.keys.sorted().joined(separator: ", "))")
            }
            guard let keys = table[section]?.table?.keys else { continue }
            for key in keys.sorted() where !known.contains(key) {
                throw ConfideError(.config, "\(file): [\(section)] \(key) is not a known key\(suggestion(key, in: known)); known: \(known.sorted().joined(separator: ", "))")
            }
        }
        guard let source = table["source"]?.table else { return }
        for name in ["referrals", "appointments", "measures"] {
            guard let keys = source[name]?.table?.keys else { continue }
            let known = name == "appointments" ? appointmentKeys : fileKeys
            for key in keys.sorted() where !known.contains(key) {
                throw ConfideError(.config, "\(file): [source.\(name)] \(key) is not a known key\(suggestion(key, in: known)); known: \(known.sorted().joined(separator: ", "))")
            }
        }
    }

    /// ` (did you mean x?)` for the closest known name within two edits, else nothing.
    private static func suggestion(_ name: String, in known: Set<String>) -> String {
        let best = known.map { ($0, editDistance(name, $0)) }.min { ($0.1, $0.0) < ($1.1, $1.0) }
        guard let best, best.1 <= 2 else { return "" }
        return " (did you mean \(best.0)?)"
    }

    /// Levenshtein distance over Unicode scalars.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
