public import ConfideModel
public import ConfideStore

/// The exact releases of a PostgreSQL store, computed by the server (issue 18, "push-down"):
/// each measure of ``WeeklyMetrics`` runs as SQL inside PostgreSQL (``PostgresMetricQueries``),
/// and what comes back is the contributions the privacy engine bounds: per client (a number the
/// server gives, never its pseudonym), class and group, summed. No appointment, score or
/// pseudonym crosses to confide.
///
/// The release has the cells of ``WeeklyMetrics``'s, met in the same order, and each client
/// contributes the same amounts to them, so what the privacy engine publishes from it is the
/// same (to the byte under disclosure control). Its clients are numbered otherwise, so its
/// canonical bytes (the week's data hash) are the PostgreSQL store's own.
public struct PostgresWeeklyMetrics {
    let db: any SQLConnection
    let settings: MetricSettings

    /// A computation over `db`, a connection to a PostgreSQL store (the SQL is PostgreSQL's).
    public init(db: any SQLConnection, settings: MetricSettings = MetricSettings()) {
        self.db = db
        self.settings = settings
    }

    /// The therapists seen in the 13 weeks up to the end of `week`, in byte order (as SQLite
    /// orders them).
    public func therapists(activeIn week: ISOWeek) throws -> [String] {
        try db.fetch("SELECT DISTINCT therapist_id COLLATE \"C\" FROM appointments WHERE date BETWEEN ? AND ? ORDER BY 1",
                     [week.adding(weeks: -12).start.iso, week.end.iso]) { $0.string(0) }
    }

    /// The exact release of `week`; `outcomeWeeks` as in ``WeeklyMetrics/compute(week:outcomeWeeks:)``.
    /// Its queries share one snapshot of the store (one `REPEATABLE READ` transaction).
    public func compute(week: ISOWeek, outcomeWeeks: Int = 1) throws -> ExactRelease {
        try db.readTransaction { db in
            try Self.tune(db)
            let domains = WeeklyMetrics.publicDomains(therapists: try therapists(activeIn: week), settings: settings)
            let queries = PostgresMetricQueries(settings: settings, upTo: week.end)
            var caseload = WeeklyMetrics.weekTable(.caseload, settings: settings)
            caseload.declare(domains)
            try add(PostgresMetricQueries.contributions([
                queries.received(week), queries.appointments(from: week.start, to: week.end, seen: false),
                queries.openReferrals(at: week.end), queries.treatmentStarts(week),
                queries.endings(from: week.start, to: week.end, byReason: true),
            ]), into: &caseload, on: db)
            var outcomes = WeeklyMetrics.weekTable(.outcomes, settings: settings)
            outcomes.declare(domains)
            let first = week.adding(weeks: -(outcomeWeeks - 1)).start
            try add(PostgresMetricQueries.contributions([queries.finishedCourses(from: first, to: week.end)]), into: &outcomes, on: db)
            return ExactRelease(period: week, tables: [caseload.build(weeksCovered: 1), outcomes.build(weeksCovered: outcomeWeeks)])
        }
    }

    /// The therapist release of `period`, as ``WeeklyMetrics/compute(period:outcomeWeeks:)``.
    public func compute(period: SupervisionPeriod, outcomeWeeks: Int) throws -> ExactRelease {
        try db.readTransaction { db in
            try Self.tune(db)
            let start = period.first.start, end = period.last.end
            let queries = PostgresMetricQueries(settings: settings, upTo: end)
            let histograms = Catalogue.supervisionHistograms(periodWeeks: settings.supervisionPeriodWeeks)
            let domains = [GroupType.therapist: try therapists(activeIn: period.last) + [Group.noContactName]]
            var caseload = TableBuilder(name: .caseload, histograms: histograms, measures: Catalogue.supervisionMeasures, breakdowns: [.therapist])
            caseload.declare(domains)
            try add(PostgresMetricQueries.contributions([
                queries.appointments(from: start, to: end, seen: true), queries.openReferrals(at: end),
                queries.endings(from: start, to: end, byReason: false),
            ]), into: &caseload, on: db)
            var outcomes = TableBuilder(name: .outcomes, histograms: histograms, measures: Catalogue.supervisionMeasures, breakdowns: [.therapist])
            outcomes.declare(domains)
            let first = period.last.adding(weeks: -(outcomeWeeks - 1)).start
            try add(PostgresMetricQueries.contributions([queries.finishedCourses(from: first, to: end)]), into: &outcomes, on: db)
            return ExactRelease(period: period.last, tables: [caseload.build(weeksCovered: period.weekCount), outcomes.build(weeksCovered: outcomeWeeks)],
                                supervision: period)
        }
    }

    /// Each case of the supervision period `period`, as ``WeeklyMetrics/cases(period:)``
    /// gives them: the case lists' rows (protected, `CaseListProtection`, before any is
    /// published), so one row a case crosses from the server, as the lists need.
    public func cases(period: SupervisionPeriod) throws -> [ExactCase] {
        let queries = PostgresMetricQueries(settings: settings, upTo: period.last.end)
        let cases = try db.readTransaction { db in
            try Self.tune(db)
            return try db.fetch(queries.cases(from: period.first.start, to: period.last.end), []) { row -> ExactCase? in
                guard let received = Day(iso: row.string(6)), let change = OutcomeClass.Change(rawValue: row.string(14)) else { return nil }
                return ExactCase(therapist: row.string(0), referral: row.string(1), age: row.optionalInt(2), gender: row.string(3),
                                 ethnicity: row.string(4), district: row.optionalString(5), received: received, weeksWaited: row.int(7),
                                 sessionsAttended: row.int(8), dnas: row.int(9), phq9First: row.optionalInt(10), phq9Latest: row.optionalInt(11),
                                 gad7First: row.optionalInt(12), gad7Latest: row.optionalInt(13), change: change,
                                 notOnTrack: row.int(15) >= settings.notOnTrackSessions && change != .improved)
            }
        }
        return cases.compactMap { $0 }.sorted { ($0.therapist, $0.received.ordinal, $0.referral) < ($1.therapist, $1.received.ordinal, $1.referral) }
    }

    /// Settings of the computation's transaction: no JIT (compiling a week's plan cost 0.27 s
    /// of its 1.0 s at 100,000 clients), and room to sort a week's adds in memory (with the
    /// default 4 MB they went to disk). `SET LOCAL`: they end with the transaction.
    private static func tune(_ db: any SQLConnection) throws {
        try db.execute("SET LOCAL jit = off", [])
        try db.execute("SET LOCAL work_mem = '64MB'", [])
    }

    /// Adds the rows of a ``PostgresMetricQueries/contributions(_:)`` query to `table`, in
    /// their order, as the Swift measures add theirs.
    private func add(_ sql: String, into table: inout TableBuilder, on db: any SQLConnection) throws {
        let rows = try db.fetch(sql, []) { row in
            (client: row.int(0), histogram: row.string(1), cls: row.string(2), amount: row.int(3),
             groups: row.string(12) == "t" ? Groups.practiceOnly : Groups(
                practice: Group.practiceName, therapist: row.optionalString(4), modality: row.optionalString(5),
                presentingProblem: row.string(7), delivery: row.optionalString(6), referralSource: row.string(8),
                ageBand: settings.ageBands.label(row.optionalInt(9)), gender: row.string(10), ethnicity: row.string(11)))
        }
        for row in rows {
            table.add(row.histogram, row.cls, client: Pseudonym(number: row.client), groups: row.groups, amount: Int32(row.amount))
        }
    }
}
