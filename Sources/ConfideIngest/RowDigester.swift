import ConfideModel
import Crypto
import Foundation

/// The keyed digest of a source record as the loader reads it: SipHash-2-4 of the raw bytes of
/// every column the mapping reads (in canonical field order, each with its length), under a
/// 128-bit key derived from the practice key and everything else that decides how those bytes
/// become a canonical row (file, mapping, value maps, status columns, date order, time zone
/// and ``parserVersion``).
///
/// Two records with the same digest under the same key and context therefore parse to the same
/// canonical row. The store keeps the digest of each loaded row (`row_digest`), so a snapshot
/// ingest recognises a record it loaded before without parsing, pseudonymising or asking the
/// store. Without the practice key a digest cannot be recomputed from a guessed record, so the
/// column links nothing to a source value; a new key or a changed mapping gives new digests,
/// and every row is then compared the slow way once.
struct RowDigester: Sendable {
    /// Bump when ``RowParser`` turns some record into a different canonical row than before:
    /// every stored digest then stops matching and each row is parsed and compared once again.
    static let parserVersion = 1

    private let hasher: SipHash24
    /// Source column positions, in canonical field order, then the status columns.
    private let positions: [Int]

    /// A digester for `file` as `fields` reads it, under `key`.
    init(file: CanonicalFile, fields: FieldReader, key: PracticeKey) {
        var context = "confide row digest v\(Self.parserVersion)\n\(file.rawValue)\n"
        context += "dates \(fields.dates.order.rawValue) \(fields.dates.timeZone.identifier)\n"
        let read = fields.columns.keys.sorted()
        context += "columns \(read.joined(separator: ","))\n"
        for (field, map) in fields.valueMaps.sorted(by: { $0.key < $1.key }) {
            context += "values \(field): " + map.sorted { $0.key < $1.key }.map { "\($0.key.utf8.count):\($0.key)=\($0.value)" }.joined(separator: ";") + "\n"
        }
        var positions = read.map { fields.columns[$0]! }
        if let status = fields.statusColumns {
            context += "status columns " + status.sources.map { "\($0.column.utf8.count):\($0.column)=\($0.status.rawValue)" }.joined(separator: ";")
            context += " unset \(status.whenUnset?.rawValue ?? "-")\n"
            positions += status.sources.map(\.index)
        }
        let derived = HMAC<SHA256>.authenticationCode(for: Array(context.utf8), using: key.key)
        hasher = SipHash24(key: Array(derived).prefix(16))
        self.positions = positions
    }

    /// The digest of the current record of `record`, in `buffer` (reused between records).
    func digest(of record: any SourceRecord, buffer: inout [UInt8]) -> Int64 {
        buffer.removeAll(keepingCapacity: true)
        for position in positions {
            let bytes = record.fieldBytes(position)
            let count = UInt32(truncatingIfNeeded: bytes.count)
            buffer.append(UInt8(truncatingIfNeeded: count))
            buffer.append(UInt8(truncatingIfNeeded: count >> 8))
            buffer.append(UInt8(truncatingIfNeeded: count >> 16))
            buffer.append(UInt8(truncatingIfNeeded: count >> 24))
            buffer.append(contentsOf: bytes)
        }
        return Int64(bitPattern: hasher.hash(buffer))
    }
}
