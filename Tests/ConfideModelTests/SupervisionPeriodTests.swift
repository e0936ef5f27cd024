import ConfideModel
import Testing

@Suite struct SupervisionPeriodTests {
    /// Four-week blocks from week 1: W01-W04, …, W49-W52; a week 53 joins the last block.
    @Test func blocksCountFromWeekOneAndWeek53JoinsTheLastBlock() throws {
        let w = { (text: String) in ISOWeek(text)! }
        #expect(SupervisionPeriod(containing: w("2027-W01"), weeks: 4).description == "2027-W01/2027-W04")
        #expect(SupervisionPeriod(containing: w("2027-W04"), weeks: 4).description == "2027-W01/2027-W04")
        #expect(SupervisionPeriod(containing: w("2027-W05"), weeks: 4).description == "2027-W05/2027-W08")
        #expect(SupervisionPeriod(containing: w("2027-W52"), weeks: 4).description == "2027-W49/2027-W52")
        // 2026 has a week 53 (1 January 2026 is a Thursday).
        #expect(ISOWeek.weeksIn(year: 2026) == 53)
        let last = SupervisionPeriod(containing: w("2026-W53"), weeks: 4)
        #expect(last.description == "2026-W49/2026-W53" && last.weekCount == 5)
        #expect(!last.isClosed(by: w("2026-W52")) && last.isClosed(by: w("2026-W53")))
        #expect(SupervisionPeriod(containing: w("2026-W53"), weeks: 13).description == "2026-W40/2026-W53")
        // With one-week periods too, week 53 joins the year's last block.
        #expect(SupervisionPeriod(containing: w("2026-W53"), weeks: 1).description == "2026-W52/2026-W53")
        #expect(SupervisionPeriod(containing: w("2026-W51"), weeks: 1).description == "2026-W51/2026-W51")
        #expect(SupervisionPeriod(containing: w("2026-W14"), weeks: 13).description == "2026-W14/2026-W26")
        #expect(SupervisionPeriod(containing: w("2026-W02"), weeks: 2).description == "2026-W01/2026-W02")
    }

    /// Every week of 30 years is in exactly one period of each length, the periods tile the
    /// weeks without gaps, and at most 52 / n periods close in any 52 consecutive weeks (what
    /// the supervision budget per period, ε_year × n / 52, rests on).
    @Test(arguments: SupervisionPeriod.allowedWeeks)
    func periodsTileTheCalendarAndCloseAtMost52OverNTimesInAYear(weeks: Int) throws {
        var week = ISOWeek("2010-W01")!
        var closing: [ISOWeek] = []
        var previous: SupervisionPeriod?
        while week < ISOWeek("2040-W01")! {
            let period = SupervisionPeriod(containing: week, weeks: weeks)
            #expect(period.first <= week && week <= period.last)
            if let previous, previous != period {
                #expect(previous.last.next == period.first)
            }
            #expect(SupervisionPeriod(period.description) == period)
            if period.isClosed(by: week) { closing.append(week) }
            previous = period
            week = week.next
        }
        for (i, first) in closing.enumerated() {
            let inYear = closing[i...].prefix { $0 <= first.adding(weeks: 51) }.count
            #expect(inYear <= 52 / weeks)
        }
    }

    @Test func parsesOnlyItsOwnForm() {
        #expect(SupervisionPeriod("2026-W45/2026-W48")?.weekCount == 4)
        #expect(SupervisionPeriod("2026-W48/2026-W45") == nil)
        #expect(SupervisionPeriod("2026-W45") == nil)
        #expect(SupervisionPeriod("2026-W45/") == nil)
    }
}
