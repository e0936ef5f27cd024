public import ConfideModel
public import ConfideStore

/// Settings of the metric definitions (thresholds and windows), with documented defaults.
public struct MetricSettings: Sendable, Equatable {
    /// Days without an attended contact after which an open referral leaves the active caseload.
    public var activeContactDays = 90

    /// The defaults from `docs/metrics.md`.
    public init() {}
}

/// Computes the exact aggregates of one ISO week from the store, in memory only.
public struct WeeklyMetrics {
    private let db: Database
    private let settings: MetricSettings

    /// Creates a computation over the store `db`.
    public init(db: Database, settings: MetricSettings = MetricSettings()) {
        self.db = db
        self.settings = settings
    }

    /// The therapists seen in the 13 weeks up to the end of `week` (the public list of staff
    /// whose cells are published, zero or not).
    public func therapists(activeIn week: ISOWeek) throws -> [String] {
        try db.cachedStatement("SELECT DISTINCT therapist_id FROM appointments WHERE date BETWEEN ? AND ? ORDER BY therapist_id")
            .map([week.end.adding(days: -90).iso, week.end.iso]) { $0.string(0) }
    }

    /// The exact release of `week`: every table's cells and contributions.
    public func compute(week: ISOWeek) throws -> ExactRelease {
        try db.read { _ in
            var caseload = TableBuilder(name: .caseload)
            let therapists = try therapists(activeIn: week)
            for measure in Catalogue.counts where measure.table == .caseload {
                for group in measure.groups {
                    switch group {
                    case .practice: caseload.cell(CellKey(groupType: .practice, group: "all", measureID: measure.id))
                    case .therapist:
                        for therapist in therapists { caseload.cell(CellKey(groupType: .therapist, group: therapist, measureID: measure.id)) }
                    }
                }
            }
            try referralsReceived(week, into: &caseload)
            try appointments(week, into: &caseload)
            try activeCaseload(week, into: &caseload)
            let table = caseload.build(measures: Catalogue.counts.filter { $0.table == .caseload },
                                       rates: Catalogue.rates.filter { $0.table == .caseload })
            return ExactRelease(period: week, tables: [table])
        }
    }

    private func referralsReceived(_ week: ISOWeek, into table: inout TableBuilder) throws {
        let measure = Catalogue.count("referrals_received")!
        try db.cachedStatement("SELECT client_id FROM referrals WHERE received_date BETWEEN ? AND ?")
            .forEachRow([week.start.iso, week.end.iso]) { row in
                table.add(measure, client: row.string(0), therapist: nil)
            }
    }

    private func appointments(_ week: ISOWeek, into table: inout TableBuilder) throws {
        let attended = Catalogue.count("appointments_attended")!
        let dna = Catalogue.count("appointments_dna")!
        let byClient = Catalogue.count("appointments_cancelled_by_client")!
        let byPractice = Catalogue.count("appointments_cancelled_by_practice")!
        try db.cachedStatement("""
            SELECT r.client_id, a.therapist_id, a.status FROM appointments a
            JOIN referrals r ON r.referral_id = a.referral_id
            WHERE a.date BETWEEN ? AND ?
            """).forEachRow([week.start.iso, week.end.iso]) { row in
            guard let status = AppointmentStatus(rawValue: row.string(2)) else { return }
            let measure: CountMeasure? = switch status {
            case .attended, .attendedLate: attended
            case .dna: dna
            case .cancelledByClient: byClient
            case .cancelledByPractice: byPractice
            case .lateNotSeen: nil  // booked, neither attended nor DNA (NHS code 7)
            }
            if let measure { table.add(measure, client: row.string(0), therapist: row.string(1)) }
        }
    }

    /// Open referrals at the end of the week with an attended contact in the last 90 days,
    /// credited to the therapist of the latest such contact.
    private func activeCaseload(_ week: ISOWeek, into table: inout TableBuilder) throws {
        let measure = Catalogue.count("active_caseload")!
        let end = week.end
        var latest: [String: (client: String, date: String, therapist: String)] = [:]
        try db.cachedStatement("""
            SELECT a.referral_id, r.client_id, a.date, a.therapist_id FROM appointments a
            JOIN referrals r ON r.referral_id = a.referral_id
            WHERE a.date BETWEEN ?1 AND ?2 AND a.status IN ('attended', 'attended_late')
              AND r.received_date <= ?2 AND (r.end_date IS NULL OR r.end_date > ?2)
            """).forEachRow([end.adding(days: -(settings.activeContactDays - 1)).iso, end.iso]) { row in
            let referral = row.string(0), date = row.string(2)
            if let seen = latest[referral], seen.date >= date { return }
            latest[referral] = (row.string(1), date, row.string(3))
        }
        for referral in latest.keys.sorted() {
            let entry = latest[referral]!
            table.add(measure, client: entry.client, therapist: entry.therapist)
        }
    }
}
