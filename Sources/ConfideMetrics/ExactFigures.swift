public import ConfideModel

/// What computes a practice's exact releases from its store: ``WeeklyMetrics`` in Swift over an
/// SQLite store, ``PostgresWeeklyMetrics`` inside a PostgreSQL server. The pipeline asks either
/// alike; what the privacy engine publishes from their releases is the same.
public protocol ExactFigures {
    /// The exact release of `week` (`outcomeWeeks` weeks of endings in its outcomes table).
    func compute(week: ISOWeek, outcomeWeeks: Int) throws -> ExactRelease
    /// The therapist release of the supervision period `period`.
    func compute(period: SupervisionPeriod, outcomeWeeks: Int) throws -> ExactRelease
    /// The exact cases of `period`'s case lists, sorted by therapist, received date, referral.
    func cases(period: SupervisionPeriod) throws -> [ExactCase]
}

extension WeeklyMetrics: ExactFigures {}
extension PostgresWeeklyMetrics: ExactFigures {}
