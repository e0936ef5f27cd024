import ConfideModel
import ConfideStore

/// An attended contact of a referral.
struct Contact {
    let day: Day
    let therapist: String
    let modality: String
    let delivery: String
    let kind: AppointmentKind
}

/// What the metrics need to know about one referral, read up to a day.
struct ReferralFacts {
    /// The referral's pseudonym.
    let id: Pseudonym
    /// The referral's integer key in the store (``ReferralFactsLoader`` orders by it).
    let key: Int64
    /// The client's pseudonym.
    let client: Pseudonym
    let received: Day
    let end: Day?
    let endReason: EndReason?
    let age: Int?
    let gender: String
    let ethnicity: String
    let source: String
    let problem: String
    /// The postcode district, when the export has one.
    var district: String? = nil
    /// The client is restricted (any of its referrals marked `restricted`): counted in
    /// practice-wide figures only.
    var restricted = false
    /// Attended contacts (any kind), by day.
    var attended: [Contact] = []
    /// Scores per instrument, by day.
    var scores: [Instrument: [(day: Day, score: Int)]] = [:]

    /// Attended treatment sessions, by day.
    var treatmentSessions: [Contact] { attended.filter { $0.kind == .treatment } }

    /// The latest attended contact on or before `day`.
    func lastContact(onOrBefore day: Day) -> Contact? { attended.last { $0.day <= day } }

    /// The groups of a restricted client: the practice alone, so no breakdown (therapist,
    /// age band, …) and no supervision release counts it (``TableBuilder/add``).
    static let practiceOnly = Groups.practiceOnly

    /// The breakdown groups of this referral, with therapist, modality and delivery taken from
    /// `contact` (absent when there is none); only the practice for a restricted client.
    func groups(contact: Contact?, ageBands: AgeBands) -> Groups {
        if restricted { return Self.practiceOnly }
        return Groups(practice: Group.practiceName, therapist: contact?.therapist, modality: contact?.modality,
                      presentingProblem: problem, delivery: contact?.delivery, referralSource: source,
                      ageBand: ageBands.label(age), gender: gender, ethnicity: ethnicity)
    }
}

/// The clients the practice marked as needing more protection: those with any referral marked
/// `restricted` (``ReferralFacts/restricted``). Read once per load from the partial index
/// `referrals_restricted`, which holds the marked referrals only, instead of a subquery per row.
struct RestrictedClients {
    private let pseudonyms: Set<Pseudonym>

    /// The restricted clients of `db`, in the caller's read transaction.
    init(db: Database) throws {
        pseudonyms = Set(try db.cachedStatement("SELECT DISTINCT client_id FROM referrals WHERE restricted = 1").map([]) { Pseudonym($0, 0) })
    }

    /// True when `client` is restricted.
    func contains(_ client: Pseudonym) -> Bool { !pseudonyms.isEmpty && pseudonyms.contains(client) }
}

/// Loads ``ReferralFacts`` for the referrals that match a condition on `referrals r`.
struct ReferralFactsLoader {
    let db: Database
    /// The restricted clients, read when the loader is made.
    let restricted: RestrictedClients

    /// A loader over `db`.
    ///
    /// - Throws: `DatabaseError` when `referral_progress` has referrals not brought up to date
    ///   (contacts written outside `Database.write`, which refreshes them before it commits):
    ///   the figures would be wrong, so none are computed.
    init(db: Database) throws {
        self.db = db
        restricted = try RestrictedClients(db: db)
        if let stale = try db.scalarInt("SELECT count(*) FROM referral_progress_stale"), stale > 0 {
            throw DatabaseError(resultCode: 1, message: "referral_progress is out of date for \(stale) referrals: contacts were written outside Database.write")
        }
    }

    /// Which attended contacts a load reads.
    enum Contacts {
        /// None.
        case none
        /// Every attended contact.
        case all
        /// Attended treatment sessions only (``ReferralFacts/treatmentSessions``), for a measure
        /// that looks at nothing else.
        case treatment
        /// Attended treatment sessions dated up to the referral's second one (from its progress
        /// row): its first two sessions and any on the second's day, all a measure of the first
        /// two needs, without reading the rest of a long course.
        case firstTwoTreatments
    }

