import ConfideModel
import ConfideStore

/// Why a row offered to the store is skipped without being stored or held: its client or
/// referral was erased on request, or its referral passed its retention period.
enum Erasure {
    /// The client, or the referral, was erased (`confide forget`).
    case forgotten
    /// The referral was deleted when its retention period passed (`confide purge`).
    case expired
}

/// The tombstones of the store (`forgotten` and `expired`), read when a file's load starts: a
/// row whose client or referral has one is counted (`forgotten`, `expired`) and skipped.
///
/// A referral row of a forgotten client also makes its referral's tombstone known, in memory
/// and in `forgotten`, so that the referral's appointments and scores, in this export or a
/// later one, are skipped as well, even though the client's id is not on them.
struct Tombstones {
    private var forgottenClients: Set<String> = []
    private var forgottenReferrals: Set<String> = []
    private var expiredReferrals: Set<String> = []
    private let pseudonymizer: Pseudonymizer
    private let db: any SQLConnection

    /// Reads the tombstones of `db` (an SQLite or a PostgreSQL store).
    init(_ db: any SQLConnection, pseudonymizer: Pseudonymizer) throws {
        self.pseudonymizer = pseudonymizer
        self.db = db
        var clients: Set<String> = [], referrals: Set<String> = [], expired: Set<String> = []
        for (tombstone, kind) in try db.fetch("SELECT tombstone, kind FROM forgotten", [], { ($0.string(0), $0.string(1)) }) {
            if kind == "client" { clients.insert(tombstone) } else { referrals.insert(tombstone) }
        }
        for tombstone in try db.fetch("SELECT tombstone FROM expired", [], { $0.string(0) }) { expired.insert(tombstone) }
        forgottenClients = clients
        forgottenReferrals = referrals
        expiredReferrals = expired
    }

    /// True when the store holds no tombstone: nothing is skipped and no HMAC is computed.
    var isEmpty: Bool { forgottenClients.isEmpty && forgottenReferrals.isEmpty && expiredReferrals.isEmpty }

    /// Whether `row` of `file` belongs to an erased client or referral, or an expired referral.
    mutating func erasure(of row: CanonicalRow, in file: CanonicalFile) throws -> Erasure? {
        guard !isEmpty else { return nil }
        let referral: String?
        if file == .referrals, case .blob(let own) = row.keys.first { referral = HexBlob.text(own) } else { referral = row.referral }
        guard let referral else { return nil }
        return try erasure(referral: referral, client: row.client)
    }

    /// Whether the referral `referral` (a pseudonym), of the client `client` when known, was
    /// erased or expired; a forgotten client's referral is learnt as forgotten.
    mutating func erasure(referral: String, client: String?) throws -> Erasure? {
        guard !isEmpty else { return nil }
        let referralTombstone = pseudonymizer.tombstone(of: referral)
        if forgottenReferrals.contains(referralTombstone) { return .forgotten }
        if let client, !forgottenClients.isEmpty, forgottenClients.contains(pseudonymizer.tombstone(of: client)) {
            forgottenReferrals.insert(referralTombstone)
            try db.execute("INSERT INTO forgotten (tombstone, kind) VALUES (?, 'referral') ON CONFLICT DO NOTHING", [referralTombstone])
            return .forgotten
        }
        if expiredReferrals.contains(referralTombstone) { return .expired }
        return nil
    }
}
