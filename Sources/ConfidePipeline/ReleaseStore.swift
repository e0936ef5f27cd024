import ConfideModel
@_spi(ReleaseStore) import ConfideRelease
import ConfideStore
import Foundation

/// Stored releases: the protected values of each published period, noise included. On SQLite
/// or PostgreSQL (``ConfideStore/SQLConnection``).
struct ReleaseStore {
    let db: any SQLConnection

    struct Stored {
        let release: ProtectedRelease
        let dataHash: String
    }

    func find(_ period: ISOWeek) throws -> Stored? { try find(period.description, in: "releases") }

    /// The stored release whose `period` is `key` in `table` (`releases` or `supervision_releases`).
    private func find(_ key: String, in table: String) throws -> Stored? {
        let found = try db.fetch("SELECT payload, data_hash FROM \(table) WHERE period = ?", [key]) { ($0.string(0), $0.string(1)) }
        guard let (payload, hash) = found.first else { return nil }
        return Stored(release: try ReleaseCodec.decode(payload), dataHash: hash)
    }

    /// Every week with a stored release, oldest first.
    func releasedWeeks() throws -> [ISOWeek] {
        try db.fetch("SELECT period FROM releases ORDER BY period", []) { $0.string(0) }.compactMap(ISOWeek.init)
    }

    /// Releases of the `count` weeks before `period`, oldest first (missing weeks skipped).
    func history(before period: ISOWeek, weeks count: Int) throws -> [ProtectedRelease] {
        try db.fetch("SELECT payload FROM releases WHERE period >= ? AND period < ? ORDER BY period",
                     [period.adding(weeks: -count).description, period.description]) { try ReleaseCodec.decode($0.string(0)) }
    }

    func save(_ release: ProtectedRelease, period: ISOWeek, dataHash: String, created: String) throws {
        try db.execute("""
            INSERT INTO releases (period, created, mode, epsilon, delta, data_hash, payload) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (period) DO UPDATE SET created = excluded.created, mode = excluded.mode, epsilon = excluded.epsilon,
              delta = excluded.delta, data_hash = excluded.data_hash, payload = excluded.payload
            """, [period.description, created, release.mode.rawValue, Double(release.epsilon) ?? 0, release.delta, dataHash,
                  try ReleaseCodec.encode(release)])
    }

    /// The stored release of supervision period `period`.
    func find(_ period: SupervisionPeriod) throws -> Stored? { try find(period.description, in: "supervision_releases") }

    /// Supervision releases of at most `count` periods before `period` that closed in the 52
    /// weeks to its end, oldest first.
    func history(before period: SupervisionPeriod, periods count: Int) throws -> [ProtectedRelease] {
        let all = try db.fetch("SELECT payload FROM supervision_releases WHERE last_week >= ? AND last_week < ? ORDER BY last_week",
                               [period.last.adding(weeks: -51).description, period.first.description]) { try ReleaseCodec.decode($0.string(0)) }
        return Array(all.suffix(count))
    }

    func save(_ release: ProtectedRelease, period: SupervisionPeriod, dataHash: String, created: String) throws {
        try db.execute("""
            INSERT INTO supervision_releases (period, last_week, created, mode, epsilon, delta, data_hash, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (period) DO UPDATE SET created = excluded.created, mode = excluded.mode, epsilon = excluded.epsilon,
              delta = excluded.delta, data_hash = excluded.data_hash, payload = excluded.payload
            """, [period.description, period.last.description, created, release.mode.rawValue, Double(release.epsilon) ?? 0,
                  release.delta, dataHash, try ReleaseCodec.encode(release)])
    }

    /// The stored case lists of supervision period `period`, by therapist (empty when the
    /// period was released without them).
    func caseLists(_ period: SupervisionPeriod) throws -> [ProtectedCaseList] {
        try db.fetch("SELECT payload FROM case_lists WHERE period = ? ORDER BY therapist", [period.description]) {
            try ProtectedCaseList.decoded(from: Data($0.string(0).utf8))
        }
    }

    /// Stores `lists` as the case lists of `period`, replacing any stored before.
    func save(caseLists lists: [ProtectedCaseList], period: SupervisionPeriod, created: String) throws {
        try db.execute("DELETE FROM case_lists WHERE period = ?", [period.description])
        for list in lists {
            try db.execute("INSERT INTO case_lists (period, therapist, created, payload) VALUES (?, ?, ?, ?)",
                           [period.description, list.therapist, created, String(decoding: try list.encoded(), as: UTF8.self)])
        }
    }
}
