public import Foundation

/// The re-identification risks of a case list's quasi-identifiers (ARX's sample-based
/// prosecutor, journalist and marketer models; `docs/anonymize.md`).
public struct CaseListRisk: Sendable, Equatable, Codable {
    /// The highest prosecutor risk (1 / smallest class).
    public let prosecutorMax: Double
    /// The average prosecutor risk (classes / records).
    public let prosecutorAverage: Double
    /// The highest journalist risk (the prosecutor's, with no population table).
    public let journalistMax: Double
    /// The marketer risk (classes / records).
    public let marketer: Double
    /// The share of records alone in their class.
    public let sampleUniques: Double
    /// The records carrying the highest risk.
    public let recordsAtMax: Int

    /// Creates the figures (the `Protection` SPI and tests).
    public init(prosecutorMax: Double, prosecutorAverage: Double, journalistMax: Double, marketer: Double,
                sampleUniques: Double, recordsAtMax: Int) {
        self.prosecutorMax = prosecutorMax
        self.prosecutorAverage = prosecutorAverage
        self.journalistMax = journalistMax
        self.marketer = marketer
        self.sampleUniques = sampleUniques
        self.recordsAtMax = recordsAtMax
    }

    enum CodingKeys: String, CodingKey {
        case prosecutorMax = "prosecutor_max", prosecutorAverage = "prosecutor_avg", journalistMax = "journalist_max"
        case marketer, sampleUniques = "sample_uniques", recordsAtMax = "records_at_max"
    }
}

/// One therapist's de-identified case list for a supervision period: one row per case, the
/// quasi-identifiers generalised until every combination is shared by at least `k` cases with
/// at least `l` distinct outcome classes, or the row suppressed (its quasi-identifiers `*`).
///
/// Its initialiser is behind the `Protection` SPI: only `ConfidePrivacy`'s case-list
/// protection (and ``decoded(from:)``, the `ReleaseStore` SPI, restoring a stored one) creates one, so no exact case
/// row can reach a renderer. It encodes publicly (the store and the manifest) but decodes only
/// through the SPI.
public struct ProtectedCaseList: Sendable, Equatable, Encodable {
    /// The quasi-identifier columns, generalised together (k-anonymity and l-diversity).
    public static let quasiIdentifiers = ["age_band", "gender", "ethnicity", "district", "referral_month"]
    /// The column whose values each group must hold at least `l` of (the outcome class).
    public static let sensitive = "reliable_change"
    /// The columns of every case list, in order (the contract of `<therapist>-cases.csv`).
    public static let contractHeader = ["case_code"] + quasiIdentifiers + [
        "weeks_waited", "sessions_attended", "dnas", "phq9_first", "phq9_latest", "gad7_first", "gad7_latest",
        sensitive, "not_on_track",
    ]

    /// The therapist.
    public let therapist: String
    /// The supervision period (`YYYY-Www/YYYY-Www`).
    public let period: String
    /// The column names, in order.
    public let header: [String]
    /// The rows, each as long as the header.
    public let rows: [[String]]
    /// The k the quasi-identifiers meet.
    public let k: Int
    /// The distinct outcome classes every class holds.
    public let l: Int
    /// Cases on the therapist's caseload before anything was left out.
    public let cases: Int
    /// Cases left out before anonymisation (clients under 18 unless the practice opts in;
    /// restricted clients are not on the caseload at all, so not counted here).
    public let excluded: Int
    /// Rows whose quasi-identifiers are suppressed.
    public let suppressed: Int
    /// Equivalence classes of the published rows (suppressed rows left out).
    public let classes: Int
    /// The smallest of them.
    public let smallestClass: Int
    /// The generalisation level of each quasi-identifier, by column.
    public let levels: [String: Int]
    /// The risks before anonymisation (raw quasi-identifiers).
    public let riskBefore: CaseListRisk
    /// The risks after it.
    public let riskAfter: CaseListRisk
    /// Why the list has no rows, when it has none (too few cases, too little diversity).
    public let withheld: String?

    /// Creates a case list (the `Protection` SPI: the case-list protection and the codec only).
    @_spi(Protection)
    public init(therapist: String, period: String, header: [String], rows: [[String]], k: Int, l: Int, cases: Int, excluded: Int,
                suppressed: Int, classes: Int, smallestClass: Int, levels: [String: Int], riskBefore: CaseListRisk,
                riskAfter: CaseListRisk, withheld: String?) {
        self.therapist = therapist
        self.period = period
        self.header = header
        self.rows = rows
        self.k = k
        self.l = l
        self.cases = cases
        self.excluded = excluded
        self.suppressed = suppressed
        self.classes = classes
        self.smallestClass = smallestClass
        self.levels = levels
        self.riskBefore = riskBefore
        self.riskAfter = riskAfter
        self.withheld = withheld
    }

    enum CodingKeys: String, CodingKey {
        case therapist, period, header, rows, k, l, cases, excluded, suppressed, classes
        case smallestClass = "min_class", levels, riskBefore = "risk_before", riskAfter = "risk_after", withheld
    }
}

extension ProtectedCaseList {
    /// The JSON the store keeps (keys sorted, so the bytes are stable).
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }

    /// A stored case list restored (the `ReleaseStore` SPI: the pipeline's store only).
    @_spi(ReleaseStore)
    public static func decoded(from data: Data) throws -> ProtectedCaseList {
        let s = try JSONDecoder().decode(StoredCaseList.self, from: data)
        return ProtectedCaseList(therapist: s.therapist, period: s.period, header: s.header, rows: s.rows, k: s.k, l: s.l, cases: s.cases,
                                 excluded: s.excluded, suppressed: s.suppressed, classes: s.classes, smallestClass: s.smallestClass,
                                 levels: s.levels, riskBefore: s.riskBefore, riskAfter: s.riskAfter, withheld: s.withheld)
    }
}

/// The stored form of a case list, read back only by ``ProtectedCaseList/decoded(from:)``.
private struct StoredCaseList: Decodable {
    let therapist: String, period: String, header: [String], rows: [[String]], k: Int, l: Int, cases: Int, excluded: Int
    let suppressed: Int, classes: Int, smallestClass: Int, levels: [String: Int], riskBefore: CaseListRisk, riskAfter: CaseListRisk
    let withheld: String?

    typealias CodingKeys = ProtectedCaseList.CodingKeys
}
