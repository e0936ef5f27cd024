import ConfideIngest
import ConfideStore
import Logging

/// What `confide forget` deleted. Counts only: the client's id and pseudonym appear nowhere.
public struct ForgetReport: Sendable, Codable, Equatable {
    /// Referrals of the client deleted.
    public var referrals = 0
    /// Their appointments deleted.
    public var appointments = 0
    /// Their outcome-measure scores deleted.
    public var measures = 0
    /// Rows that waited for one of the client's referrals, deleted.
    public var waiting = 0
    /// True when the client had already been forgotten before this request.
    public var alreadyForgotten = false

    /// Every row deleted.
    public var rows: Int { referrals + appointments + measures + waiting }
}

extension Workspace {
    /// ``forget(clientID:)`` recorded in the run log (`confide runs`) with its counts, never
    /// the id.
    public func loggedForget(clientID: String) throws -> ForgetReport {
        try logged("forget", { report in
            "forgot one client: deleted \(report.referrals) referrals, \(report.appointments) appointments, \(report.measures) scores, \(report.waiting) waiting rows"
        }) { try forget(clientID: clientID) }
    }

    /// Erases one client on request: deletes every row of the client whose practice-system id
    /// is `clientID` (referrals, appointments, scores, rows waiting for a referral) and records
    /// the tombstones of the client and of its referrals in `forgotten`, so that no later
    /// ingest stores them again; then removes the deleted bytes from the store's files
    /// (``Database/eraseDeletedBytes()``).
    ///
    /// The id is turned into its pseudonym under the practice key and then into its tombstone;
    /// neither the id nor the pseudonym is stored, logged or returned. The deletion is one
    /// transaction: a kill leaves the store before it or after it.
    public func forget(clientID: String) throws -> ForgetReport {
        return try onStore {
            let pseudonymizer = Pseudonymizer(key: key)
            let client = pseudonymizer.pseudonym(.client, clientID)
            let clientTombstone = pseudonymizer.tombstone(of: client)
            let report = try store.writeTransaction { db in
                var report = ForgetReport()
                report.alreadyForgotten = try db.fetchInt("SELECT 1 FROM forgotten WHERE tombstone = ?", [clientTombstone]) != nil
                let referrals = try db.fetch("SELECT \(db.dialect.hex("referral_id")) FROM referrals WHERE client_id = ?", [DatabaseValue.blob(hex: client)]) { $0.string(0) }
                try db.execute("INSERT INTO forgotten (tombstone, kind) VALUES (?, 'client') ON CONFLICT DO NOTHING", [clientTombstone])
                for referral in referrals {
                    try db.execute("INSERT INTO forgotten (tombstone, kind) VALUES (?, 'referral') ON CONFLICT DO NOTHING", [pseudonymizer.tombstone(of: referral)])
                }
                try StoredReferrals.erase(referrals, countingInto: &report, in: db)
                return report
            }
            try finishErasure()
            logger.info("forget: deleted \(report.referrals) referrals, \(report.appointments) appointments, \(report.measures) scores and \(report.waiting) waiting rows of one client; its tombstone is kept so re-ingests skip it")
            return report
        }
    }
}
