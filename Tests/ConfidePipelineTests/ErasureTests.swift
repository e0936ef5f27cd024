import ConfideIngest
import ConfideModel
@testable import ConfidePipeline
import ConfideStore
import Foundation
import Testing

/// The store's files: the database, its WAL, shared memory and rollback journal (those that exist).
private func storeFiles(_ configuration: Configuration) -> [String: Data] {
    var files: [String: Data] = [:]
    for suffix in ["", "-wal", "-shm", "-journal"] {
        if let data = FileManager.default.contents(atPath: configuration.storePath + suffix) { files[suffix.isEmpty ? "store" : suffix] = data }
    }
    return files
}

/// The bytes the store keeps for a planted pseudonym (its hex as a BLOB).
private func stored(_ pseudonym: String) -> Data { Data(HexBlob.bytes(pseudonym) ?? Array(pseudonym.utf8)) }

/// The planted pseudonyms found in any of `files`, with the file they were found in.
private func found(_ planted: Set<String>, in files: [String: Data]) -> [String] {
    planted.sorted().flatMap { text in files.filter { $0.value.range(of: stored(text)) != nil }.map { "\(text) in \($0.key)" } }
}

/// True when each planted pseudonym is in at least one of `files` (so a search for them can fail).
private func allPresent(_ planted: Set<String>, in files: [String: Data]) -> Bool {
    planted.allSatisfy { text in files.values.contains { $0.range(of: stored(text)) != nil } }
}

/// Every file under the reports folder, as one blob per file.
private func reportFiles(_ configuration: Configuration) -> [String: Data] {
    var files: [String: Data] = [:]
    for relative in FileManager.default.subpaths(atPath: configuration.publishDir) ?? [] {
        if let data = FileManager.default.contents(atPath: configuration.publishDir + "/" + relative) { files[relative] = data }
    }
    return files
}

/// The rows of `file` in the practice's exports (header dropped), split on commas (the
/// synthetic exports quote nothing).
private func exportRows(_ practice: PracticeFixture, _ file: String) throws -> [[String]] {
    try String(contentsOfFile: practice.folder + "/exports/" + file, encoding: .utf8)
        .split(whereSeparator: \.isNewline).dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
}

