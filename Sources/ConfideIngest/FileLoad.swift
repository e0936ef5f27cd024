import ConfideModel
import ConfideStore

/// The load of one canonical file within an ingest run.
struct FileLoad {
    let file: CanonicalFile
    let db: Database
    let runID: Int
    let pseudonymizer: Pseudonymizer
    let reader: CSVReader
    var fields: FieldReader
    var report: FileReport
    let headerCount: Int
    let upserter: Upserter
    let quarantine: Statement
    let referralExists: Statement

    init(file: CanonicalFile, source: CSVSource, db: Database, run: Int, dates: DateParser, pseudonymizer: Pseudonymizer) throws {
        let name = source.fileNames[file] ?? file.fileName
        let reader: CSVReader
        do {
            reader = try CSVReader(path: source.path(of: file), separator: source.separator)
        } catch CSVReaderError.utf16 {
            throw IngestError.undecodable(file: name, detail: "UTF-16 byte-order mark")
        } catch {
            throw IngestError.missingFile(path: source.path(of: file))
        }
        guard reader.next() else { throw IngestError.missingColumn(file: name, column: "header row (the file is empty)") }
        var report = FileReport(file: name)
        var headerIndex: [String: Int] = [:]
        for index in 0..<reader.fieldCount {
            guard let raw = reader.field(index) else { throw IngestError.undecodable(file: name, detail: "header row is not UTF-8") }
            headerIndex[normalisedWord(raw.trimmingSpaces()), default: index] = index
        }
        let mapping = source.columns[file] ?? [:]
        var columns: [String: Int] = [:]
        var used = Set<Int>()
        for field in file.fields {
            let sourceName = normalisedWord(mapping[field] ?? field)
            if let index = headerIndex[sourceName] { columns[field] = index; used.insert(index) }
        }
        for required in file.requiredFields where columns[required] == nil {
            throw IngestError.missingColumn(file: name, column: mapping[required] ?? required)
        }
        for index in 0..<reader.fieldCount where !used.contains(index) {
            let rawName = reader.field(index)?.trimmingSpaces() ?? ""
            report.droppedColumns.append(DroppedColumn(name: printableColumnName(rawName, index: index),
                                                       looksIdentifying: looksIdentifying(rawName)))
        }
        self.file = file
        self.db = db
        self.runID = run
        self.pseudonymizer = pseudonymizer
        self.reader = reader
        self.report = report
        self.headerCount = reader.fieldCount
        self.fields = FieldReader(reader: reader, columns: columns, dates: dates)
        switch file {
        case .referrals:
            upserter = try Upserter(db, table: "referrals", keys: ["referral_id"], content: [
                "client_id", "received_date", "age", "gender", "ethnicity", "postcode_district",
                "referral_source", "presenting_problem", "end_date", "end_reason"])
        case .appointments:
            upserter = try Upserter(db, table: "appointments", keys: ["appointment_id"], content: [
                "referral_id", "therapist_id", "date", "kind", "status", "modality", "delivery", "duration_minutes"])
        case .measures:
            upserter = try Upserter(db, table: "measures", keys: ["referral_id", "date", "instrument"], content: ["score"])
        }
        quarantine = try db.makeStatement("INSERT INTO quarantine (run_id, file, line, column_name, reason) VALUES (?, ?, ?, ?, ?)")
        referralExists = try db.makeStatement("SELECT 1 FROM referrals WHERE referral_id = ?")
    }

    mutating func load() throws -> FileReport {
        while reader.next() {
            report.read += 1
            do {
                try checkShape()
                let (keys, content) = try parseRow()
                switch try upserter.upsert(keys: keys, content: content, run: runID) {
                case .inserted: report.inserted += 1
                case .updated: report.updated += 1
                case .unchanged: report.unchanged += 1
                case .conflict: try reject(RowRejection(column: keyColumn, reason: .duplicateConflict))
                }
            } catch let rejection as RowRejection {
                try reject(rejection)
            }
        }
        report.outOfVocabulary = fields.outOfVocabulary
        return report
    }

    private var keyColumn: String { file == .appointments ? "appointment_id" : "referral_id" }

    private mutating func reject(_ rejection: RowRejection) throws {
        report.reasons[rejection.reason.rawValue, default: 0] += 1
        try quarantine.execute([runID, report.file, reader.recordLine, rejection.column, rejection.reason.rawValue])
    }

    /// Whole-record problems found by the reader.
    private func checkShape() throws(RowRejection) {
        if reader.unterminatedQuote { throw RowRejection(column: "", reason: .unterminatedQuote) }
        if let index = reader.oversizedField { throw RowRejection(column: columnName(index), reason: .fieldTooLarge) }
        if let index = reader.nulField { throw RowRejection(column: columnName(index), reason: .nulByte) }
        if let index = reader.strayQuoteField { throw RowRejection(column: columnName(index), reason: .strayQuote) }
        if reader.isBlank { throw RowRejection(column: "", reason: .emptyRow) }
        if reader.fieldCount != headerCount {
            throw RowRejection(column: reader.fieldCount > headerCount ? "column \(headerCount + 1)" : "column \(reader.fieldCount + 1)", reason: .raggedRow)
        }
    }

