import ConfideModel
import Foundation

/// A rule of the leak audit. The manifest lists them in this order (`audit.rules`).
public enum LeakRule: String, Sendable, CaseIterable {
    /// An NHS number (3-3-4 layout or 10 digits) with a valid mod-11 check digit.
    case nhsNumber = "nhs_number"
    /// An email address.
    case email
    /// A UK phone number.
    case ukPhone = "uk_phone"
    /// A full UK postcode.
    case postcode
    /// A postcode sector (`SW1A 2`).
    case postcodeSector = "postcode_sector"
    /// A National Insurance number.
    case niNumber = "ni_number"
    /// A date other than the declared period dates.
    case dateOutsidePeriod = "date_outside_period"
    /// A token that is a client, referral or appointment id of the source.
    case sourceIdentifier = "source_identifier"
    /// A week folder that disagrees with its manifest (``ManifestInvariants``).
    case manifestInvariants = "manifest_invariants"
}

/// One thing the audit found: where and which rule, never the value.
public struct LeakFinding: Sendable, Equatable, CustomStringConvertible {
    /// The file, relative to the audited folder.
    public let file: String
    /// The 1-based line.
    public let line: Int
    /// The rule that matched (a ``LeakRule`` raw value).
    public let rule: String
    /// Which part of the rule failed, in words that never carry a value (`manifest_invariants`
    /// only, for example `suppressed row has a value or interval`); nil for the other rules.
    public var detail: String? = nil

    /// `file:line: rule`, or `file:line: rule (detail)`.
    public var description: String { "\(file):\(line): \(rule)" + (detail.map { " (\($0))" } ?? "") }
}

/// Scans output files for identifiers before anything is published: NHS numbers (3-3-4 layout
/// or 10 digits, with the mod-11 check), emails, UK phone numbers, full and sector postcodes,
/// National Insurance numbers, dates other than the declared period dates, and any token that
/// is a source identifier (asked of `isSourceIdentifier`, which pseudonymises it under the
/// practice key and looks it up in the store). A folder scan also checks every folder that holds
/// a `manifest.json` against it (``ManifestInvariants``, rule `manifest_invariants`).
public struct LeakAudit {
    /// Every rule the audit applies, as the manifest lists them.
    public static let ruleNames = LeakRule.allCases.map(\.rawValue)

    /// The dates allowed to appear (period starts and ends). nil allows any Monday or Sunday,
    /// the period boundaries of ISO weeks (used when auditing arbitrary files).
    public var allowedDates: Set<String>?
    /// Answers whether a token is a source identifier; nil skips that rule.
    public var isSourceIdentifier: ((String) -> Bool)?

    /// Creates an audit.
    public init(allowedDates: Set<String>? = nil, isSourceIdentifier: ((String) -> Bool)? = nil) {
        self.allowedDates = allowedDates
        self.isSourceIdentifier = isSourceIdentifier
    }

