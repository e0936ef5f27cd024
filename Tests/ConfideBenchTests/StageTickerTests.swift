import ConfideBench
import Testing

@Suite struct StageTickerTests {
    /// Silent for the first two seconds; then elapsed time, and with a rate from a smaller
    /// size the rows/s expected and an eta that falls as time passes and stops at zero.
    @Test func theLineAppearsAfterTwoSecondsWithAnEtaFromTheEarlierRate() throws {
        let ticker = StageTicker(label: "100000 clients: ingest", rows: 1_000_000, expectedRate: 100_000, isEnabled: false)
        #expect(ticker.line(elapsed: 1.9) == nil)
        #expect(ticker.line(elapsed: 2.4) == "confide-bench: 100000 clients: ingest: 2 s, about 100000 rows/s expected, eta 8 s")
        #expect(ticker.line(elapsed: 7) == "confide-bench: 100000 clients: ingest: 7 s, about 100000 rows/s expected, eta 3 s")
        #expect(ticker.line(elapsed: 30)?.hasSuffix("eta 0 s") == true)
        let first = StageTicker(label: "10000 clients: ingest", rows: 10, expectedRate: nil, isEnabled: false)
        #expect(first.line(elapsed: 3) == "confide-bench: 10000 clients: ingest: 3 s")
    }
}
