import ConfideModel
import Foundation

/// A copy of a canonical export (as the synthesiser writes it: no quoted fields) in which every
/// ``every``-th data row of each file has one value changed, to another valid value:
///
/// - referrals: `referral_source` becomes the next word of the vocabulary;
/// - appointments: `duration_minutes` becomes 60, or 50 when it was 60;
/// - measures: `score` goes one down, or one up from 0 (it stays in every instrument's range).
///
/// Keys and row counts are unchanged, so a snapshot ingest of the copy after the original
/// updates exactly the changed rows.
public struct ChangedExport: Sendable {
    /// One data row in this many is changed (the ``every``-th, 2·``every``-th, …).
    public let every: Int

    /// A changer of one row in `every`.
    public init(every: Int) {
        precondition(every > 0)
        self.every = every
    }

    /// Writes the changed copy of `base` to `folder` (through a staging folder).
    public func write(base: String, to folder: String) throws {
        let staging = folder + ".partial"
        try? FileManager.default.removeItem(atPath: staging)
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        for file in CanonicalFile.allCases {
            let out = try ByteWriter(path: staging + "/" + file.fileName)
            var column = -1
            var row = 0
            try forEachLine(of: base + "/" + file.fileName) { line in
                if column < 0 {
                    let names = line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
                    guard let index = names.firstIndex(of: Self.changedColumn(file)) else {
                        throw BenchError("\(file.fileName) has no \(Self.changedColumn(file)) column")
                    }
                    column = index
                    out.append(line)
                    return
                }
                row += 1
                guard row % every == 0 else { out.append(line); return }
                var fields = line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map { Array($0) }
                fields[column] = Array(Self.changed(String(decoding: fields[column], as: UTF8.self), in: file).utf8)
                out.append(Array(fields.joined(separator: [UInt8(ascii: ",")])))
            }
            try out.close()
        }
        try FileManager.default.moveItem(atPath: staging, toPath: folder)
    }

    /// The column changed in `file`.
    static func changedColumn(_ file: CanonicalFile) -> String {
        switch file {
        case .referrals: return "referral_source"
        case .appointments: return "duration_minutes"
        case .measures: return "score"
        }
    }

    /// Another valid value of the changed column of `file` than `value`.
    static func changed(_ value: String, in file: CanonicalFile) -> String {
        switch file {
        case .referrals:
            let words = ReferralSource.allCases.map(\.rawValue)
            let index = words.firstIndex(of: value) ?? -1
            return words[(index + 1) % words.count]
        case .appointments:
            return value == "60" ? "50" : "60"
        case .measures:
            let score = Int(value) ?? 0
            return String(score > 0 ? score - 1 : score + 1)
        }
    }
}