    /// The referrals matching `condition` (SQL over alias `r`, parameters `?1…?n` from
    /// `arguments`), with attended contacts and scores dated on or before `upTo` (each only
    /// when asked for: a measure that does not look at them does not pay for reading them).
    ///
    /// `CROSS JOIN` fixes SQLite's join order: the matching referrals first, then their rows by
    /// the referral index. Left to itself the planner walks every appointment up to `upTo` by the
    /// date index, so a week's cost grew with the whole history (16 s against 1.6 s for a week
    /// of the 100,000-client practice, docs/performance.md).
    ///
    /// Every query is ordered by referral key (the store's integer key, schema version 14), so
    /// contacts and scores are matched to their referral by walking the referrals in step
    /// (``FactsCursor``), without a dictionary or a `String` per row. The order is named on `r`:
    /// a scan of `referrals` gives it, and SQLite then sorts nothing (named on `a`, it sorted
    /// every contact read).
    func load(where condition: String, _ arguments: [DatabaseValueConvertible], upTo: Day,
              contacts: Contacts = .all, scores: Bool = true) throws -> [ReferralFacts] {
        let limit = "?\(arguments.count + 1)"
        let all = arguments + [upTo.iso]
        var facts: [ReferralFacts] = []
        try db.cachedStatement("SELECT \(Self.factColumns) FROM referrals r WHERE \(condition) ORDER BY r.referral_key")
            .forEachRow(arguments) { row in
                if let one = referral(row) { facts.append(one) }
            }
        guard !facts.isEmpty else { return [] }
        if contacts != .none {
            var cursor = FactsCursor()
            try db.cachedStatement("""
                SELECT a.referral_key, a.date, a.therapist_id, a.modality, a.delivery, a.kind
                FROM referrals r CROSS JOIN appointments a ON a.referral_key = r.referral_key
                WHERE \(condition) AND a.date <= \(limit) AND a.status IN ('attended', 'attended_late')\(Self.contactFilter(contacts))
                ORDER BY r.referral_key, a.date, a.appointment_id
                """).forEachRow(all) { row in
                guard let index = cursor.position(of: row, in: facts), let day = row.withUTF8(1, { Day(isoBytes: $0) }) else { return }
                facts[index].attended.append(Contact(day: day, therapist: row.string(2), modality: row.string(3),
                                                     delivery: row.string(4), kind: AppointmentKind(rawValue: row.string(5)) ?? .followUp))
            }
        }
        if scores {
            var cursor = FactsCursor()
            try db.cachedStatement("""
                SELECT m.referral_key, m.date, m.instrument, m.score
                FROM referrals r CROSS JOIN measures m ON m.referral_key = r.referral_key
                WHERE \(condition) AND m.date <= \(limit)
                ORDER BY r.referral_key, m.date
                """).forEachRow(all) { row in
                guard let index = cursor.position(of: row, in: facts), let day = row.withUTF8(1, { Day(isoBytes: $0) }),
                      let instrument = Instrument(rawValue: row.string(2)) else { return }
                facts[index].scores[instrument, default: []].append((day, row.int(3)))
            }
        }
        return Self.inPseudonymOrder(facts, \.id)
    }

    /// `items` ordered by their referral's pseudonym (`id`, which sorts as its hex text and the
    /// BLOB do), the order the loader gave before schema version 14 read them by key. Tables
    /// number clients in the order they are first added, and a week's data hash covers those
    /// numbers: in this order a week computes byte for byte what version 13 computed, so a week
    /// released before an upgrade is recognised as unchanged after it. A sort of the week's
    /// referrals (tens of milliseconds at 1,000,000 clients), not of their contacts.
    static func inPseudonymOrder<Item>(_ items: [Item], _ id: (Item) -> Pseudonym) -> [Item] {
        // Positions are sorted, not the items (large structs a sort would move many times).
        let ids = items.map(id)
        return ids.indices.sorted { ids[$0] < ids[$1] }.map { items[$0] }
    }

    /// What a load's contacts query adds to its condition for `contacts`.
    private static func contactFilter(_ contacts: Contacts) -> String {
        switch contacts {
        case .none, .all: ""
        case .treatment: " AND a.kind = 'treatment'"
        case .firstTwoTreatments:
            " AND a.kind = 'treatment' AND a.date <= coalesce((SELECT p.second_treatment FROM referral_progress p WHERE p.referral_key = r.referral_key), '9999-12-31')"
        }
    }

