import ConfideModel
import ConfideStore
import Foundation

/// Where a case code of a published case list leads, inside the practice: what the therapist
/// needs to find the case in the practice system (dates and counts; the store holds no name
/// or source id to show).
public struct CaseLookup: Sendable, Equatable {
    /// The code looked up.
    public let code: String
    /// The supervision period of the case list that holds it.
    public let period: String
    /// The therapist whose list holds it.
    public let therapist: String
    /// The day the referral was received.
    public let received: String
    /// The day it ended, if it has.
    public let ended: String?
    /// Attended appointments in all, and the first and latest of them.
    public let attended: Int, firstAttended: String?, latestAttended: String?
}

extension Workspace {
    /// Finds `code` in the stored case lists, then the referral whose keyed code in that
    /// list's period it is (``CaseCodes``); nil when no stored list holds it or its referral is
    /// no longer in the store.
    public func lookUpCase(_ code: String) throws -> CaseLookup? {
        let wanted = code.trimmingCharacters(in: .whitespaces).lowercased()
        let db = store
        // The code is matched as a whole JSON string, never as a part of one.
        let lists = try db.fetch("SELECT period, therapist FROM case_lists WHERE \(db.dialect.contains("payload", "?")) ORDER BY period DESC LIMIT 1",
                                 ["\"" + wanted + "\""]) { ($0.string(0), $0.string(1)) }
        guard let found = lists.first, let period = SupervisionPeriod(found.0) else { return nil }
        let codes = CaseCodes(practiceKey: key, stable: configuration.stableCaseCodes)
        // Which referral has the code: the codes are keyed HMACs, made here from each
        // referral's pseudonym; then that referral's figures alone.
        let referrals = try db.fetch("SELECT \(db.dialect.hex("referral_id")) FROM referrals WHERE received_date <= ?", [period.last.end.iso]) { $0.string(0) }
        guard let referral = referrals.first(where: { codes.code(referral: $0, period: period) == wanted }) else { return nil }
        let attended = "a.referral_key = r.referral_key AND a.status IN ('attended', 'attended_late')"
        let lookup = try db.fetch("""
            SELECT r.received_date, r.end_date, (SELECT count(*) FROM appointments a WHERE \(attended)),
                   (SELECT min(date) FROM appointments a WHERE \(attended)), (SELECT max(date) FROM appointments a WHERE \(attended))
            FROM referrals r WHERE r.referral_id = ?
            """, [DatabaseValue.blob(hex: referral)]) { row in
            CaseLookup(code: wanted, period: found.0, therapist: found.1, received: row.string(0), ended: row.optionalString(1),
                       attended: row.int(2), firstAttended: row.optionalString(3), latestAttended: row.optionalString(4))
        }.first
        return lookup
    }
}
