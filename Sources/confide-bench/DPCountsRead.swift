import ConfideModel
import ConfideStore
import Foundation

extension DPCountsRelease {
    /// Reads the attended appointments with a duration, with their client pseudonym and
    /// therapist, mapped to dense indexes. Two sequential scans (referrals to their clients,
    /// then appointments) instead of a join: a join seeks each appointment's referral at a
    /// random place in the store, which was most of this stage's time.
    /// `+status` keeps SQLite from an index of contacts by referral, which lacks the duration
    /// and would cost a row lookup per appointment (19.7 s instead of 6.6 s at 1,000,000
    /// clients, measured with schema version 9's partial index of attended contacts). Pseudonyms are read as 128-bit numbers straight from SQLite's
    /// BLOB bytes, and dates parsed in place, so no row allocates a `String` (6.6 s to 2.2 s at
    /// 1,000,000 clients). The appointments are read in `parts` ranges of their key (dates), each on
    /// its own thread and read-only connection (two cores: 0.50 s to 0.33 s at 160,000
    /// clients), and joined in key order, so the result does not depend on the split.
    static func read(path: String, parts: Int = 2) throws -> (rows: [AttendedAppointment], therapists: [String]) {
        let db = try Database(path: path, mode: .readOnly)
        let referralCount = try db.scalarInt("SELECT count(*) FROM referrals") ?? 0
        let largestKey = try db.scalarInt("SELECT max(referral_key) FROM referrals") ?? 0
        var clients = PseudonymIndex(capacity: referralCount)
        // Referrals are numbered densely since schema version 14: a referral's client is an
        // array element, no lookup by pseudonym.
        var clientOfReferral = [Int32](repeating: -1, count: largestKey + 1)
        try db.makeStatement("SELECT referral_key, client_id FROM referrals").forEachRow { row in
            clientOfReferral[row.int(0)] = clients.denseIndex(row.withBlob(1, PseudonymKey.init))
        }
        // Date ranges of the table's key (schema version 13 keeps it in date order): the days
        // from the first contact to the last split evenly. The last bound is above every date.
        let first = try db.scalarString("SELECT min(date) FROM appointments").flatMap { Day(iso: $0) }?.ordinal ?? 0
        let last = try db.scalarString("SELECT max(date) FROM appointments").flatMap { Day(iso: $0) }?.ordinal ?? 0
        let bounds: [DatabaseValue] = (0...parts).map {
            $0 == parts ? .text("~") : .text(Day(ordinal: first + (last - first + 1) * $0 / parts).iso)
        }
        let results = PartResults(count: parts)
        let lookup = clientOfReferral
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            results.set(part, Result { try readAppointments(path: path, from: bounds[part], to: bounds[part + 1], clientOfReferral: lookup) })
        }
        var rows: [AttendedAppointment] = []
        var therapists: [String: Int32] = [:]
        for part in 0..<parts {
            let (partRows, names) = try results.get(part)
            let global = names.map { dense($0, in: &therapists) }
            rows += partRows.map { AttendedAppointment(client: $0.client, therapist: global[Int($0.therapist)], day: $0.day, minutes: $0.minutes) }
        }
        let names = therapists.sorted { $0.value < $1.value }.map(\.key)
        return (rows, names)
    }

    /// The attended appointments with a duration dated `from..<to`, with therapist
    /// indexes local to this part (`names` in index order).
    private static func readAppointments(path: String, from: DatabaseValue, to: DatabaseValue, clientOfReferral: [Int32])
        throws -> (rows: [AttendedAppointment], names: [String]) {
        let db = try Database(path: path, mode: .readOnly)
        var rows: [AttendedAppointment] = []
        var therapists: [String: Int32] = [:]
        var shortNames: [UInt64: Int32] = [:]   // names of at most 7 bytes, packed with their length
        try db.makeStatement("""
            SELECT referral_key, therapist_id, date, duration_minutes FROM appointments
            WHERE date >= ?1 AND date < ?2
              AND +status IN ('attended', 'attended_late') AND duration_minutes IS NOT NULL
            """).forEachRow([from, to]) { row in
            let key = row.int(0)
            guard clientOfReferral.indices.contains(key), case let client = clientOfReferral[key], client >= 0,
                  let day = row.withUTF8(2, { Day(isoBytes: $0) }) else { return }
            let therapist = row.withUTF8(1) { name in
                guard name.count < 8 else { return dense(String(decoding: name, as: UTF8.self), in: &therapists) }
                let packed = name.reduce(UInt64(name.count)) { $0 << 8 | UInt64($1) }
                if let index = shortNames[packed] { return index }
                let index = dense(String(decoding: name, as: UTF8.self), in: &therapists)
                shortNames[packed] = index
                return index
            }
            rows.append(AttendedAppointment(client: client, therapist: therapist, day: Int32(day.ordinal), minutes: Int32(row.int(3))))
        }
        return (rows, therapists.sorted { $0.value < $1.value }.map(\.key))
    }

    /// The dense index of `key`, a new one when it is first seen.
    private static func dense<Key: Hashable>(_ key: Key, in indexes: inout [Key: Int32]) -> Int32 {
        if let existing = indexes[key] { return existing }
        let next = Int32(indexes.count)
        indexes[key] = next
        return next
    }
}

/// The result of each part of a parallel read, set by its own thread.
private final class PartResults: @unchecked Sendable {
    // @unchecked: `slots` is only touched under `lock`.
    private var slots: [Result<(rows: [AttendedAppointment], names: [String]), Error>?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ part: Int, _ result: Result<(rows: [AttendedAppointment], names: [String]), Error>) {
        lock.withLock { slots[part] = result }
    }

    func get(_ part: Int) throws -> (rows: [AttendedAppointment], names: [String]) {
        try lock.withLock { slots[part] }!.get()
    }
}
