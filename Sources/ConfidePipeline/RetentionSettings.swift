public import ConfideModel

/// `[retention]`: how long a referral's rows are kept after it ends, and whether `run` purges.
///
/// The defaults are the retention periods of the NHS Records Management Code of Practice
/// (2021, updated 2023; Appendix II, the retention schedule) that fit a therapy practice's
/// records: mental health records 20 years after the end of treatment, children's records
/// until the 25th birthday, or the 26th if the young person was 17 when treatment ended.
/// Its periods after a death are not applied: the store holds no date of death.
/// A practice may shorten either period, and lengthen one only with a reason
/// (`adult_years_reason`, `under_18_until_age_reason`), which is recorded in the
/// configuration (docs/operations.md, "Retention and erasure").
public struct RetentionSettings: Sendable, Equatable {
    /// The Code of Practice's period for adults' mental health records, in years after the
    /// end of treatment.
    public static let codeAdultYears = 20
    /// The Code of Practice's children's records: until this birthday (the next if the
    /// client was 17 when treatment ended).
    public static let codeUnder18UntilAge = 25

    /// `adult_years`: years a referral's rows are kept after it ends, for clients 18 or over
    /// when referred.
    public var adultYears = codeAdultYears
    /// `under_18_until_age`: for clients under 18 when referred, rows are kept until this
    /// birthday, or the next one if the client was (or may have been) 17 when the referral ended.
    public var under18UntilAge = codeUnder18UntilAge
    /// `purge_on_run`: `confide run` purges before it ingests.
    public var purgeOnRun = false

    /// Creates the defaults.
    public init() {}

    /// The day after which a referral's rows may be deleted: nil while it is open (no end
    /// date), so an open referral is never purged.
    ///
    /// - Parameters:
    ///   - received: when the referral was received.
    ///   - age: the client's age in whole years when referred (nil when unknown).
    ///   - ended: the referral's end date, nil while open.
    ///   - lastActivity: the latest day the referral has any row for (end, appointment or
    ///     score); the periods run from it, so a late appointment or score keeps the rows longer.
    ///
    /// With an age in whole years the birthday is known to within a year; the rule takes the
    /// latest birthday it can be, so it never deletes before the Code says. A client of unknown
    /// age gets the longer of the adult period and the children's period of a client referred
    /// at birth (so `under_18_until_age` years after referral).
    public func keptUntil(received: Day, age: Int?, ended: Day?, lastActivity: Day) -> Day? {
        guard let ended else { return nil }
        let end = max(ended, lastActivity)
        let adult = end.adding(years: adultYears)
        guard let age else { return max(adult, received.adding(years: under18UntilAge)) }
        guard age < 18 else { return adult }
        // The latest day the client can be `under18UntilAge`: born a day after `age + 1` years
        // before the referral, at the latest on the day `age` years before it.
        let youngest = received.adding(years: -age)
        let ageAtEnd = age + received.wholeYears(to: end)
        // At the end the client was `ageAtEnd` or `ageAtEnd + 1` years old.
        let mayHaveBeen17 = ageAtEnd == 17 || ageAtEnd + 1 == 17
        return max(youngest.adding(years: under18UntilAge + (mayHaveBeen17 ? 1 : 0)), end)
    }
}

extension Day {
    /// The same day `years` years later (earlier when negative); 29 February becomes 1 March
    /// in a year that has none (the later of the two candidates, so a period never shortens).
    func adding(years: Int) -> Day {
        let (year, month, day) = components
        return Day(year: year + years, month: month, day: day) ?? Day(year: year + years, month: 3, day: 1)!
    }

    /// Whole years from this day to `other` (0 when `other` is less than a year later).
    func wholeYears(to other: Day) -> Int {
        var years = other.components.year - components.year
        if years > 0, adding(years: years) > other { years -= 1 }
        return max(0, years)
    }
}
