import ConfideModel

/// A row rejected while it was read: the column at fault and why.
struct RowRejection: Error, Sendable {
    let column: String
    let reason: QuarantineReason
}

/// The current record of a source, whatever the source: a CSV line or an SQLite row.
protocol SourceRecord: AnyObject {
    /// The bytes of field `index` (UTF-8, not yet validated).
    func fieldBytes(_ index: Int) -> ArraySlice<UInt8>
}

/// Reads canonical fields out of the current record, by column position, and validates them.
/// Every failure names the canonical column and a reason code, never the value.
struct FieldReader {
    let record: any SourceRecord
    let columns: [String: Int]
    let dates: DateParser
    /// Canonical field → (normalised source value → canonical word).
    let valueMaps: [String: [String: String]]
    var outOfVocabulary: [String: Int] = [:]
    /// The number of values counted in ``outOfVocabulary`` so far (a record that fell back
    /// changes it).
    var fallbackCount = 0
    /// The listed status columns when the status is derived from several (nil: one `status` column).
    var statusColumns: StatusColumns? = nil

    /// The trimmed text of `field`, or nil when the column is absent or the cell empty.
    func text(_ field: String) throws(RowRejection) -> String? {
        guard let index = columns[field] else { return nil }
        var bytes = record.fieldBytes(index)
        while let first = bytes.first, first == 32 || first == 9 { bytes.removeFirst() }
        while let last = bytes.last, last == 32 || last == 9 { bytes.removeLast() }
        if bytes.isEmpty { return nil }
        let ascii: String? = bytes.withUnsafeBufferPointer { buffer in
            buffer.allSatisfy { $0 < 0x80 } ? String(decoding: buffer, as: UTF8.self) : nil
        }
        if let ascii { return ascii }  // the common case, without generic validation
        guard let value = String(validating: bytes, as: UTF8.self) else { throw RowRejection(column: field, reason: .invalidUTF8) }
        return value
    }

    /// A required, non-empty value.
    func required(_ field: String) throws(RowRejection) -> String {
        guard let value = try text(field) else { throw RowRejection(column: field, reason: .missingValue) }
        return value
    }

    /// A source identifier: 1-256 bytes of printable text without control characters.
    func identifier(_ field: String) throws(RowRejection) -> String {
        let value = try required(field)
        guard value.utf8.count <= 256, !value.unicodeScalars.contains(where: { $0.value < 32 }) else {
            throw RowRejection(column: field, reason: .badIdentifier)
        }
        return value
    }

    /// A required date in the practice's zone.
    func day(_ field: String) throws(RowRejection) -> Day {
        guard let day = dates.day(try required(field)) else { throw RowRejection(column: field, reason: .badDate) }
        return day
    }

    /// An optional date.
    func optionalDay(_ field: String) throws(RowRejection) -> Day? {
        guard let text = try text(field) else { return nil }
        guard let day = dates.day(text) else { throw RowRejection(column: field, reason: .badDate) }
        return day
    }

    /// An optional whole number in `range`.
    func optionalInt(_ field: String, in range: ClosedRange<Int>, reason: QuarantineReason) throws(RowRejection) -> Int? {
        guard let text = try text(field) else { return nil }
        guard let value = Int(text), range.contains(value) else { throw RowRejection(column: field, reason: reason) }
        return value
    }

    /// A categorical value: a word of the vocabulary, or its fallback (counted). Absent or
    /// empty cells take `missing`.
    mutating func word<V: Vocabulary>(_ field: String, _ type: V.Type, missing: V) throws(RowRejection) -> V {
        guard let text = try text(field) else { return missing }
        if let value = lookUp(field, text, type) { return value }
        outOfVocabulary[field, default: 0] += 1
        fallbackCount += 1
        return V.fallback
    }

    /// A categorical value that must be in the vocabulary; otherwise the row is rejected.
    func strictWord<V: Vocabulary>(_ field: String, _ type: V.Type, reason: QuarantineReason) throws(RowRejection) -> V {
        guard let value = lookUp(field, try required(field), type) else {
            throw RowRejection(column: field, reason: reason)
        }
        return value
    }

    /// The configured value map first (keys matched case-insensitively), then the canonical
    /// word itself.
    private func lookUp<V: Vocabulary>(_ field: String, _ text: String, _ type: V.Type) -> V? {
        if let map = valueMaps[field] {
            if let word = map[valueMapKey(text)] { return V(rawValue: word) }
        } else if let value = V(rawValue: text) {
            return value  // the canonical word as written: the common case, no normalising
        }
        return V(rawValue: normalisedWord(text))
    }
}

/// Lower case, with spaces and hyphens as underscores: "Non-binary" becomes "non_binary".
func normalisedWord(_ text: String) -> String {
    String(text.lowercased().map { $0 == " " || $0 == "-" ? "_" : $0 })
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })!
        if first == scalars.startIndex, last == scalars.index(before: scalars.endIndex) { return self }
        return String(scalars[first...last])
    }
}

/// The outward code of a UK postcode (its district, such as `LS6`), or nil when the text is
/// not a full or outward-only postcode. The full postcode is never kept.
func postcodeDistrict(_ text: String) -> String? {
    let compact = text.uppercased().filter { $0 != " " }
    let chars = Array(compact)
    guard chars.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
    func isOutward(_ s: ArraySlice<Character>) -> Bool {
        guard (2...4).contains(s.count), let first = s.first, first.isLetter else { return false }
        let rest = s.dropFirst()
        guard let digitIndex = rest.firstIndex(where: { $0.isNumber }) else { return false }
        return rest[rest.startIndex..<digitIndex].count <= 1
    }
    if chars.count >= 5, chars.count <= 7 {
        let inward = chars.suffix(3)
        if inward.first!.isNumber, inward.dropFirst().allSatisfy({ $0.isLetter }), isOutward(chars.dropLast(3)) {
            return String(chars.dropLast(3))
        }
    }
    return isOutward(chars[...]) ? compact : nil
}

/// Words in a column name that suggest identifying data; such dropped columns are flagged.
private let identifyingWords = ["name", "email", "e_mail", "mail", "phone", "mobile", "tel", "address",
                                "street", "postcode", "zip", "nhs", "dob", "birth", "note", "comment",
                                "ip", "url", "link", "telehealth", "ni_number", "nino", "insurance",
                                "passport", "gp", "contact", "next_of_kin", "kin", "description"]

/// True when a header name suggests identifying content.
func looksIdentifying(_ name: String) -> Bool {
    let word = normalisedWord(name)
    let parts = word.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
    return identifyingWords.contains { word.contains($0) && ($0.count > 3 || parts.contains($0)) }
}

/// A header name safe to print: short, letters, digits and `_- .` only; else `column N`.
func printableColumnName(_ name: String, index: Int) -> String {
    let safe = name.count <= 64 && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_- .".contains($0)) }
    return safe && !name.isEmpty ? name : "column \(index + 1)"
}