    private func columnName(_ index: Int) -> String {
        fields.columns.first { $0.value == index }?.key ?? "column \(index + 1)"
    }

    private mutating func parseRow() throws -> ([DatabaseValue], [DatabaseValue]) {
        switch file {
        case .referrals: return try parseReferral()
        case .appointments: return try parseAppointment()
        case .measures: return try parseMeasure()
        }
    }

    private func requireReferral(_ pseudonym: String) throws {
        var found = false
        try referralExists.forEachRow([pseudonym]) { _ in found = true }
        if !found { throw RowRejection(column: "referral_id", reason: .unknownReferral) }
    }

    private mutating func parseReferral() throws -> ([DatabaseValue], [DatabaseValue]) {
        let referral = pseudonymizer.pseudonym(.referral, try fields.identifier("referral_id"))
        let client = pseudonymizer.pseudonym(.client, try fields.identifier("client_id"))
        let received = try fields.day("received_date")
        var age = try fields.optionalInt("age", in: 0...120, reason: .badAge)
        if let birth = try? fields.optionalDay("date_of_birth") {
            let years = received.age(bornOn: birth)
            guard birth <= received, (0...120).contains(years) else {
                throw RowRejection(column: "date_of_birth", reason: .badDateOfBirth)
            }
            age = years
        } else if (try? fields.text("date_of_birth")) != nil {
            throw RowRejection(column: "date_of_birth", reason: .badDateOfBirth)
        }
        let gender = try fields.word("gender", Gender.self, missing: .notStated)
        let ethnicity = try fields.word("ethnicity", Ethnicity.self, missing: .notStated)
        let district = try fields.text("postcode").flatMap(postcodeDistrict)
        if try fields.text("postcode") != nil, district == nil { fields.outOfVocabulary["postcode", default: 0] += 1 }
        let source = try fields.word("referral_source", ReferralSource.self, missing: .other)
        let problem = try fields.word("presenting_problem", PresentingProblem.self, missing: .other)
        let end = try fields.optionalDay("end_date")
        if let end, end < received { throw RowRejection(column: "end_date", reason: .endBeforeReceived) }
        let reason: EndReason? = end == nil ? nil : try fields.word("end_reason", EndReason.self, missing: .other)
        return ([.text(referral)], [
            .text(client), .text(received.iso), age.databaseValue, .text(gender.rawValue), .text(ethnicity.rawValue),
            district.databaseValue, .text(source.rawValue), .text(problem.rawValue),
            (end?.iso).databaseValue, (reason?.rawValue).databaseValue,
        ])
    }

    private mutating func parseAppointment() throws -> ([DatabaseValue], [DatabaseValue]) {
        let appointment = pseudonymizer.pseudonym(.appointment, try fields.identifier("appointment_id"))
        let referral = pseudonymizer.pseudonym(.referral, try fields.identifier("referral_id"))
        let therapist = try fields.required("therapist_id")
        guard therapist.utf8.count <= 64, therapist.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_-. ".contains($0)) }) else {
            throw RowRejection(column: "therapist_id", reason: .badTherapistID)
        }
        let date = try fields.day("date")
        let status = try fields.strictWord("status", AppointmentStatus.self, reason: .unknownStatus)
        let kind = try fields.word("kind", AppointmentKind.self, missing: .treatment)
        let modality = try fields.word("modality", Modality.self, missing: .other)
        let delivery = try fields.word("delivery", Delivery.self, missing: .inPerson)
        let minutes = try fields.optionalInt("duration_minutes", in: 0...1440, reason: .badDuration)
        try requireReferral(referral)
        return ([.text(appointment)], [
            .text(referral), .text(therapist), .text(date.iso), .text(kind.rawValue), .text(status.rawValue),
            .text(modality.rawValue), .text(delivery.rawValue), minutes.databaseValue,
        ])
    }

    private mutating func parseMeasure() throws -> ([DatabaseValue], [DatabaseValue]) {
        let referral = pseudonymizer.pseudonym(.referral, try fields.identifier("referral_id"))
        let date = try fields.day("date")
        let instrument = try fields.strictWord("instrument", Instrument.self, reason: .unknownInstrument)
        guard let score = Int(try fields.required("score")) else { throw RowRejection(column: "score", reason: .badScore) }
        guard instrument.range.contains(score) else { throw RowRejection(column: "score", reason: .scoreOutOfRange) }
        try requireReferral(referral)
        return ([.text(referral), .text(date.iso), .text(instrument.rawValue)], [.integer(Int64(score))])
    }
}
