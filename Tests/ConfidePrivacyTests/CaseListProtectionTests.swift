@testable import ConfideMetrics
import ConfideModel
@testable import ConfidePrivacy
import ConfideRelease
import Testing

/// A small deterministic generator (xorshift), so the cases are the same on every run.
private struct Xorshift: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return state
    }
}

/// `count` cases of one therapist with seeded ages (some under 18), genders, ethnicities,
/// districts, referral months and outcomes.
private func cases(_ count: Int, seed: UInt64, outcomes: [OutcomeClass.Change] = OutcomeClass.Change.allCases) -> [ExactCase] {
    var random = Xorshift(state: seed)
    return (0..<count).map { index in
        let age = Int.random(in: 15...80, using: &random)
        let received = Day(ordinal: Day(iso: "2026-01-01")!.ordinal + Int.random(in: 0...300, using: &random))
        return ExactCase(
            therapist: "T1", referral: "r\(index)", age: age, gender: ["female", "male", "non_binary"].randomElement(using: &random)!,
            ethnicity: ["white", "asian", "black", "mixed"].randomElement(using: &random)!,
            district: ["LS6", "LS7", "M1", "M14", nil].randomElement(using: &random)!, received: received,
            weeksWaited: Int.random(in: 0...20, using: &random), sessionsAttended: Int.random(in: 1...20, using: &random),
            dnas: Int.random(in: 0...3, using: &random), phq9First: 15, phq9Latest: 9, gad7First: nil, gad7Latest: nil,
            change: outcomes.randomElement(using: &random)!, notOnTrack: false)
    }
}

private let period = SupervisionPeriod(containing: ISOWeek("2026-W40")!, weeks: 4)

/// Checks a list the way a reader would, from its rows alone: every combination of the
/// quasi-identifiers among unsuppressed rows is shared by at least k rows with at least l
/// outcome classes; suppressed rows have every quasi-identifier `*`.
private func checkAnonymity(_ list: ProtectedCaseList) {
    let quasi = ProtectedCaseList.quasiIdentifiers.map { list.header.firstIndex(of: $0)! }
    let outcome = list.header.firstIndex(of: ProtectedCaseList.sensitive)!
    var groups: [[String]: (Int, Set<String>)] = [:]
    var suppressed = 0
    for row in list.rows {
        #expect(row.count == list.header.count)
        let key = quasi.map { row[$0] }
        if key.allSatisfy({ $0 == "*" }) { suppressed += 1; continue }
        groups[key, default: (0, [])].0 += 1
        groups[key, default: (0, [])].1.insert(row[outcome])
    }
    #expect(suppressed == list.suppressed)
    // Full-domain generalisation: a column at its top level is `*` in every unsuppressed row.
    for column in quasi where groups.keys.contains(where: { $0[quasi.firstIndex(of: column)!] == "*" }) {
        #expect(groups.keys.allSatisfy { $0[quasi.firstIndex(of: column)!] == "*" })
    }
    #expect(groups.count == list.classes)
    for (_, group) in groups {
        #expect(group.0 >= list.k)
        #expect(group.1.count >= list.l)
    }
}

@Suite struct CaseListProtectionTests {
    @Test func everyPublishedGroupHasKCasesAndLOutcomesAndUnder18sAreLeftOut() {
        let all = cases(80, seed: 7)
        let list = CaseListProtection(settings: CaseListSettings()).protect(all, therapist: "T1", period: period) { "case-\($0.referral)" }
        let adults = all.filter { ($0.age ?? 18) >= 18 }
        #expect(list.withheld == nil)
        #expect(list.excluded == all.count - adults.count && list.excluded > 0)
        #expect(list.rows.count == adults.count)
        #expect(list.suppressed <= Int((0.2 * Double(adults.count)).rounded(.down)))
        #expect(!list.rows.contains { $0[1] == "under 18" })
        #expect(list.rows.map(\.[0]) == list.rows.map(\.[0]).sorted(), "rows are in code order, not referral order")
        #expect(Set(list.rows.map(\.[0])) == Set(adults.map { "case-\($0.referral)" }))
        #expect(list.riskBefore.prosecutorMax == 1 && list.riskAfter.prosecutorMax <= 1.0 / 5 + 1e-12)
        checkAnonymity(list)
    }

    @Test func under18sAppearOnlyWhenThePracticeOptsIn() {
        var settings = CaseListSettings()
        settings.includeUnder18 = true
        let all = cases(80, seed: 7)
        let list = CaseListProtection(settings: settings).protect(all, therapist: "T1", period: period) { $0.referral }
        #expect(list.excluded == 0 && list.rows.count == all.count)
        checkAnonymity(list)
    }

    @Test func aListIsWithheldWithTooFewCasesOrOutcomes() {
        let protection = CaseListProtection(settings: CaseListSettings())
        let few = protection.protect(cases(30, seed: 3).filter { ($0.age ?? 0) >= 18 }.prefix(4).map { $0 }, therapist: "T1", period: period) { $0.referral }
        #expect(few.rows.isEmpty && few.withheld?.contains("fewer than 5 cases") == true)
        let same = protection.protect(cases(40, seed: 3, outcomes: [.improved]), therapist: "T1", period: period) { $0.referral }
        #expect(same.rows.isEmpty && same.withheld?.contains("distinct outcome classes") == true)
    }

    @Test func largerKGeneralisesMoreAndStillHolds() {
        var settings = CaseListSettings()
        settings.k = 10
        let all = cases(120, seed: 11)
        let strict = CaseListProtection(settings: settings).protect(all, therapist: "T1", period: period) { $0.referral }
        let loose = CaseListProtection(settings: CaseListSettings()).protect(all, therapist: "T1", period: period) { $0.referral }
        checkAnonymity(strict)
        #expect(strict.levels.values.reduce(0, +) + strict.suppressed >= loose.levels.values.reduce(0, +))
        #expect(strict.classes <= loose.classes)
    }

    /// Each level of a shipped hierarchy is a function of the level below (full-domain
    /// generalisation needs it), over every age and month.
    @Test func theShippedHierarchiesNest() {
        #expect(CaseListHierarchies.ageBand(17) == "under 18" && CaseListHierarchies.ageBand(18) == "18-24")
        #expect(CaseListHierarchies.ageBand(25) == "25-29" && CaseListHierarchies.ageBand(84) == "80-84" && CaseListHierarchies.ageBand(85) == "85+")
        #expect(CaseListHierarchies.ageBand(nil) == "not known")
        for column in ProtectedCaseList.quasiIdentifiers {
            let values: [String] = switch column {
            case "age_band": (0...110).map { CaseListHierarchies.ageBand($0) } + ["not known"]
            case "referral_month": (1...12).map { "2026-" + ($0 < 10 ? "0" : "") + String($0) }
            case "district": ["LS6", "LS7", "M1", "SW1A", "not known"]
            default: ["female", "male"]
            }
            let rows = Set(values).map { CaseListHierarchies.row(column, $0) }
            #expect(Set(rows.map(\.count)).count == 1, "\(column): ragged")
            for level in 1..<rows[0].count {
                var above: [String: String] = [:]
                for row in rows {
                    if let seen = above[row[level - 1]] { #expect(seen == row[level], "\(column) level \(level)") }
                    above[row[level - 1]] = row[level]
                }
            }
            #expect(rows.allSatisfy { $0.last == "*" })
        }
        #expect(CaseListHierarchies.row("age_band", "65-69") == ["65-69", "65-74", "65+", "*"])
        #expect(CaseListHierarchies.row("referral_month", "2026-11") == ["2026-11", "2026-Q4", "2026", "*"])
    }
}
