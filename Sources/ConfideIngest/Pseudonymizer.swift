import ConfideStore
import Crypto

/// The practice's secret key for pseudonyms. Held in memory only; never logged.
public struct PracticeKey: Sendable {
    let key: SymmetricKey

    /// Creates a key from its raw bytes (at least 32).
    public init(bytes: [UInt8]) throws(PseudonymError) {
        guard bytes.count >= 32 else { throw .keyTooShort(bytes.count) }
        self.key = SymmetricKey(data: bytes)
    }

    /// A fingerprint that identifies the key without revealing it: HMAC of a fixed label,
    /// 64 bits in hex. Stored in the store so that a different key is refused.
    public var fingerprint: String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("confide key fingerprint v1".utf8), using: key)
        return HexBlob.text(Array(mac.prefix(8)))
    }
}

/// Why a key cannot be used.
public enum PseudonymError: Error, Sendable, Equatable {
    /// The key file held fewer than 32 bytes.
    case keyTooShort(Int)
}

/// Which kind of identifier a pseudonym stands for; each kind gets its own HMAC domain, so
/// equal raw values of different kinds get unrelated pseudonyms.
public enum IdentifierDomain: String, Sendable, CaseIterable {
    case client, referral, appointment

    /// The position in `allCases`.
    var index: Int {
        switch self {
        case .client: return 0
        case .referral: return 1
        case .appointment: return 2
        }
    }
}

/// Turns raw identifiers into HMAC-SHA256 pseudonyms (the first 128 bits, as 32 hex digits in
/// memory; the store keeps them as 16-byte BLOBs, ``pseudonymKey(_:_:)``).
///
/// Not a plain hash: without the practice key, a pseudonym cannot be recomputed from a guessed
/// identifier.
public struct Pseudonymizer: Sendable {
    private let base: HMAC<SHA256>
    /// The keyed HMAC with the domain label absorbed, per domain (in `allCases` order), copied
    /// for each value so the key schedule runs once.
    private let bases: [HMAC<SHA256>]
    /// The keyed HMAC with the tombstone label absorbed (``tombstone(of:)``).
    private let tombstoneBase: HMAC<SHA256>

    /// Creates a pseudonymiser under `key`.
    public init(key: PracticeKey) {
        self.base = HMAC<SHA256>(key: key.key)
        var tombstone = HMAC<SHA256>(key: key.key)
        tombstone.update(data: Array("tombstone:".utf8))
        self.tombstoneBase = tombstone
        self.bases = IdentifierDomain.allCases.map { domain in
            var mac = HMAC<SHA256>(key: key.key)
            mac.update(data: Array((domain.rawValue + ":").utf8))
            return mac
        }
    }

    /// The pseudonym of `value` in `domain`.
    public func pseudonym(_ domain: IdentifierDomain, _ value: some Collection<UInt8>) -> String {
        var mac = bases[domain.index]
        mac.update(data: Array(value))
        return Self.hex16(mac.finalize())
    }

    /// The pseudonym of `value` in `domain`.
    public func pseudonym(_ domain: IdentifierDomain, _ value: String) -> String {
        Self.hex16(code(domain, value))
    }

    /// The pseudonym of `value` in `domain`, as hex text (as confide holds it in memory) and
    /// as the 16-byte BLOB the store keeps (schema version 10).
    func pseudonymKey(_ domain: IdentifierDomain, _ value: String) -> (text: String, stored: DatabaseValue) {
        let code = code(domain, value)
        return (Self.hex16(code), .blob(code.withUnsafeBytes { Array($0.prefix(16)) }))
    }

    /// The HMAC of `value`'s UTF-8 bytes in `domain`.
    private func code(_ domain: IdentifierDomain, _ value: String) -> HMAC<SHA256>.MAC {
        var mac = bases[domain.index]
        var text = value
        text.withUTF8 { mac.update(data: $0) }
        return mac.finalize()
    }

    /// The tombstone of a stored pseudonym: its HMAC-SHA256 under the practice key in a domain
    /// of its own (128 bits, 32 hex digits). The `forgotten` and `expired` tables hold
    /// tombstones, never the pseudonyms themselves, so after an erasure or a purge no file of the
    /// store (nor a backup taken before it) can be joined to them, while a re-ingest, which
    /// computes the same pseudonym and so the same tombstone, still recognises the rows.
    public func tombstone(of pseudonym: String) -> String {
        var mac = tombstoneBase
        var text = pseudonym
        text.withUTF8 { mac.update(data: $0) }
        return Self.hex16(mac.finalize())
    }

    /// The first 16 bytes of `code` as 32 lower-case hex digits.
    private static func hex16(_ code: HMAC<SHA256>.MAC) -> String {
        code.withUnsafeBytes { HexBlob.text(UnsafeRawBufferPointer(rebasing: $0.prefix(16))) }
    }
}

extension PracticeKey {
    /// HMAC-SHA256 of `bytes` under the key, in hex: a keyed digest that cannot be reversed by
    /// guessing small inputs (used to tell whether a period's data changed).
    public func authenticationCode(for bytes: [UInt8]) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: bytes, using: key)
        return HexBlob.text(Array(mac))
    }
}
