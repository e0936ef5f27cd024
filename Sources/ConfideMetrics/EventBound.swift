import ConfideModel
import ConfideStore

/// The lifetime contribution bound of the event histograms: in any 52 consecutive ISO weeks,
/// a client's events of one kind count for at most ``limit`` of them (`[privacy]
/// referrals_per_client_year`).
///
/// The rule is local and deterministic: an event counts when fewer than ``limit`` events of the
/// same kind of the same client (counted or not) fall in the 51 ISO weeks before its week or
/// earlier in its own (an earlier day, or the same day and a smaller referral id). Two counted
/// events in one 52-week window are always within each other's look-back, so no window holds
/// more than ``limit`` counted events of a kind; counting uncounted events too only drops more.
/// A `finished` event looks back over the client's endings (every finished course is an
/// ending), which keeps the rule without classifying every earlier course.
///
/// It reads the client's own referrals only (their received and end dates and first two
/// attended treatment sessions, from `referral_progress`), once per client per computation.
final class EventBound {
    /// Events of one kind a client may contribute in any 52 weeks.
    let limit: Int
    private let db: Database
    private let upTo: Day
    /// ``upTo`` as the store writes it, made once rather than for every client.
    private let upToISO: String
    private var history: [Pseudonym: [ReferralEvent: [(day: Day, referral: Pseudonym)]]] = [:]

    init(limit: Int, db: Database, upTo: Day) {
        self.limit = limit
        self.db = db
        self.upTo = upTo
        upToISO = upTo.iso
    }

    /// True when `client`'s event `kind` of `referral` on `day` counts.
    func counts(_ kind: ReferralEvent, client: Pseudonym, referral: Pseudonym, day: Day) throws -> Bool {
        let events = try self.events(of: client)[kind == .finished ? .ended : kind] ?? []
        let from = ISOWeek(containing: day).adding(weeks: -51).start
        let earlier = events.filter { $0.day >= from && ($0.day < day || ($0.day == day && $0.referral < referral)) }
        return earlier.count < limit
    }

    private func events(of client: Pseudonym) throws -> [ReferralEvent: [(day: Day, referral: Pseudonym)]] {
        if let known = history[client] { return known }
        var events: [ReferralEvent: [(day: Day, referral: Pseudonym)]] = [:]
        try db.cachedStatement("SELECT referral_id, received_date, end_date FROM referrals WHERE client_id = ?1 AND received_date <= ?2")
            .forEachRow([DatabaseValue.blob(client.bytes), upToISO]) { row in
                let referral = Pseudonym(row, 0)
                if let received = row.withUTF8(1, { Day(isoBytes: $0) }) { events[.received, default: []].append((received, referral)) }
                if !row.isNull(2), let end = row.withUTF8(2, { Day(isoBytes: $0) }), end <= upTo { events[.ended, default: []].append((end, referral)) }
            }
        // The first two attended treatment sessions of each referral are in its progress row;
        // those on or before `upTo` are its first two up to then.
        try db.cachedStatement("""
            SELECT r.referral_id, p.first_treatment, p.second_treatment FROM referrals r CROSS JOIN referral_progress p ON p.referral_key = r.referral_key
            WHERE r.client_id = ?1 AND p.first_treatment <= ?2
            """).forEachRow([DatabaseValue.blob(client.bytes), upToISO]) { row in
                let referral = Pseudonym(row, 0)
                if let first = row.withUTF8(1, { Day(isoBytes: $0) }) { events[.entered, default: []].append((first, referral)) }
                if !row.isNull(2), let second = row.withUTF8(2, { Day(isoBytes: $0) }), second <= upTo {
                    events[.secondSession, default: []].append((second, referral))
                }
            }
        history[client] = events
        return events
    }
}
