/// SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed pseudorandom function with a 64-bit
/// output, fast on short inputs. Without the 128-bit key its output cannot be computed or
/// inverted, so it is a keyed digest, not a plain hash.
struct SipHash24: Sendable {
    private let k0: UInt64
    private let k1: UInt64

    /// A SipHash under the 16-byte key `key` (bytes beyond the sixteenth are ignored).
    init(key: some Collection<UInt8>) {
        let bytes = Array(key.prefix(16))
        precondition(bytes.count == 16, "SipHash needs a 16-byte key")
        var k0: UInt64 = 0, k1: UInt64 = 0
        for i in 0..<8 {
            k0 |= UInt64(bytes[i]) << (8 * UInt64(i))
            k1 |= UInt64(bytes[8 + i]) << (8 * UInt64(i))
        }
        self.k0 = k0
        self.k1 = k1
    }

    /// The 64-bit SipHash-2-4 of `bytes`.
    func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var v0 = k0 ^ 0x736f_6d65_7073_6575
        var v1 = k1 ^ 0x646f_7261_6e64_6f6d
        var v2 = k0 ^ 0x6c79_6765_6e65_7261
        var v3 = k1 ^ 0x7465_6462_7974_6573
        @inline(__always) func round() {
            v0 &+= v1; v1 = v1.rotatedLeft(13); v1 ^= v0; v0 = v0.rotatedLeft(32)
            v2 &+= v3; v3 = v3.rotatedLeft(16); v3 ^= v2
            v0 &+= v3; v3 = v3.rotatedLeft(21); v3 ^= v0
            v2 &+= v1; v1 = v1.rotatedLeft(17); v1 ^= v2; v2 = v2.rotatedLeft(32)
        }
        let count = bytes.count
        let whole = count & ~7
        var offset = 0
        while offset < whole {
            let m = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            v3 ^= m
            round(); round()
            v0 ^= m
            offset += 8
        }
        var last = UInt64(truncatingIfNeeded: count) << 56
        var shift: UInt64 = 0
        while offset < count {
            last |= UInt64(bytes[offset]) << shift
            shift += 8
            offset += 1
        }
        v3 ^= last
        round(); round()
        v0 ^= last
        v2 ^= 0xff
        round(); round(); round(); round()
        return v0 ^ v1 ^ v2 ^ v3
    }

    /// The 64-bit SipHash-2-4 of `bytes`.
    func hash(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { hash($0) }
    }
}

extension UInt64 {
    @inline(__always) fileprivate func rotatedLeft(_ count: UInt64) -> UInt64 {
        (self << count) | (self >> (64 - count))
    }
}
