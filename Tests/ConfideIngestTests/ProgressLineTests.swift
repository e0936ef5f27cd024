@testable import ConfideIngest
import Testing

@Suite struct ProgressLineTextTests {
    /// The ingest progress line: share of bytes, rows, rows per second and an eta from the
    /// bytes left at the rate so far.
    @Test func rowsPerSecondAndEta() {
        #expect(ProgressLine.text(label: "appointments.csv", bytes: 25, totalBytes: 100, rows: 50_000, elapsed: 5)
                == "confide: reading appointments.csv: 25% (50000 rows, 10000 rows/s, eta 15 s)")
        #expect(ProgressLine.text(label: "a", bytes: 100, totalBytes: 100, rows: 7, elapsed: 2) == "confide: reading a: 100% (7 rows, 3 rows/s, eta 0 s)")
    }
}
