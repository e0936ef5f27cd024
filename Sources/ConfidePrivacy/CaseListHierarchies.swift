import ConfideMetrics
import ConfideModel

/// The generalisation hierarchy of each quasi-identifier of a case list
/// (`ProtectedCaseList.quasiIdentifiers`): what the project ships for its own columns
/// (`docs/case-lists.md`). Each level is a function of the level below it, as full-domain
/// generalisation needs.
enum CaseListHierarchies {
    /// A case's value of each quasi-identifier at level 0 (never the exact age or postcode).
    static func values(of item: ExactCase) -> [String] {
        [ageBand(item.age), item.gender, item.ethnicity, item.district.map { $0.uppercased() } ?? notKnown,
         String(item.received.iso.prefix(7))]
    }

    /// What an unknown age or district shows at every level below the top.
    static let notKnown = "not known"

    /// The hierarchy row (level 0 up to `*`) of a level-0 value of `column`.
    static func row(_ column: String, _ value: String) -> [String] {
        switch column {
        case "age_band":
            guard value != notKnown else { return [value, value, value, "*"] }
            return [value, ageDecade(value), ageStage(value), "*"]
        case "district":
            guard value != notKnown else { return [value, value, "*"] }
            return [value, String(value.prefix { $0.isLetter }), "*"]
        case "referral_month":
            let year = String(value.prefix(4)), month = Int(value.suffix(2)) ?? 1
            return [value, "\(year)-Q\((month - 1) / 3 + 1)", year, "*"]
        default:
            return [value, "*"]
        }
    }

    /// Five-year bands from 18 (`18-24` first, `85+` last); `under 18` below.
    static func ageBand(_ age: Int?) -> String {
        guard let age else { return notKnown }
        if age < 18 { return "under 18" }
        if age < 25 { return "18-24" }
        if age >= 85 { return "85+" }
        let low = age / 5 * 5
        return "\(low)-\(low + 4)"
    }

    /// Ten-year bands: `25-34`, `35-44`, …, `75+` (`18-24` and `under 18` stay).
    static func ageDecade(_ band: String) -> String {
        guard let low = Int(band.prefix { $0.isNumber }), low >= 25 else { return band }
        if low >= 75 { return "75+" }
        let decade = (low - 25) / 10 * 10 + 25
        return "\(decade)-\(decade + 9)"
    }

    /// Stages of life: `under 18`, `18-64`, `65+`.
    static func ageStage(_ band: String) -> String {
        guard let low = Int(band.prefix { $0.isNumber }) else { return band }
        return low >= 65 ? "65+" : "18-64"
    }
}
