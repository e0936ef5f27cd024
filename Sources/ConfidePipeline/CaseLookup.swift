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
        var found: (period: String, therapist: String)?
        // The code is matched as a whole JSON string, never as a part of one.
        try db.cachedStatement("SELECT period, therapist FROM case_lists WHERE instr(payload, ?) > 0 ORDER BY period DESC LIMIT 1")
            .forEachRow(["\"" + wanted + "\""]) { found = ($0.string(0), $0.string(1)) }
        guard let found, let period = SupervisionPeriod(found.period) else { return nil }
        let codes = CaseCodes(practiceKey: key, stable: configuration.stableCaseCodes)
        var lookup: CaseLookup?
        try db.cachedStatement("""
            SELECT r.referral_id, r.received_date, r.end_date,
                   (SELECT count(*) FROM appointments a WHERE a.referral_key = r.referral_key AND a.status IN ('attended', 'attended_late')),
                   (SELECT min(date) FROM appointments a WHERE a.referral_key = r.referral_key AND a.status IN ('attended', 'attended_late')),
                   (SELECT max(date) FROM appointments a WHERE a.referral_key = r.referral_key AND a.status IN ('attended', 'attended_late'))
            FROM referrals r WHERE r.received_date <= ?
            """).forEachRow([period.last.end.iso]) { row in
            guard lookup == nil, codes.code(referral: row.hex(0), period: period) == wanted else { return }
            lookup = CaseLookup(code: wanted, period: found.period, therapist: found.therapist, received: row.string(1),
                                ended: row.optionalString(2), attended: row.int(3), firstAttended: row.optionalString(4),
                                latestAttended: row.optionalString(5))
        }
        return lookup
    }
}
