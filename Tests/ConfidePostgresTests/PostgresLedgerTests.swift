import ConfideMetrics
import ConfideModel
@testable import ConfidePipeline
import ConfidePostgres
import ConfidePrivacy
import ConfideRelease
import ConfideSchema
import ConfideStore
import Foundation
import Testing

@Suite("SQL shared by SQLite and PostgreSQL")
struct PlaceholderTests {
    @Test func questionMarksAreNumberedOutsideQuotes() {
        #expect(PostgresConnection.numberedPlaceholders("SELECT a FROM t WHERE b = ? AND c < ? ORDER BY a")
                == "SELECT a FROM t WHERE b = $1 AND c < $2 ORDER BY a")
        #expect(PostgresConnection.numberedPlaceholders("SELECT '?', \"a?b\", ? WHERE x = 'it''s ?' AND y = ?")
                == "SELECT '?', \"a?b\", $1 WHERE x = 'it''s ?' AND y = $2")
        #expect(PostgresConnection.numberedPlaceholders("r.end_date BETWEEN ?1 AND ?2 OR r.received_date = ?1")
                == "r.end_date BETWEEN $1 AND $2 OR r.received_date = $1")
    }
}

/// The budget ledger and the stored releases (``Ledger``, ``ReleaseStore``) on PostgreSQL: the
/// same entries and releases as on SQLite, and a release stored and charged in one
/// transaction, or neither when the connection breaks between the two.
@Suite("PostgreSQL ledger and stored releases", .enabled(if: PostgresTestServer.runs), .serialized)
struct PostgresLedgerTests {
    /// A small protected release of `week` (three therapists' appointments), drawn with a
    /// seeded sampler.
    private func protectedRelease(_ week: String, seed: UInt64) -> ProtectedRelease {
        let histogram = Catalogue.histogram("appointments")!
        var cells = histogram.classes.map { ClassCell(histogram: histogram.id, cls: $0, groupType: .practice, group: "all") }
        for therapist in ["T1", "T2", "T3"] {
            cells += histogram.classes.map { ClassCell(histogram: histogram.id, cls: $0, groupType: .therapist, group: therapist) }
        }
        var contributions: [Contribution] = []
        for client in Int32(0)..<60 {
            let therapist = ["T1", "T2", "T3"][Int(client) % 3]
            contributions.append(Contribution(client: client, cell: Int32(cells.firstIndex(of: ClassCell(
                histogram: histogram.id, cls: "attended", groupType: .therapist, group: therapist))!), amount: 1))
            contributions.append(Contribution(client: client, cell: Int32(cells.firstIndex(of: ClassCell(
                histogram: histogram.id, cls: "attended", groupType: .practice, group: "all"))!), amount: 1))
        }
        let measures = Catalogue.measures.filter {
            if case .count(let id, _) = $0.formula { return id == "appointments" } else { return false }
        }
        let table = ExactTable(name: .caseload, histograms: [histogram], cells: cells, contributions: contributions, measures: measures)
        let exact = ExactRelease(period: ISOWeek(week)!, tables: [table])
        var sampler = ExactSampler(source: SplitMix(seed: seed))
        return Protector(settings: PrivacySettings()).protect(exact, sampler: &sampler)
    }

    /// Stores and charges `release` for `week` in one write transaction, as a weekly run does.
    private func storeAndCharge(_ release: ProtectedRelease, week: ISOWeek, on db: any SQLConnection,
                                between: () throws -> Void = {}) throws {
        try db.writeTransaction { db in
            try ReleaseStore(db: db).save(release, period: week, dataHash: "hash-\(week)", created: "2026-12-07T10:00:00Z")
            try between()
            try Ledger(db: db).charge(period: week, charge: release.charge, delta: 0, created: "2026-12-07T10:00:00Z", note: "weekly")
        }
    }

    @Test func theLedgerAndTheStoredReleasesReadAlikeOnBothEngines() throws {
        let sqlite = try Database(path: ":memory:")
        try Schema.migrator.migrate(sqlite)
        let postgres = try PostgresConnection(try PostgresTestServer.freshDatabase())
        try PostgresSchema.create(on: postgres)
        let weeks = ["2026-W10", "2026-W11", "2026-W13"]
        let releases = weeks.enumerated().map { protectedRelease($0.element, seed: UInt64($0.offset + 1)) }
        for db in [sqlite as any SQLConnection, postgres] {
            for (week, release) in zip(weeks, releases) { try storeAndCharge(release, week: ISOWeek(week)!, on: db) }
        }
        let sqliteEntries = try Ledger(db: sqlite).entries()
        #expect(sqliteEntries.count == 3)
        #expect(try Ledger(db: postgres).entries() == sqliteEntries)
        #expect(try Ledger(db: postgres).worstYear() == (try Ledger(db: sqlite).worstYear()))
        for store in [ReleaseStore(db: sqlite), ReleaseStore(db: postgres)] {
            #expect(try store.releasedWeeks() == weeks.compactMap(ISOWeek.init))
            for (week, release) in zip(weeks, releases) {
                let stored = try #require(try store.find(ISOWeek(week)!))
                #expect(stored.release == release)
                #expect(stored.dataHash == "hash-\(week)")
            }
            #expect(try store.history(before: ISOWeek("2026-W13")!, weeks: 2) == [releases[1]])
        }
    }

    @Test func aReleaseIsStoredAndChargedTogetherOrNotAtAll() throws {
        let location = try PostgresTestServer.freshDatabase()
        let setup = try PostgresConnection(location)
        try PostgresSchema.create(on: setup)
        let week = ISOWeek("2026-W20")!
        let release = protectedRelease("2026-W20", seed: 7)
        // The run's connection is killed after the release is stored, before it is charged.
        let run = try PostgresConnection(location)
        let backend = try #require(try run.scalarInt("SELECT pg_backend_pid()"))
        #expect(throws: PostgresError.self) {
            try storeAndCharge(release, week: week, on: run) {
                try setup.query("SELECT pg_terminate_backend($1::int)", [backend])
            }
        }
        #expect(try ReleaseStore(db: setup).find(week) == nil, "no release stored without its charge")
        #expect(try Ledger(db: setup).entries().isEmpty, "no charge without its release")
        // The re-run stores and charges once.
        try storeAndCharge(release, week: week, on: try PostgresConnection(location))
        #expect(try ReleaseStore(db: setup).find(week)?.release == release)
        #expect(try Ledger(db: setup).entries().map(\.period) == ["2026-W20"])
    }
}