    /// The columns of `referrals r` that ``referral(_:)`` reads, in its order.
    static let factColumns = """
        r.referral_id, r.client_id, r.received_date, r.end_date, r.end_reason, r.age, r.gender, r.ethnicity,
        r.referral_source, r.presenting_problem, r.postcode_district, r.referral_key
        """

    /// The facts of the referral in `row` (``factColumns`` first), without contacts or scores;
    /// nil when its received date cannot be read.
    private func referral(_ row: Row) -> ReferralFacts? {
        guard let received = row.withUTF8(2, { Day(isoBytes: $0) }) else { return nil }
        let client = Pseudonym(row, 1)
        return ReferralFacts(
            id: Pseudonym(row, 0), key: Int64(row.int(11)), client: client, received: received, end: row.isNull(3) ? nil : row.withUTF8(3) { Day(isoBytes: $0) },
            endReason: row.optionalString(4).flatMap(EndReason.init(rawValue:)), age: row.optionalInt(5),
            gender: row.string(6), ethnicity: row.string(7), source: row.string(8), problem: row.string(9),
            district: row.optionalString(10), restricted: restricted.contains(client))
    }

    /// A referral with what its progress row says on a day: its latest attended contact on or
    /// before it and whether treatment had begun by then.
    struct Progress {
        /// The referral (its contacts are not read).
        let facts: ReferralFacts
        /// The latest attended contact on or before the day, if any.
        let last: Contact?
        /// Whether its first attended treatment session was on or before the day.
        let inTreatment: Bool
    }

    /// The referrals matching `condition` (as in ``load(where:_:upTo:contacts:scores:)``) with
    /// their latest contact on or before `upTo` and whether treatment had begun, read from
    /// `referral_progress` (one row a referral) instead of every contact.
    ///
    /// The progress row holds the latest contact of all; when that is after `upTo` (a week
    /// computed after later weeks were loaded) the referral's contacts are read as
    /// ``load(where:_:upTo:contacts:scores:)`` reads them. The first treatment session is the
    /// first of all, so it was on or before `upTo` exactly when the progress row says so.
    func loadProgress(where condition: String, _ arguments: [DatabaseValueConvertible], upTo: Day) throws -> [Progress] {
        let day = "?\(arguments.count + 1)"
        let later = try load(where: "\(condition) AND r.referral_key IN (SELECT referral_key FROM referral_progress WHERE last_date > \(day))",
                             arguments + [upTo.iso], upTo: upTo, scores: false)
        var history = Dictionary(uniqueKeysWithValues: later.map { ($0.id, $0) })
        var progress: [Progress] = []
        try db.cachedStatement("""
            SELECT \(Self.factColumns), p.first_treatment, p.last_date, p.last_kind, p.last_therapist, p.last_modality, p.last_delivery
            FROM referrals r LEFT JOIN referral_progress p ON p.referral_key = r.referral_key
            WHERE \(condition) ORDER BY r.referral_key
            """).forEachRow(arguments) { row in
            guard let facts = referral(row) else { return }
            let lastDay = row.isNull(13) ? nil : row.withUTF8(13) { Day(isoBytes: $0) }
            if let lastDay, lastDay > upTo, let read = history.removeValue(forKey: facts.id) {
                progress.append(Progress(facts: read, last: read.lastContact(onOrBefore: upTo),
                                         inTreatment: read.treatmentSessions.first.map { $0.day <= upTo } ?? false))
                return
            }
            let first = row.isNull(12) ? nil : row.withUTF8(12) { Day(isoBytes: $0) }
            let last = lastDay.map {
                Contact(day: $0, therapist: row.string(15), modality: row.string(16), delivery: row.string(17),
                        kind: AppointmentKind(rawValue: row.string(14)) ?? .followUp)
            }
            progress.append(Progress(facts: facts, last: last, inTreatment: first.map { $0 <= upTo } ?? false))
        }
        return Self.inPseudonymOrder(progress) { $0.facts.id }
    }
}

/// Walks referrals ordered by key in step with rows ordered by the same key (column 0, the
/// store's integer `referral_key`).
struct FactsCursor {
    private var next = 0

    /// The index in `facts` of the referral of `row`, or nil when it is not there; moves past
    /// the referrals ordered before it.
    mutating func position(of row: Row, in facts: [ReferralFacts]) -> Int? {
        let key = Int64(row.int(0))
        while next < facts.count {
            if facts[next].key == key { return next }
            if facts[next].key > key { return nil }
            next += 1
        }
        return nil
    }
}
