public import ConfideModel
import ConfideIngest
import ConfideStore
import Logging

/// What `confide purge` deleted (or, with `--dry-run`, would delete). Counts only.
public struct PurgeReport: Sendable, Codable, Equatable {
    /// The day the retention periods were measured to.
    public var today: String
    /// True when nothing was deleted (`--dry-run`).
    public var dryRun: Bool
    /// Referrals past their retention period: of clients 18 or over when referred, under 18,
    /// and of unknown age.
    public var adultReferrals = 0, under18Referrals = 0, unknownAgeReferrals = 0
    /// Rows deleted (or to delete), per table; `waiting` are rows that waited for one of them.
    public var referrals = 0, appointments = 0, measures = 0, waiting = 0
}

extension Workspace {
    /// ``purge(dryRun:)`` recorded in the run log (`confide runs`) with its counts.
    public func loggedPurge(dryRun: Bool) throws -> PurgeReport {
        try logged(dryRun ? "purge --dry-run" : "purge", \.summary) { try purge(dryRun: dryRun) }
    }

    /// Deletes every referral whose retention period (``RetentionSettings/keptUntil``) ended
    /// before `today`, with its appointments, scores and waiting rows, and records each
    /// referral's tombstone in `expired`, so that a re-ingest of an export that still holds it
    /// skips its rows (`expired`). One transaction; then the deleted bytes are removed from the
    /// store's files. Stored releases and the ledger are kept: they are protected aggregates,
    /// and a window that reaches back before the purge is summed from them.
    public func purge(dryRun: Bool = false, today: Day? = nil) throws -> PurgeReport {
        let today = today ?? self.today
        return try onStore {
            var report = PurgeReport(today: today.iso, dryRun: dryRun)
            if dryRun {
                return try store.readTransaction { db in
                    let expired = try expiredReferrals(today: today, counting: &report, in: db)
                    report.referrals = expired.count
                    for referral in expired {
                        report.appointments += try db.fetchInt("SELECT count(*) FROM appointments a JOIN referrals r ON a.referral_key = r.referral_key WHERE r.referral_id = ?", [DatabaseValue.blob(hex: referral)]) ?? 0
                        report.measures += try db.fetchInt("SELECT count(*) FROM measures m JOIN referrals r ON m.referral_key = r.referral_key WHERE r.referral_id = ?", [DatabaseValue.blob(hex: referral)]) ?? 0
                    }
                    return report
                }
            }
            let pseudonymizer = Pseudonymizer(key: key)
            report = try store.writeTransaction { db in
                let expired = try expiredReferrals(today: today, counting: &report, in: db)
                guard !expired.isEmpty else { return report }
                for referral in expired {
                    try db.execute("INSERT INTO expired (tombstone) VALUES (?) ON CONFLICT DO NOTHING", [pseudonymizer.tombstone(of: referral)])
                }
                try StoredReferrals.erase(expired, countingInto: &report, in: db)
                return report
            }
            if report.referrals > 0 { try finishErasure() }
            logger.info("purge: \(report.summary)")
            return report
        }
    }

    /// The stored referrals whose retention period ended before `today`, counted by age group
    /// into `report`.
    private func expiredReferrals(today: Day, counting report: inout PurgeReport, in db: any SQLConnection) throws -> [String] {
        let rule = configuration.retention
        var expired: [String] = []
        _ = try db.fetch("""
            SELECT \(db.dialect.hex("r.referral_id")), r.received_date, r.age, r.end_date,
                   \(db.dialect.greatest)(r.end_date,
                       coalesce((SELECT max(a.date) FROM appointments a WHERE a.referral_key = r.referral_key), r.end_date),
                       coalesce((SELECT max(m.date) FROM measures m WHERE m.referral_key = r.referral_key), r.end_date))
            FROM referrals r WHERE r.end_date IS NOT NULL AND r.end_date < ?
            """, [today.iso]) { row in
            guard let received = Day(iso: row.string(1)), let ended = Day(iso: row.string(3)), let last = Day(iso: row.string(4)),
                  let until = rule.keptUntil(received: received, age: row.optionalInt(2), ended: ended, lastActivity: last),
                  until < today else { return }
            expired.append(row.string(0))
            switch row.optionalInt(2) {
            case nil: report.unknownAgeReferrals += 1
            case let age? where age < 18: report.under18Referrals += 1
            default: report.adultReferrals += 1
            }
        }
        return expired
    }
}

extension PurgeReport {
    /// One line: what was (or would be) deleted, never a value.
    public var summary: String {
        let verb = dryRun ? "would delete" : "deleted"
        guard referrals > 0 else { return "no referral is past its retention period on \(today)" }
        return "\(referrals) referrals past their retention period on \(today) (\(adultReferrals) of adults, \(under18Referrals) of clients under 18 when referred, \(unknownAgeReferrals) of unknown age): \(verb) \(referrals) referrals, \(appointments) appointments, \(measures) scores" + (dryRun ? "" : " and \(waiting) waiting rows")
    }
}
