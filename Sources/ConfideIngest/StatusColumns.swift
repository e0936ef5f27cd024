import ConfideModel

/// An appointment's status derived from several source columns, as Cliniko's API gives it
/// (`cancelled_at`, `did_not_arrive`, `patient_arrived`): `[source.appointments.status_columns]`
/// names, per source column, the canonical status it means when that column is set.
///
/// A column is set when its trimmed value is not empty and is not (ignoring ASCII case)
/// `false`, `0`, `no`, `n` or `f`. When several are set, ``precedence`` decides. When none is,
/// the status is `status_when_unset`, else the row is quarantined (`no_status_set`). Only the
/// derived word is kept: the columns' values are never stored, logged or put in a message.
struct StatusColumns: Sendable {
    /// The statuses from the strongest to the weakest: when several listed columns are set,
    /// the first of these among them is the row's status.
    static let precedence: [AppointmentStatus] = [
        .cancelledByPractice, .cancelledByClient, .cancelled, .dna, .lateNotSeen, .attendedLate, .attended,
    ]

    /// One listed column at its position in the source record.
    struct Source: Sendable {
        /// The column's position in the record.
        let index: Int
        /// The status the column means when it is set.
        let status: AppointmentStatus
        /// The source column name as configured (named in quarantine records, never its value).
        let column: String
    }

    /// The listed columns, strongest status first (ties by column name).
    let sources: [Source]
    /// The status when no listed column is set (nil: such rows are quarantined).
    let whenUnset: AppointmentStatus?

    /// The listed columns of `mapping`, found with `position` (a source column name → its
    /// position in the record, nil when the source lacks it); nil when `mapping` lists none.
    ///
    /// - Throws: ``IngestError/missingColumn(file:column:)`` for the first listed column (by
    ///   name) that the source lacks.
    static func resolve(_ mapping: FileMapping, label: String, position: (String) -> Int?) throws(IngestError) -> StatusColumns? {
        guard mapping.derivesStatus else { return nil }
        var sources: [Source] = []
        for (column, word) in mapping.statusColumns.sorted(by: { $0.key < $1.key }) {
            guard let index = position(column) else { throw .missingColumn(file: label, column: column) }
            // FileMapping.problems() has refused words outside the vocabulary before any read.
            guard let status = AppointmentStatus(rawValue: word) else { throw .badMapping(["[source.appointments.status_columns] \"\(column)\" is not a status word"]) }
            sources.append(Source(index: index, status: status, column: column))
        }
        let rank = { (status: AppointmentStatus) in precedence.firstIndex(of: status) ?? precedence.count }
        sources.sort { (rank($0.status), $0.column) < (rank($1.status), $1.column) }
        return StatusColumns(sources: sources, whenUnset: mapping.statusWhenUnset.flatMap(AppointmentStatus.init(rawValue:)))
    }

    /// The status of the current record of `record`.
    ///
    /// Every listed column is checked, so a value that is not valid UTF-8 quarantines the row
    /// (`invalid_utf8`, naming the column) whichever column decides.
    func status(of record: any SourceRecord) throws(RowRejection) -> AppointmentStatus {
        var chosen: AppointmentStatus?
        for source in sources {
            if try Self.isSet(record.fieldBytes(source.index), column: source.column), chosen == nil { chosen = source.status }
        }
        guard let status = chosen ?? whenUnset else { throw RowRejection(column: "status", reason: .noStatusSet) }
        return status
    }

    /// The words that mean "not set", in lower case.
    private static let falseWords: [[UInt8]] = ["false", "0", "no", "n", "f"].map { Array($0.utf8) }

    /// True when `bytes`, without leading and trailing spaces and tabs, are not empty and are
    /// not one of ``falseWords`` (ASCII case ignored). Works on the bytes: the value is never
    /// turned into a string.
    static func isSet(_ bytes: ArraySlice<UInt8>, column: String) throws(RowRejection) -> Bool {
        var bytes = bytes
        while let first = bytes.first, first == 32 || first == 9 { bytes.removeFirst() }
        while let last = bytes.last, last == 32 || last == 9 { bytes.removeLast() }
        if bytes.isEmpty { return false }
        guard bytes.allSatisfy({ $0 < 0x80 }) else {
            guard bytes.withUnsafeBufferPointer({ String(validating: $0, as: UTF8.self) }) != nil else {
                throw RowRejection(column: column, reason: .invalidUTF8)
            }
            return true
        }
        guard bytes.count <= 5 else { return true }
        let lowered = bytes.map { (65...90).contains($0) ? $0 | 0x20 : $0 }
        return !falseWords.contains(lowered)
    }
}

extension FieldReader {
    /// The appointment's status: derived from the listed status columns when the mapping has
    /// them, else the `status` column, which must hold a status word (or a value its map names).
    func status() throws(RowRejection) -> AppointmentStatus {
        if let statusColumns { return try statusColumns.status(of: record) }
        return try strictWord("status", AppointmentStatus.self, reason: .unknownStatus)
    }
}
