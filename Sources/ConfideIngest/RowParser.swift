import ConfideModel
import ConfideStore

/// A validated, pseudonymised canonical row: allowlisted fields only, ready for the store.
struct CanonicalRow: Sendable {
    /// The key columns, in the table's key order.
    var keys: [DatabaseValue]
    /// The other columns, in the table's content order.
    var content: [DatabaseValue]
    /// The pseudonym of the referral the row belongs to (appointments and measures), which
    /// must be stored before the row can be.
    var referral: String?
    /// The pseudonym of the client (referrals only), checked against the erased clients.
    var client: String?
    /// True for a referral the practice marked `restricted` (counted in the reconciliation).
    var isRestricted = false
    /// The keyed digest of the source record (``RowDigester``), stored with the row so that a
    /// later snapshot recognises the record unparsed; nil when the row has none.
    var digest: Int64?
    /// The fields whose value fell back to the vocabulary's fallback, as bits of their
    /// positions in `CanonicalFile.fields` (reported again when the record is recognised).
    var fallbacks = 0
    /// The first 64 bits of the first key (a pseudonym's BLOB, or a referral's integer key):
    /// rows sorted by it reach the table's B-tree in key order. Equal keys have equal values.
    private(set) var order: UInt64

    init(keys: [DatabaseValue], content: [DatabaseValue], referral: String? = nil, client: String? = nil) {
        self.keys = keys
        self.content = content
        self.referral = referral
        self.client = client
        if case .blob(let first) = keys.first { order = Self.prefix(first) } else { order = 0 }
    }

    /// The row as its table stores it (appointments and measures): the referral's pseudonym
    /// replaced by the referral's integer key (`referral_key`, schema version 14), in the first
    /// content column of an appointment and the first key column of a score. The row as parsed
    /// is what waits for a referral and what names it.
    func keyed(by referralKey: Int64) -> CanonicalRow {
        var row = self
        if keys.count == 1 {
            row.content[0] = .integer(referralKey)
        } else {
            row.keys[0] = .integer(referralKey)
            row.order = UInt64(bitPattern: referralKey)
        }
        return row
    }

    /// The leading 8 bytes of `bytes` as a big-endian number (in the same order as the bytes).
    private static func prefix(_ bytes: [UInt8]) -> UInt64 {
        var value: UInt64 = 0
        for index in 0..<8 { value = value << 8 | UInt64(index < bytes.count ? bytes[index] : 0) }
        return value
    }
}

/// The one validation path every source feeds: reads the canonical fields of the current
/// record, checks them, reduces date of birth and postcode, pseudonymises identifiers.
struct RowParser {
    let file: CanonicalFile
    let pseudonymizer: Pseudonymizer
    var fields: FieldReader

    /// The canonical row, or the first check that fails.
    mutating func parse() throws(RowRejection) -> CanonicalRow {
        switch file {
        case .referrals: return try parseReferral()
        case .appointments: return try parseAppointment()
        case .measures: return try parseMeasure()
        }
    }

    /// The key and content columns of each canonical table, in the order ``parse()`` fills them.
    /// `referral_key` holds the referral's pseudonym in a parsed row, its integer key once
    /// stored (``CanonicalRow/keyed(by:)``); the waiting tables name it `referral_id`.
    static func tableColumns(_ file: CanonicalFile) -> (table: String, keys: [String], content: [String]) {
        switch file {
        case .referrals:
            return ("referrals", ["referral_id"], ["client_id", "received_date", "age", "gender", "ethnicity", "postcode_district",
                                                   "referral_source", "presenting_problem", "end_date", "end_reason", "restricted"])
        case .appointments:
            return ("appointments", ["appointment_id"], ["referral_key", "therapist_id", "date", "kind", "status", "modality",
                                                         "delivery", "duration_minutes"])
        case .measures:
            return ("measures", ["referral_key", "date", "instrument"], ["score"])
        }
    }

    private mutating func parseReferral() throws(RowRejection) -> CanonicalRow {
        let referral = pseudonymizer.pseudonymKey(.referral, try fields.identifier("referral_id"))
        let client = pseudonymizer.pseudonymKey(.client, try fields.identifier("client_id"))
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
        let postcode = try fields.text("postcode")
        let district = postcode.flatMap(postcodeDistrict)
        if postcode != nil, district == nil {
            fields.outOfVocabulary["postcode", default: 0] += 1
            fields.fallbackCount += 1
        }
        let source = try fields.word("referral_source", ReferralSource.self, missing: .other)
        let problem = try fields.word("presenting_problem", PresentingProblem.self, missing: .other)
        let end = try fields.optionalDay("end_date")
        if let end, end < received { throw RowRejection(column: "end_date", reason: .endBeforeReceived) }
        let reason: EndReason? = end == nil ? nil : try fields.word("end_reason", EndReason.self, missing: .other)
        let restricted = try fields.word("restricted", Restriction.self, missing: .no) == .yes
        var row = CanonicalRow(keys: [referral.stored], content: [
            client.stored, .text(received.iso), age.databaseValue, .text(gender.rawValue), .text(ethnicity.rawValue),
            district.databaseValue, .text(source.rawValue), .text(problem.rawValue),
            (end?.iso).databaseValue, (reason?.rawValue).databaseValue, .integer(restricted ? 1 : 0),
        ], client: client.text)
        row.isRestricted = restricted
        return row
    }

    private mutating func parseAppointment() throws(RowRejection) -> CanonicalRow {
        let appointment = pseudonymizer.pseudonymKey(.appointment, try fields.identifier("appointment_id"))
        let referral = pseudonymizer.pseudonymKey(.referral, try fields.identifier("referral_id"))
        let therapist = try fields.required("therapist_id")
        guard therapist.utf8.count <= 64, therapist.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_-. ".contains($0)) }) else {
            throw RowRejection(column: "therapist_id", reason: .badTherapistID)
        }
        let date = try fields.day("date")
        let status = try fields.status()
        let kind = try fields.word("kind", AppointmentKind.self, missing: .treatment)
        let modality = try fields.word("modality", Modality.self, missing: .other)
        let delivery = try fields.word("delivery", Delivery.self, missing: .inPerson)
        let minutes = try fields.optionalInt("duration_minutes", in: 0...1440, reason: .badDuration)
        return CanonicalRow(keys: [appointment.stored], content: [
            referral.stored, .text(therapist), .text(date.iso), .text(kind.rawValue), .text(status.rawValue),
            .text(modality.rawValue), .text(delivery.rawValue), minutes.databaseValue,
        ], referral: referral.text)
    }

    private mutating func parseMeasure() throws(RowRejection) -> CanonicalRow {
        let referral = pseudonymizer.pseudonymKey(.referral, try fields.identifier("referral_id"))
        let date = try fields.day("date")
        let instrument = try fields.strictWord("instrument", Instrument.self, reason: .unknownInstrument)
        guard let score = Int(try fields.required("score")) else { throw RowRejection(column: "score", reason: .badScore) }
        guard instrument.range.contains(score) else { throw RowRejection(column: "score", reason: .scoreOutOfRange) }
        return CanonicalRow(keys: [referral.stored, .text(date.iso), .text(instrument.rawValue)],
                            content: [.integer(Int64(score))], referral: referral.text)
    }
}