    /// Scans every regular file under `path` (or `path` itself), and checks each folder under
    /// `path` that holds a `manifest.json` against its manifest.
    public func scan(path: String) throws -> [LeakFinding] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        if !isDirectory.boolValue {
            return scan(text: Self.text(of: try Data(contentsOf: URL(fileURLWithPath: path))), file: (path as NSString).lastPathComponent)
        }
        var findings: [LeakFinding] = []
        let enumerator = FileManager.default.enumerator(atPath: path)
        var files: [String] = []
        while let relative = enumerator?.nextObject() as? String {
            var dir: ObjCBool = false
            if FileManager.default.fileExists(atPath: path + "/" + relative, isDirectory: &dir), !dir.boolValue { files.append(relative) }
        }
        for relative in files.sorted() {
            let data = try Data(contentsOf: URL(fileURLWithPath: path + "/" + relative))
            findings += scan(text: Self.text(of: data), file: relative)
        }
        // Every folder with a manifest (a week folder, or each week of a reports folder).
        for manifest in files.sorted() where manifest == "manifest.json" || manifest.hasSuffix("/manifest.json") {
            let prefix = String(manifest.dropLast("manifest.json".count))
            let inFolder = files.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
            findings += ManifestInvariants.check(folder: path + "/" + prefix, files: inFolder, prefix: prefix)
        }
        return findings
    }

    /// The text of a file: UTF-16 when it starts with a UTF-16 byte-order mark or a quarter of
    /// its bytes are NUL (UTF-16 without one; little-endian when the odd bytes are the NULs),
    /// else UTF-8 (invalid bytes replaced). An identifier in a UTF-16 file is found as in UTF-8.
    static func text(of data: Data) -> String {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xFF, 0xFE]) { return String(data: data.dropFirst(2), encoding: .utf16LittleEndian) ?? "" }
        if bytes.starts(with: [0xFE, 0xFF]) { return String(data: data.dropFirst(2), encoding: .utf16BigEndian) ?? "" }
        let nul = bytes.filter { $0 == 0 }.count
        if bytes.count >= 4, nul * 4 >= bytes.count {
            let oddNul = stride(from: 1, to: bytes.count, by: 2).filter { bytes[$0] == 0 }.count
            let encoding: String.Encoding = oddNul * 2 >= nul ? .utf16LittleEndian : .utf16BigEndian
            if let text = String(data: data, encoding: encoding) { return text }
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Scans one text.
    public func scan(text: String, file: String) -> [LeakFinding] {
        var findings: [LeakFinding] = []
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let s = String(line)
            for rule in rules(in: s) { findings.append(LeakFinding(file: file, line: offset + 1, rule: rule)) }
        }
        return findings
    }

    func rules(in line: String) -> [String] {
        var hits: [LeakRule] = []
        let range = NSRange(line.startIndex..., in: line)
        func matches(_ regex: NSRegularExpression) -> [String] {
            regex.matches(in: line, range: range).compactMap { Range($0.range, in: line).map { String(line[$0]) } }
        }
        if matches(Patterns.nhs).contains(where: { isValidNHSNumber($0) }) { hits.append(.nhsNumber) }
        if !matches(Patterns.email).isEmpty { hits.append(.email) }
        if !matches(Patterns.phone).isEmpty { hits.append(.ukPhone) }
        if !matches(Patterns.postcode).isEmpty || !matches(Patterns.lowerCasePostcode).isEmpty { hits.append(.postcode) }
        else if !matches(Patterns.sector).isEmpty { hits.append(.postcodeSector) }
        if !matches(Patterns.nino).isEmpty { hits.append(.niNumber) }
        if matches(Patterns.date).contains(where: { !isAllowedDate($0) }) { hits.append(.dateOutsidePeriod) }
        if let isSourceIdentifier {
            let tokens = matches(Patterns.token).filter { $0.count >= 4 && !($0.allSatisfy(\.isNumber) && $0.count < 6) }
            if tokens.contains(where: isSourceIdentifier) { hits.append(.sourceIdentifier) }
        }
        return hits.map(\.rawValue)
    }

    func isAllowedDate(_ text: String) -> Bool {
        if let allowedDates { return allowedDates.contains(text) }
        let parts = text.split(whereSeparator: { $0 == "-" || $0 == "/" }).compactMap { Int($0) }
        guard parts.count == 3 else { return false }
        let (y, m, d) = text.contains("/") ? (parts[2], parts[1], parts[0]) : (parts[0], parts[1], parts[2])
        var c = DateComponents(); c.year = y; c.month = m; c.day = d
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: c) else { return false }
        let weekday = calendar.component(.weekday, from: date)
        return weekday == 2 || weekday == 1  // Monday or Sunday
    }
}

/// The NHS number check digit: weights 10…2 over the first nine digits, 11 − (sum mod 11);
/// 11 becomes 0 and 10 is never valid.
public func isValidNHSNumber(_ text: String) -> Bool {
    let digits = text.compactMap(\.wholeNumberValue)
    guard digits.count == 10 else { return false }
    let sum = (0..<9).reduce(0) { $0 + digits[$1] * (10 - $1) }
    var check = 11 - sum % 11
    if check == 11 { check = 0 }
    return check != 10 && check == digits[9]
}

enum Patterns {
    static func make(_ pattern: String) -> NSRegularExpression {
        try! NSRegularExpression(pattern: pattern)
    }
    /// Ten digits (3-3-4, spaces or hyphens allowed), not part of a fraction `p/q` nor the
    /// decimals of a number: the manifest states each ε exactly as a fraction, whose parts can
    /// be ten digits long, and noise scales as decimals with as many places.
    static let nhs = make(#"(?<![0-9A-Za-z/.])(?:[0-9]{3}[ -]?[0-9]{3}[ -]?[0-9]{4})(?![0-9A-Za-z/])"#)
    static let email = make(#"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"#)
    /// A UK phone number, not the decimals of a number (a noise scale of 11.0909090909…).
    static let phone = make(#"(?<![0-9A-Za-z.])(?:\+44\s?7[0-9]{3}|\+44\s?[1-9][0-9]{1,3}|\(?0[1-9][0-9]{1,4}\)?)[\s-]?[0-9]{3,4}[\s-]?[0-9]{3,4}(?![0-9A-Za-z])"#)
    static let postcode = make(#"\b(?:[A-Z]{1,2}[0-9][A-Z0-9]?|GIR) ?[0-9][A-Z]{2}\b"#)
    /// A full postcode written in lower case with its space (`sw1a 2aa`), as typed in notes; the
    /// inward code's letters never include c, i, k, m, o or v, so `h1 2em` is not one.
    static let lowerCasePostcode = make(#"(?<![A-Za-z0-9.:-])[a-z]{1,2}[0-9][a-z0-9]? [0-9][abd-hjlnp-uw-z]{2}(?![A-Za-z0-9])"#)
    static let sector = make(#"\b[A-Z]{1,2}[0-9][A-Z0-9]? [0-9]\b(?![/.:%-])"#)
    static let nino = make(#"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D]\b"#)
    static let date = make(#"(?<![0-9])(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{2}/[0-9]{2}/[0-9]{4})(?![0-9])"#)
    static let token = make(#"[A-Za-z0-9][A-Za-z0-9_.-]{1,63}"#)
}
