@testable import ConfideMetrics
import ConfideStore
import Testing

/// `Pseudonym` stands in for the hex text the metrics held before: the same order (which
/// numbers clients and so the data hash), the same equality, and the same text back.
struct PseudonymTests {
    private func pseudonym(_ bytes: [UInt8]) -> Pseudonym { bytes.withUnsafeBytes { Pseudonym(bytes: $0) } }

    @Test func itOrdersAndEqualsAsItsHexTextAndGivesItBack() {
        var generator = SystemRandomNumberGenerator()
        var keys: [[UInt8]] = []
        for _ in 0..<2_000 {
            // Mostly 16 bytes, as stored; some shorter, longer, empty, and near-equal keys.
            let length = [16, 16, 16, 16, 0, 1, 8, 15, 17, 24][Int.random(in: 0..<10, using: &generator)]
            keys.append((0..<length).map { _ in UInt8.random(in: 0...3, using: &generator) * 85 })
        }
        keys += [[], [0], [0, 0], Array(repeating: 0, count: 16), Array(repeating: 0, count: 17), Array(repeating: 255, count: 16)]
        let pseudonyms = keys.map(pseudonym)
        for (key, value) in zip(keys, pseudonyms) {
            #expect(value.hex == HexBlob.text(key))
            #expect(value.bytes == key)
        }
        for _ in 0..<20_000 {
            let a = Int.random(in: 0..<keys.count, using: &generator), b = Int.random(in: 0..<keys.count, using: &generator)
            let (textA, textB) = (HexBlob.text(keys[a]), HexBlob.text(keys[b]))
            #expect((pseudonyms[a] < pseudonyms[b]) == (textA < textB), "\(textA) < \(textB)")
            #expect((pseudonyms[a] == pseudonyms[b]) == (textA == textB))
        }
        #expect(Set(pseudonyms).count == Set(keys.map(HexBlob.text)).count)
    }
}