@Suite struct ErasureTests {
    @Test func forgetDeletesEveryRowOfTheClientFromEveryFileAndReIngestsSkipIt() throws {
        let practice = try PracticeFixture(clients: 200)
        let configuration = try practice.configuration()
        let run = try ScheduledRun.run(configuration, selection: .week(practice.plainWeek), logger: quiet)
        #expect(run.weeks.map(\.status) == ["published"])
        let reportsBefore = reportFiles(configuration)

        // The planted client: the one with the most appointments in the export.
        let referrals = try exportRows(practice, "referrals.csv")
        let appointments = try exportRows(practice, "appointments.csv")
        let measures = try exportRows(practice, "measures.csv")
        let clientOf = Dictionary(referrals.map { ($0[0], $0[1]) }, uniquingKeysWith: { a, _ in a })
        let busiest = Dictionary(grouping: appointments, by: { clientOf[$0[1]] ?? "" }).max { ($0.value.count, $1.key) < ($1.value.count, $0.key) }!.key
        let theirReferrals = Set(referrals.filter { $0[1] == busiest }.map { $0[0] })
        let theirAppointments = appointments.filter { theirReferrals.contains($0[1]) }
        let theirScores = measures.filter { theirReferrals.contains($0[0]) }
        #expect(!theirAppointments.isEmpty && !theirScores.isEmpty)

        let workspace = try Workspace(configuration: configuration, logger: quiet)
        let pseudonymizer = Pseudonymizer(key: workspace.key)
        var planted: Set<String> = [pseudonymizer.pseudonym(.client, busiest)]
        planted.formUnion(theirReferrals.map { pseudonymizer.pseudonym(.referral, $0) })
        planted.formUnion(theirAppointments.map { pseudonymizer.pseudonym(.appointment, $0[0]) })
        // The search can fail: before the erasure the store holds every planted pseudonym.
        #expect(allPresent(planted, in: storeFiles(configuration)))

        let report = try workspace.forget(clientID: busiest)
        #expect(report.referrals == theirReferrals.count && report.appointments == theirAppointments.count && report.measures == theirScores.count)
        #expect(!report.alreadyForgotten)
        // With the connection still open (a WAL may exist) and after it closes.
        #expect(found(planted, in: storeFiles(configuration)) == [])
        #expect(try workspace.db.scalarInt("SELECT count(*) FROM forgotten WHERE kind = 'client'") == 1)
        #expect(try workspace.db.scalarString("PRAGMA integrity_check") == "ok")

        // A re-ingest of the same export brings back none of the client's rows.
        let again = try workspace.ingest()
        #expect(again.files.map(\.forgotten) == [theirReferrals.count, theirAppointments.count, theirScores.count])
        #expect(again.files.allSatisfy { $0.isReconciled && $0.expired == 0 && $0.inserted == 0 })
        #expect(again.files.map(\.read) == [referrals.count, appointments.count, measures.count])
        #expect(found(planted, in: storeFiles(configuration)) == [])
        #expect(try workspace.db.scalarInt("SELECT sum(forgotten) FROM ingest_files WHERE run_id = ?", [again.runID]) == theirReferrals.count + theirAppointments.count + theirScores.count)

        // Forgetting again deletes nothing; the run of the same week republishes the stored
        // release, and no output holds a planted pseudonym or the id.
        #expect(try workspace.forget(clientID: busiest).alreadyForgotten)
        let rerun = try ScheduledRun.run(configuration, selection: .week(practice.plainWeek), logger: quiet)
        #expect(rerun.weeks.map(\.epsilonCharged) == [0])
        let reports = reportFiles(configuration)
        #expect(found(planted, in: reports) == [])
        for (name, data) in reportsBefore where name.hasSuffix(".csv") { #expect(reports[name] == data, "\(name) changed") }
        #expect(found(planted, in: storeFiles(configuration)) == [])
    }

    @Test func purgeDeletesExpiredReferralsKeepsReleasesAndReIngestsCountThemExpired() throws {
        // Adults kept 1 year after the end, children until 18, measured on a day 300 days after
        // the data end: adult referrals whose last row is about 65 days or more before it expire.
        let practice = try PracticeFixture(clients: 200, extra: "\n[retention]\nadult_years = 1\nunder_18_until_age = 18\n")
        let configuration = try practice.configuration()
        // A week whose referrals the purge deletes, and the latest plain week (untouched by it).
        let weeks: [ISOWeek] = [practice.plainWeek.adding(weeks: -20), practice.plainWeek]
        for week in weeks {
            #expect(try ScheduledRun.run(configuration, selection: .week(week), logger: quiet).weeks.map(\.status) == ["published"])
        }
        let reportsBefore = reportFiles(configuration)
        let workspace = try Workspace(configuration: configuration, logger: quiet)
        let ledgerBefore = try workspace.ledgerEntries()
        let releasesBefore = try workspace.db.scalarInt("SELECT count(*) FROM releases")
        let today = practice.lastWeek.end.adding(days: 300)

        let preview = try workspace.purge(dryRun: true, today: today)
        #expect(preview.referrals > 0 && preview.adultReferrals > 0)
        let referralsBefore = try workspace.db.cachedStatement("SELECT referral_id, client_id FROM referrals").map([]) { ($0.hex(0), $0.hex(1)) }
        // Adults: kept one year after their last row (end, appointment or score), by SQLite's
        // own calendar.
        let expiredAdults = Set(try workspace.db.cachedStatement("""
            SELECT r.referral_id FROM referrals r
            WHERE r.end_date IS NOT NULL AND r.age >= 18 AND date(max(r.end_date,
              coalesce((SELECT max(date) FROM appointments a WHERE a.referral_key = r.referral_key), r.end_date),
              coalesce((SELECT max(date) FROM measures m WHERE m.referral_key = r.referral_key), r.end_date)), '+1 years') < ?
            """).map([today.iso]) { $0.hex(0) })
        #expect(expiredAdults.count == preview.adultReferrals && expiredAdults.count < referralsBefore.count)

        let filesBefore = storeFiles(configuration)
        let purge = try workspace.purge(today: today)
        #expect(purge.referrals == preview.referrals && purge.appointments == preview.appointments && purge.measures == preview.measures)
        let referralsAfter = Set(try workspace.db.cachedStatement("SELECT referral_id, client_id FROM referrals").map([]) { $0.hex(0) + " " + $0.hex(1) })
        let deleted = referralsBefore.filter { !referralsAfter.contains($0.0 + " " + $0.1) }
        #expect(deleted.count == purge.referrals && expiredAdults.isSubset(of: deleted.map(\.0)))
        // Clients all of whose referrals expired leave nothing behind, not even their pseudonym.
        let keptClients = Set(referralsAfter.map { String($0.split(separator: " ")[1]) })
        let planted = Set(deleted.map(\.0)).union(Set(deleted.map(\.1)).subtracting(keptClients))
        #expect(allPresent(planted, in: filesBefore))
        #expect(found(planted, in: storeFiles(configuration)) == [])
        #expect(try workspace.purge(today: today).referrals == 0)
        #expect(try workspace.ledgerEntries() == ledgerBefore)
        #expect(try workspace.db.scalarInt("SELECT count(*) FROM releases") == releasesBefore)

        let again = try workspace.ingest()
        #expect(again.files.map(\.expired) == [purge.referrals, purge.appointments, purge.measures])
        #expect(again.files.allSatisfy { $0.isReconciled && $0.forgotten == 0 && $0.inserted == 0 })
        #expect(found(planted, in: storeFiles(configuration)) == [])

        // The weeks released before the purge are published from their stored releases, byte for
        // byte, and never drawn again, even when asked to re-release changed data.
        let after = try weeks.map { try ScheduledRun.run(configuration, selection: .week($0), rerelease: true, logger: quiet).weeks[0] }
        #expect(after.map(\.status) == ["unchanged", "unchanged"] && after.map(\.epsilonCharged) == [0, 0])
        // The older week's data did change (its referrals were purged): kept all the same.
        #expect(after[0].dataChangedSinceRelease)
        #expect(reportFiles(configuration) == reportsBefore)
        #expect(try workspace.ledgerEntries() == ledgerBefore)
    }

    @Test func aLongerRetentionNeedsAReason() throws {
        let practice = try PracticeFixture(clients: 50, extra: "\n[retention]\nadult_years = 25\n")
        #expect { _ = try practice.configuration() } throws: { ($0 as? ConfideError)?.status == .config }
        let reasoned = try PracticeFixture(clients: 50, extra: "\n[retention]\nadult_years = 25\nadult_years_reason = \"research\"\nunder_18_until_age = 21\n")
        let retention = try reasoned.configuration().retention
        #expect(retention.adultYears == 25 && retention.under18UntilAge == 21 && !retention.purgeOnRun)
        let child = try PracticeFixture(clients: 50, extra: "\n[retention]\nunder_18_until_age = 30\n")
        #expect { _ = try child.configuration() } throws: { ($0 as? ConfideError)?.status == .config }
    }

    @Test(arguments: [
        // (received, age, ended, expected keep-until): adults 20 years after the end; children to
        // the latest day of their 25th birthday, the 26th when 17 or possibly 17 at the end.
        ("2020-03-01", 40, "2021-05-10", "2041-05-10"),
        ("2020-03-01", 10, "2021-05-10", "2035-03-01"),
        ("2020-03-01", 16, "2021-05-10", "2030-03-01"),
        ("2020-03-01", 17, "2020-09-10", "2029-03-01"),
        ("2020-03-01", 15, "2020-09-10", "2030-03-01"),
    ])
    func theCodeOfPracticePeriods(received: String, age: Int, ended: String, expected: String) {
        let rule = RetentionSettings()
        let day = { (text: String) in Day(iso: text)! }
        #expect(rule.keptUntil(received: day(received), age: age, ended: day(ended), lastActivity: day(ended)) == day(expected))
        #expect(rule.keptUntil(received: day(received), age: age, ended: nil, lastActivity: day(ended)) == nil)
    }
}
