import ConfideCSV
import ConfideIngest
import ConfideModel
import TOMLKit

/// Reads `[source]` and its per-file tables (`[source.referrals]`, `.columns`, `.values.<field>`,
/// and for appointments `.status_columns` and `status_when_unset`) into an ``ExportSource``.
/// Every problem is exit 78 with the file, section and key named.
enum SourceSettings {
    static func read(_ table: TOMLTable, file: String, read: ReadKeys, resolve: (String) -> String) throws -> ExportSource {
        read.note("", "source")
        guard let section = try subtable(table, "source", file: file, name: "[source]") else {
            return ExportSource(path: resolve("exports"))
        }
        func string(_ key: String, _ fallback: String) throws -> String {
            read.note("source", key)
            guard let value = section[key] else { return fallback }
            guard let text = value.string else { throw ConfideError(.config, "\(file): [source] \(key) must be a string") }
            return text
        }
        func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ fallback: String, _ type: T.Type) throws -> T where T.RawValue == String {
            let text = try string(key, fallback)
            guard let value = T(rawValue: text) else {
                let allowed = T.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
                throw ConfideError(.config, "\(file): [source] \(key) must be one of \(allowed), not \"\(text)\"")
            }
            return value
        }
        let format = try choice("format", "csv", ExportSource.Format.self)
        let path = resolve(try string("path", format == .sqlite ? "practice.db" : "exports"))
        let dateOrder = try choice("date_format", "iso", DateOrder.self)
        let encoding = try choice("encoding", "auto", TextEncoding.self)
        let mode = try choice("mode", "snapshot", ExportSource.Mode.self)
        read.note("source", "snapshot_deletes")
        var snapshotDeletes = false
        if let value = section["snapshot_deletes"] {
            guard let flag = value.bool else { throw ConfideError(.config, "\(file): [source] snapshot_deletes must be true or false") }
            snapshotDeletes = flag
        }
        let separatorText = try string("separator", "auto")
        let separator: UInt8?
        switch separatorText {
        case "auto": separator = nil
        case ",": separator = UInt8(ascii: ",")
        case ";": separator = UInt8(ascii: ";")
        case "\t", "tab": separator = 9
        default: throw ConfideError(.config, "\(file): [source] separator must be \"auto\", \",\", \";\" or \"tab\"")
        }
        var files: [CanonicalFile: FileMapping] = [:]
        for canonical in CanonicalFile.allCases {
            let name = "[source.\(canonical.rawValue)]"
            read.note("source", canonical.rawValue)
            guard let fileTable = try subtable(section, canonical.rawValue, file: file, name: name) else { continue }
            func fileString(_ key: String) throws -> String? {
                read.note("source." + canonical.rawValue, key)
                return try optionalString(fileTable, key, file: file, name: name)
            }
            func fileSubtable(_ key: String) throws -> TOMLTable? {
                read.note("source." + canonical.rawValue, key)
                return try subtable(fileTable, key, file: file, name: "[source.\(canonical.rawValue).\(key)]")
            }
            var mapping = FileMapping()
            mapping.file = try fileString("file")
            mapping.table = try fileString("table")
            mapping.query = try fileString("query")
            if let columns = try fileSubtable("columns") {
                mapping.columns = try strings(columns, file: file, name: "[source.\(canonical.rawValue).columns]")
            }
            if let values = try fileSubtable("values") {
                for field in values.keys {
                    let mapName = "[source.\(canonical.rawValue).values.\(field)]"
                    guard let map = try subtable(values, field, file: file, name: mapName) else { continue }
                    mapping.values[field] = try strings(map, file: file, name: mapName)
                }
            }
            // Appointments only: the status derived from several columns.
            guard canonical == .appointments else { files[canonical] = mapping; continue }
            let statusName = "[source.\(canonical.rawValue).status_columns]"
            if let statusColumns = try fileSubtable("status_columns") {
                guard !statusColumns.keys.isEmpty else {
                    throw ConfideError(.config, "\(file): \(statusName) must list at least one source column = status word")
                }
                mapping.statusColumns = try strings(statusColumns, file: file, name: statusName)
            }
            mapping.statusWhenUnset = try fileString("status_when_unset")
            files[canonical] = mapping
        }
        var source = ExportSource(format: format, path: path, files: files, dateOrder: dateOrder, encoding: encoding,
                                  separator: separator, mode: mode)
        source.snapshotDeletes = snapshotDeletes
        let problems = source.problems()
        guard problems.isEmpty else {
            throw ConfideError(.config, "\(file): " + problems.joined(separator: "; "))
        }
        return source
    }

    private static func subtable(_ table: TOMLTable, _ key: String, file: String, name: String) throws -> TOMLTable? {
        guard let value = table[key] else { return nil }
        guard let sub = value.table else { throw ConfideError(.config, "\(file): \(name) must be a table") }
        return sub
    }

    private static func optionalString(_ table: TOMLTable, _ key: String, file: String, name: String) throws -> String? {
        guard let value = table[key] else { return nil }
        guard let text = value.string, !text.isEmpty else { throw ConfideError(.config, "\(file): \(name) \(key) must be a non-empty string") }
        return text
    }

    private static func strings(_ table: TOMLTable, file: String, name: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for key in table.keys {
            guard let text = table[key]?.string else { throw ConfideError(.config, "\(file): \(name) \"\(key)\" must be a string") }
            result[key] = text
        }
        return result
    }
}
