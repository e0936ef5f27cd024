/// One quarantined row as the store keeps it: where it was and why, never its values.
public struct QuarantineEntry: Sendable, Equatable, Codable {
    /// The ingest run that read it.
    public let run: Int
    /// When that run started (UTC, ISO 8601).
    public let started: String
    /// The source file (its name in the export).
    public let file: String
    /// The line in the file (1 is the header).
    public let line: Int
    /// The canonical column that failed (or the row, for a whole-row reason).
    public let column: String
    /// Why the row was not loaded.
    public let reason: String
}
