public import ConfideModel
public import Foundation

extension Day {
    /// Today in `timeZone`.
    public static func today(in timeZone: TimeZone) -> Day {
        let now = Date()
        let local = now.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: now))
        return Day(ordinal: Int((local / 86_400).rounded(.down)))
    }
}
