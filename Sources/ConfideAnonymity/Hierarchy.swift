/// A generalisation hierarchy in ARX's format: no header, one row per original value,
/// `value;level1;…;top`, every row with the same number of fields.
///
/// Level 0 is the value itself. Each level must be a function of the level below it (two rows
/// that agree at a level agree at every level above it), which is what full-domain
/// generalisation needs.
public struct Hierarchy: Sendable {
    /// The file the hierarchy was read from (for messages).
    public let path: String
    /// The rows, each `levelCount` values long.
    public let rows: [[String]]
    /// The number of levels, the original value included (the maximum level is one less).
    public let levelCount: Int
    /// The row of each original value.
    public let rowOfValue: [String: Int]

    /// Reads the hierarchy for `column` from `path`.
    ///
    /// - Throws: ``AnonymityError`` `.noInput` when the file cannot be read; `.dataError` when
    ///   it is empty, ragged, repeats a value or is not a hierarchy (messages name the file, the
    ///   column and the line).
    public init(path: String, column: String) throws(AnonymityError) {
        try self.init(text: DelimitedText(path: path), column: column)
    }

    /// Parses a hierarchy already read (tests).
    public init(text: DelimitedText, column: String) throws(AnonymityError) {
        let path = text.path
        var rows: [[String]] = []
        var lines: [Int] = []
        var width = 0
        var firstLine = 0
        try text.forEachRecord { (fields: RecordFields) throws(AnonymityError) -> Bool in
            if rows.isEmpty {
                width = fields.count
                firstLine = fields.line
            } else if fields.count != width {
                throw AnonymityError(.dataError, "\(path) (hierarchy of column '\(column)'): line \(fields.line): \(fields.count) fields, "
                    + "but line \(firstLine) has \(width); every row needs one field per level")
            }
            rows.append((0..<fields.count).map { text.value(fields.starts[$0], fields.ends[$0]) })
            lines.append(fields.line)
            return true
        }
        guard !rows.isEmpty else {
            throw AnonymityError(.dataError, "\(path) (hierarchy of column '\(column)'): the file is empty")
        }
        var rowOfValue: [String: Int] = [:]
        for (index, row) in rows.enumerated() {
            if let earlier = rowOfValue[row[0]] {
                throw AnonymityError(.dataError, "\(path) (hierarchy of column '\(column)'): line \(lines[index]) repeats the value of line \(lines[earlier])")
            }
            rowOfValue[row[0]] = index
        }
        for level in 1..<max(width, 1) {
            var above: [String: Int] = [:]
            for (index, row) in rows.enumerated() {
                if let earlier = above[row[level - 1]] {
                    if rows[earlier][level] != row[level] {
                        throw AnonymityError(.dataError, "\(path) (hierarchy of column '\(column)'): line \(lines[index]) generalises "
                            + "its level-\(level - 1) value to a different level-\(level) value than line \(lines[earlier]) does; "
                            + "each level must follow from the one below it")
                    }
                } else {
                    above[row[level - 1]] = index
                }
            }
        }
        self.path = path
        self.rows = rows
        self.levelCount = width
        self.rowOfValue = rowOfValue
    }
}
