import ConfideModel
import ConfideStore
import Dispatch

/// A week's measures computed as parts, each into a table builder of its own, and joined in
/// the order of the measures (``TableBuilder/append(_:)``): the same bytes as one builder
/// filled measure by measure, whichever thread computed a part.
///
/// On a store in a file the parts are shared between two connections on two threads (two
/// cores: the week's metrics at 1,000,000 clients took about 3.3 s on one). The calling
/// connection holds the write lock while the other reads (``Database/readHoldingWriteLock(_:)``),
/// so both read one snapshot.
extension WeeklyMetrics {
    /// One measure of a week (or the public groups its tables declare).
    enum WeekPart: CaseIterable {
        case domains, received, appointments, openReferrals, treatmentStarts, endings, finishedCourses

        /// The parts the calling connection computes when two share a week; the other
        /// computes the rest. About half of the week's time each (W46 at 1,000,000 clients:
        /// open referrals 0.94 s, endings 0.37 s, finished courses 0.36 s, against the public
        /// groups 0.44 s, referrals received 0.18 s, appointments 0.39 s, treatment starts
        /// 0.65 s).
        static let onCallingConnection: [WeekPart] = [.openReferrals, .endings, .finishedCourses]
    }

    /// What a set of parts computed: the public groups, and a builder per measure.
    struct PartResults {
        var domains: [GroupType: [String]] = [:]
        var builders: [WeekPart: TableBuilder] = [:]
    }

    /// Computes `parts` of `week` on this computation's connection, inside the caller's
    /// transaction.
    func compute(_ parts: [WeekPart], week: ISOWeek, outcomeWeeks: Int) throws -> PartResults {
        let counts = eventCounts(upTo: week.end)
        var results = PartResults()
        for part in parts {
            if part == .domains {
                results.domains = try publicDomains(week)
                continue
            }
            var table = weekTable(part == .finishedCourses ? .outcomes : .caseload)
            switch part {
            case .domains: break
            case .received: try referralsReceived(week, into: &table, counts: counts)
            case .appointments: try appointments(from: week.start, to: week.end, into: &table)
            case .openReferrals: try openReferrals(at: week.end, into: &table)
            case .treatmentStarts: try treatmentStarts(week, into: &table, counts: counts)
            case .endings: try endings(from: week.start, to: week.end, into: &table, counts: counts)
            case .finishedCourses:
                try finishedCourses(from: week.adding(weeks: -(outcomeWeeks - 1)).start, to: week.end, into: &table, counts: counts)
            }
            results.builders[part] = table
        }
        return results
    }

    /// An empty builder of a weekly table: its breakdowns without the therapist's, whose
    /// figures are released per supervision period (``compute(period:outcomeWeeks:)``), never
    /// weekly.
    func weekTable(_ name: TableName) -> TableBuilder { Self.weekTable(name, settings: settings) }

    /// An empty table of the week's release, with the breakdowns `settings` asks for (the
    /// therapist breakdown is the supervision release's alone), on either store.
    static func weekTable(_ name: TableName, settings: MetricSettings) -> TableBuilder {
        TableBuilder(name: name, breakdowns: (name == .outcomes ? settings.outcomeBreakdowns : settings.caseloadBreakdowns).filter { $0 != .therapist })
    }

    /// The week's release from its parts: the tables declare the public groups, then take
    /// each measure's builder in the order of the measures.
    func assemble(_ week: ISOWeek, outcomeWeeks: Int, from results: PartResults) -> ExactRelease {
        var caseload = weekTable(.caseload)
        caseload.declare(results.domains)
        for part in [WeekPart.received, .appointments, .openReferrals, .treatmentStarts, .endings] {
            if let builder = results.builders[part] { caseload.append(builder) }
        }
        var outcomes = weekTable(.outcomes)
        outcomes.declare(results.domains)
        if let builder = results.builders[.finishedCourses] { outcomes.append(builder) }
        return ExactRelease(period: week, tables: [caseload.build(weeksCovered: 1), outcomes.build(weeksCovered: outcomeWeeks)])
    }

    /// The week's parts on two connections, or nil when this store cannot be shared (in
    /// memory, or the write lock cannot be had: a read-only connection, another writer) or the
    /// second connection failed.
    func computeOnTwoConnections(week: ISOWeek, outcomeWeeks: Int) throws -> ExactRelease? {
        guard !db.path.isEmpty, db.path != ":memory:", !db.path.hasPrefix("file::memory:") else { return nil }
        let other = WeekParts(path: db.path, settings: settings, week: week, outcomeWeeks: outcomeWeeks)
        do {
            return try db.readHoldingWriteLock { _ in
                let group = DispatchGroup()
                DispatchQueue.global().async(group: group) { other.run() }
                let mine = Result { try compute(WeekPart.onCallingConnection, week: week, outcomeWeeks: outcomeWeeks) }
                group.wait()
                var results = try mine.get()
                // The second connection could not do its part (it could not open the store, say):
                // one connection computes the week, and meets any real fault of the store itself.
                guard let theirs = try? other.results() else { return nil }
                results.domains = theirs.domains
                results.builders.merge(theirs.builders) { own, _ in own }
                return assemble(week, outcomeWeeks: outcomeWeeks, from: results)
            }
        } catch let error as DatabaseError where [5, 8].contains(error.resultCode & 0xff) {
            return nil  // SQLITE_BUSY, SQLITE_READONLY: the lock was not had; one connection computes
        }
    }
}

/// The parts of a week that the second connection computes: it opens its own read-only
/// connection on its thread, reads in one transaction and closes it; the caller reads the
/// results after the thread finished.
final class WeekParts: @unchecked Sendable {
    private let path: String
    private let settings: MetricSettings
    private let week: ISOWeek
    private let outcomeWeeks: Int
    private var outcome: Result<WeeklyMetrics.PartResults, Error> = .failure(CancellationError())

    init(path: String, settings: MetricSettings, week: ISOWeek, outcomeWeeks: Int) {
        self.path = path
        self.settings = settings
        self.week = week
        self.outcomeWeeks = outcomeWeeks
    }

    /// Computes the parts the calling connection does not (on the thread that calls it).
    func run() {
        outcome = Result {
            let db = try Database(path: path, mode: .readOnly)
            let parts = WeeklyMetrics.WeekPart.allCases.filter { !WeeklyMetrics.WeekPart.onCallingConnection.contains($0) }
            return try db.read { db in try WeeklyMetrics(db: db, settings: settings).compute(parts, week: week, outcomeWeeks: outcomeWeeks) }
        }
    }

    /// What ``run()`` computed, or its error.
    func results() throws -> WeeklyMetrics.PartResults { try outcome.get() }
}
