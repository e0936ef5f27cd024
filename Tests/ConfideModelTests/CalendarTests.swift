import ConfideModel
import Testing

@Suite struct DayTests {
    @Test func roundTripsEveryDayOfFourHundredYears() {
        var day = Day(year: 1900, month: 1, day: 1)!
        let end = Day(year: 2300, month: 1, day: 1)!
        while day < end {
            let (y, m, d) = day.components
            #expect(Day(year: y, month: m, day: d) == day)
            day = day.adding(days: 1)
        }
    }

    @Test func knownOrdinalsAndWeekdays() {
        #expect(Day(year: 1970, month: 1, day: 1)?.ordinal == 0)
        #expect(Day(year: 2000, month: 3, day: 1)?.ordinal == 11_017)
        #expect(Day(year: 2026, month: 11, day: 23)?.weekday == 1)  // a Monday
        #expect(Day(year: 2026, month: 11, day: 29)?.weekday == 7)  // a Sunday
    }

    @Test(arguments: ["2026-02-29", "2026-13-01", "2026-00-10", "26-01-01", "2026/01/01", "2026-1-01", "", "2026-01-01x"])
    func rejectsInvalidDates(_ text: String) {
        #expect(Day(iso: text) == nil)
        #expect(Day(isoBytes: Array(text.utf8)) == nil)
    }

    @Test func parsesLeapDayAndFormats() {
        let day = Day(iso: "2024-02-29")
        #expect(day != nil)
        #expect(day?.iso == "2024-02-29")
        #expect(Day(isoBytes: Array("2024-02-29".utf8)) == day)
    }

    @Test func ageIsWholeYearsBeforeBirthday() {
        let birth = Day(iso: "2000-06-15")!
        #expect(Day(iso: "2020-06-14")!.age(bornOn: birth) == 19)
        #expect(Day(iso: "2020-06-15")!.age(bornOn: birth) == 20)
    }
}

@Suite struct ISOWeekTests {
    @Test func weeksAcrossYearBoundaries() {
        #expect(ISOWeek(containing: Day(iso: "2021-01-03")!).description == "2020-W53")
        #expect(ISOWeek(containing: Day(iso: "2025-12-29")!).description == "2026-W01")
        #expect(ISOWeek(containing: Day(iso: "2026-11-22")!).description == "2026-W47")
        #expect(ISOWeek("2026-W01")?.start.iso == "2025-12-29")
        #expect(ISOWeek("2026-W47")?.end.iso == "2026-11-22")
    }

    @Test func parsesAndRejects() {
        #expect(ISOWeek("2020-W53") != nil)
        #expect(ISOWeek("2021-W53") == nil)
        #expect(ISOWeek("2026-W00") == nil)
        #expect(ISOWeek("2026W47") == nil)
        #expect(ISOWeek("2026-47") == nil)
    }

    @Test func everyDayOfAWeekMapsToIt() {
        let week = ISOWeek("2026-W10")!
        for offset in 0..<7 { #expect(ISOWeek(containing: week.start.adding(days: offset)) == week) }
        #expect(week.next.previous == week)
        #expect(week.adding(weeks: 52).adding(weeks: -52) == week)
    }

    @Test func lastCompleteWeekIsTheOneBeforeToday() {
        #expect(ISOWeek.lastComplete(before: Day(iso: "2026-11-25")!).description == "2026-W47")
        #expect(ISOWeek.lastComplete(before: Day(iso: "2026-11-23")!).description == "2026-W47")
        #expect(ISOWeek.lastComplete(before: Day(iso: "2026-11-22")!).description == "2026-W46")
    }
}

@Suite struct VocabularyTests {
    @Test func rawValuesAreTheContractWords() {
        #expect(Gender.allCases.map(\.rawValue) == ["female", "male", "non_binary", "other", "not_stated"])
        #expect(AppointmentStatus.allCases.map(\.rawValue) == ["attended", "attended_late", "late_not_seen", "dna", "cancelled_by_client", "cancelled_by_practice", "cancelled"])
        #expect(Instrument.phq9.range == 0...27 && Instrument.gad7.range == 0...21)
        #expect(CanonicalFile.referrals.requiredFields.allSatisfy { CanonicalFile.referrals.fields.contains($0) })
    }
}
