import TOMLKit

/// The keys the configuration's readers ask for, by table (`privacy`, `source.referrals`; the
/// top-level sections under ""). Filled while a configuration loads, so the readers themselves
/// are the one list of what `confide.toml` may hold: a key no reader asks for cannot be known.
final class ReadKeys {
    private(set) var keys: [String: Set<String>] = [:]

    /// Notes that `key` of `table` was asked for (present or not).
    func note(_ table: String, _ key: String) {
        keys[table, default: []].insert(key)
        if !table.isEmpty, !table.contains(".") { keys["", default: []].insert(table) }
    }
}

/// The check for keys no reader asked for. A key outside them is most often a typo
/// (`epsilon_per_releas`), and a typo silently replaced by a default is the worst kind of
/// configuration error for a privacy setting, so it stops the run with exit 78.
enum KnownKeys {
    /// Throws exit 78 naming the first section or key of `table` that no reader asked for
    /// (`read`, after the configuration was read), with the known ones beside it. Checked: the
    /// top-level sections, their keys, and the keys of `[source.<file>]`; the tables
    /// `[source.<file>.columns]`, `.values`, `.status_columns` and `[privacy.weights]` hold the
    /// practice's own names and are checked where they are read.
    static func check(_ table: TOMLTable, file: String, read: ReadKeys) throws {
        let sections = read.keys[""] ?? []
        for section in table.keys.sorted() {
            guard sections.contains(section) else {
                throw ConfideError(.config, "\(file): [\(section)] is not a known section\(suggestion(section, in: sections)); known: \(sections.sorted().joined(separator: ", "))")
            }
            guard let keys = table[section]?.table?.keys else { continue }
            let known = read.keys[section] ?? []
            for key in keys.sorted() where !known.contains(key) {
                throw ConfideError(.config, "\(file): [\(section)] \(key) is not a known key\(suggestion(key, in: known)); known: \(known.sorted().joined(separator: ", "))")
            }
        }
        guard let source = table["source"]?.table else { return }
        for name in source.keys.sorted() {
            guard let keys = source[name]?.table?.keys else { continue }
            let known = read.keys["source." + name] ?? []
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
