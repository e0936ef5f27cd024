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

    /// One statement asks all three: 1 when the client, referral or appointment pseudonym of
    /// the token is stored (one round trip a token on a PostgreSQL store, not three).
    private static let lookup = """
        SELECT CASE WHEN EXISTS (SELECT 1 FROM referrals WHERE client_id = ?) OR EXISTS (SELECT 1 FROM referrals WHERE referral_id = ?)
                         OR EXISTS (SELECT 1 FROM appointments WHERE appointment_id = ?) THEN 1 END
        """

    /// A test against the store `db` under `pseudonymizer` (the practice key's).
    init(pseudonymizer: Pseudonymizer, db: any SQLConnection) {
        self.pseudonymizer = pseudonymizer
        self.db = db
    }

    /// True when `token` is a source identifier.
    func isSourceIdentifier(_ token: String) -> Bool {
        if let known = answers[token] { return known }
        let pseudonyms = [IdentifierDomain.client, .referral, .appointment].map { DatabaseValue.blob(hex: pseudonymizer.pseudonym($0, token)) }
        // A store that cannot answer (a broken connection) counts as a match: the audit then
        // fails and nothing is published, rather than passing unchecked.
        let found: Bool
        do { found = try db.fetchInt(Self.lookup, pseudonyms) != nil } catch { found = true }
        answers[token] = found
        return found
    }
}
