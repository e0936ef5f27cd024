public import ConfideModel
import ConfideIngest
import ConfideStore

/// `[quality]`: what an export must look like before a week is protected, charged and published.
public struct QualitySettings: Sendable, Equatable {
    /// The largest share of a file's rows that may be quarantined (`max_quarantined_share`).
    public var maxQuarantinedShare = 0.05
    /// The smallest count of a week's appointments, as a share of the median of the 8 weeks
    /// before it (`min_week_share_of_median`); checked when that median is at least 20.
    public var minWeekShareOfMedian = 0.25
    /// How many days after today an attended or missed appointment, or a referral, may be dated
    /// (`future_days`): later ones are a date error in the export.
    public var futureDays = 1

    /// The defaults (`docs/configuration.md`).
    public init() {}
}

/// The checks a week's export must pass before anything is drawn (issue 14): a broken export
/// stops the run before any budget is spent. Each failure names the file or the week, the check
/// and the numbers, never a value of a row.
struct QualityGate {
    let db: any SQLConnection
    let settings: QualitySettings

    /// The failures for releasing `week` from the store after the ingest `report` (empty: pass),
    /// `today` being the practice's today.
    func failures(week: ISOWeek, report: IngestReport, today: Day) throws -> [String] {
        var failures: [String] = []
        let limit = today.adding(days: settings.futureDays).iso
        let future = try db.fetchInt("""
            SELECT count(*) FROM appointments WHERE date > ? AND status IN ('attended', 'attended_late', 'dna', 'late_not_seen')
            """, [limit]) ?? 0
        if future > 0 {
            failures.append("appointments: \(future) attended or missed appointment(s) dated after \(limit) (check: future_days = \(settings.futureDays)); check the export's date format ([source] date_format)")
        }
        let futureReferrals = try db.fetchInt("SELECT count(*) FROM referrals WHERE received_date > ?", [limit]) ?? 0
        if futureReferrals > 0 {
            failures.append("referrals: \(futureReferrals) referral(s) received after \(limit) (check: future_days = \(settings.futureDays)); check the export's date format ([source] date_format)")
        }
        for file in report.files {
            let required = file.file.hasPrefix("referrals") || file.file.hasPrefix("appointments")
            if file.read == 0 && required {
                failures.append("\(file.file): no rows (check: empty_file); a header-only or empty export cannot be reported on")
            } else if file.read > 0, Double(file.quarantined) / Double(file.read) > settings.maxQuarantinedShare {
                let share = 100 * Double(file.quarantined) / Double(file.read)
                failures.append("\(file.file): \(file.quarantined) of \(file.read) rows quarantined (\(oneDecimal(share))%; check: max_quarantined_share = \(settings.maxQuarantinedShare)); 'confide quarantine' lists them by line, column and reason")
            }
        }
        let first = try db.fetchString("SELECT min(received_date) FROM referrals").flatMap { Day(iso: $0) }
        let last = try db.fetchString("SELECT max(date) FROM appointments").flatMap { Day(iso: $0) }
        if let first, let last {
            if week.end < first || week.start > last {
                failures.append("week \(week) is outside the data (referrals from \(ISOWeek(containing: first)), appointments to \(ISOWeek(containing: last)); check: week_in_data)")
            }
        } else if failures.isEmpty {
            failures.append("the store holds no \(first == nil ? "referrals" : "appointments") (check: week_in_data)")
        }
        let count = { (w: ISOWeek) in try self.db.fetchInt("SELECT count(*) FROM appointments WHERE date BETWEEN ? AND ?", [w.start.iso, w.end.iso]) ?? 0 }
        let before = try (1...8).map { try count(week.adding(weeks: -$0)) }.sorted()
        let median = Double(before[3] + before[4]) / 2
        let current = try count(week)
        if median >= 20, Double(current) < settings.minWeekShareOfMedian * median {
            failures.append("week \(week): \(current) appointments against a median of \(oneDecimal(median)) in the 8 weeks before (check: min_week_share_of_median = \(settings.minWeekShareOfMedian)); is the appointments export complete?")
        }
        return failures
    }

    private func oneDecimal(_ x: Double) -> String { String((x * 10).rounded() / 10) }
}
