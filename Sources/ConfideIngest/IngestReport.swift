/// Why a row was quarantined. The code is stored with file, line and column, never a value.
/// (`unknown_referral` rows also wait, pseudonymised, and load when their referral arrives.)
public enum QuarantineReason: String, Sendable, Codable, CaseIterable {
    case raggedRow = "ragged_row"
    case emptyRow = "empty_row"
    case unterminatedQuote = "unterminated_quote"
    case strayQuote = "stray_quote"
    case nulByte = "nul_byte"
    case fieldTooLarge = "field_too_large"
    case invalidUTF8 = "invalid_utf8"
    case missingValue = "missing_value"
    case badIdentifier = "bad_identifier"
    case badDate = "bad_date"
    case badDateOfBirth = "bad_date_of_birth"
    case badAge = "bad_age"
    case endBeforeReceived = "end_before_received"
    case badTherapistID = "bad_therapist_id"
    case unknownStatus = "unknown_status"
    /// None of `[source.appointments.status_columns]` is set and `status_when_unset` is not given.
    case noStatusSet = "no_status_set"
    case unknownInstrument = "unknown_instrument"
    case badScore = "bad_score"
    case scoreOutOfRange = "score_out_of_range"
    case badDuration = "bad_duration"
    case unknownReferral = "unknown_referral"
    case duplicateConflict = "duplicate_conflict"
}

/// A column that was dropped at read time (the allowlist does not name it).
public struct DroppedColumn: Sendable, Codable, Equatable {
    /// The header name, or `column N` when the header itself does not look like a name.
    public let name: String
    /// True when the name suggests identifying data (names, contacts, notes, NHS numbers, …).
    public let looksIdentifying: Bool
}

/// The reconciliation of one input file in one ingest run:
/// read = loaded + quarantined + expired + forgotten.
public struct FileReport: Sendable, Codable, Equatable {
    /// The file name.
    public var file: String
    /// Data rows read (the header is not counted).
    public var read = 0
    /// Rows stored for the first time.
    public var inserted = 0
    /// Rows that changed a stored row.
    public var updated = 0
    /// Rows identical to what was stored.
    public var unchanged = 0
    /// Rows quarantined, by reason.
    public var reasons: [String: Int] = [:]
    /// Rows of referrals deleted when their retention period passed (`confide purge`),
    /// recognised by the tombstone of their referral's pseudonym and skipped, never stored.
    public var expired = 0
    /// Rows of clients erased on request (`confide forget`), recognised by the tombstone of
    /// their client's or referral's pseudonym and skipped, never stored.
    public var forgotten = 0
    /// Referral rows loaded with `restricted` set (a client who needs more protection);
    /// counted among the loaded rows, not beside them.
    public var restricted = 0
    /// Columns dropped at read time.
    public var droppedColumns: [DroppedColumn] = []
    /// Values outside a vocabulary, stored as the fallback, per canonical field.
    public var outOfVocabulary: [String: Int] = [:]
    /// The encoding a CSV file was read in (nil for SQLite sources).
    public var encoding: String?
    /// Snapshot mode: stored rows of this file that the export no longer holds, after
    /// re-dated scores were replaced (nil in delta mode). Kept unless `snapshot_deletes`.
    public var missingFromSnapshot: Int?
    /// Snapshot mode: stored rows of this file deleted because the export no longer holds them
    /// (`[source] snapshot_deletes`, or a deleted referral's rows).
    public var deleted = 0
    /// Snapshot mode, scores: stored scores of a referral replaced by the export's scores for
    /// it (a re-dated score replaces its old row; `docs/input-format.md`).
    public var replaced = 0

    /// Creates an empty report for `file`.
    public init(file: String) { self.file = file }

    /// Rows loaded: inserted + updated + unchanged.
    public var loaded: Int { inserted + updated + unchanged }
    /// Rows quarantined.
    public var quarantined: Int { reasons.values.reduce(0, +) }
    /// True when read = loaded + quarantined + expired + forgotten.
    public var isReconciled: Bool { read == loaded + quarantined + expired + forgotten }
}

/// The outcome of one ingest run.
public struct IngestReport: Sendable, Codable, Equatable {
    /// The run's number in the store.
    public var runID: Int
    /// One report per file, in load order.
    public var files: [FileReport]
    /// Rows that waited from earlier runs for their referral: per file, read = loaded now +
    /// still waiting (counted under `unknown_referral`). Empty when nothing waited.
    public var waiting: [FileReport] = []
    /// `snapshot` or `delta`.
    public var mode: String = "snapshot"
    /// In snapshot mode, referrals in the store that this export did not load (absent from it,
    /// or present but quarantined). They are kept, never deleted. Nil in delta mode.
    public var missingFromSnapshot: Int?

    /// Creates a report.
    public init(runID: Int, files: [FileReport], waiting: [FileReport] = [], mode: String = "snapshot", missingFromSnapshot: Int? = nil) {
        self.runID = runID
        self.files = files
        self.waiting = waiting
        self.mode = mode
        self.missingFromSnapshot = missingFromSnapshot
    }
}

/// One quarantined row: where and why, never what.
public struct QuarantineEntry: Sendable, Equatable {
    /// The file name.
    public let file: String
    /// The physical line where the row starts.
    public let line: Int
    /// The canonical (or header) column at fault; empty for whole-row problems.
    public let column: String
    /// The reason code.
    public let reason: QuarantineReason
}
