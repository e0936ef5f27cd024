import ConfideIngest
import ConfideStore

/// Whether a token of a published file is a client, referral or appointment id of the source:
/// the token is pseudonymised in each identifier domain and looked up in the store.
///
/// A leak audit asks about every token of every line, and the same words recur on many lines
/// (`td`, `class`, a therapist code), so each distinct token's answer is kept for the life of
/// the test (one audit). A test is not `Sendable`: it belongs to the audit that made it.
final class SourceIdentifierTest {
    private let pseudonymizer: Pseudonymizer
    private let db: any SQLConnection
    private var answers: [String: Bool] = [:]

    private static let lookups = [
        ("SELECT 1 FROM referrals WHERE client_id = ? LIMIT 1", IdentifierDomain.client),
        ("SELECT 1 FROM referrals WHERE referral_id = ? LIMIT 1", .referral),
        ("SELECT 1 FROM appointments WHERE appointment_id = ? LIMIT 1", .appointment),
    ]

    /// A test against the store `db` under `pseudonymizer` (the practice key's).
    init(pseudonymizer: Pseudonymizer, db: any SQLConnection) {
        self.pseudonymizer = pseudonymizer
        self.db = db
    }

    /// True when `token` is a source identifier.
    func isSourceIdentifier(_ token: String) -> Bool {
        if let known = answers[token] { return known }
        let found = Self.lookups.contains { sql, domain in
            // A store that cannot answer (a broken connection) counts as a match: the audit
            // then fails and nothing is published, rather than passing unchecked.
            do { return try db.fetchInt(sql, [DatabaseValue.blob(hex: pseudonymizer.pseudonym(domain, token))]) != nil } catch { return true }
        }
        answers[token] = found
        return found
    }
}
