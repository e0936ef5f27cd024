public import ConfideModel
import ConfideRelease
import ConfideStore
import Foundation

/// One release in the budget ledger.
public struct LedgerEntry: Sendable, Equatable, Codable {
    /// The ISO week, or the supervision period (`YYYY-Www/YYYY-Www`).
    public let period: String
    /// ε charged to every client (the release's state slots; for charges written before
    /// lifetime accounting, the whole release).
    public let epsilon: Double
    /// δ charged.
    public let delta: Double
    /// When it was charged (UTC, ISO 8601).
    public let created: String
    /// ε of one event of each kind in this release (empty before lifetime accounting).
    public var epsilonEvents: [ReferralEvent: Double] = [:]
    /// Events of one kind a client may contribute in any 52 weeks, as bounded for this release.
    public var eventsPerYear = 0
    /// The week of the release (where the charge falls in a 52-week window): the ISO week, or
    /// the last week of a supervision period.
    var week: ISOWeek? { ISOWeek(period) ?? SupervisionPeriod(period)?.last }
    /// True for a supervision release's charge.
    public var isSupervision: Bool { SupervisionPeriod(period) != nil }
}

/// The worst case of one client over 52 consecutive ISO weeks, by kind of slot.
public struct WindowCharge: Sendable, Equatable {
    /// The window's first week.
    public let first: ISOWeek
    /// ε of the state slots: every release in the window charges every client.
    public let perRelease: Double
    /// ε of the event slots: for each series of releases (weekly, supervision) and each kind,
    /// the `eventsPerYear` releases of the window that charge that kind most (a client's events
    /// of a kind, at most that many in the weeks a series' releases of the window hold, placed
    /// where they cost most; an event is in one release of each series).
    public let perEvent: Double

    /// The whole worst case.
    public var total: Double { perRelease + perEvent }

    /// The worst case of the window of 52 weeks from `first` over `entries` (`docs/privacy.md`,
    /// "Lifetime accounting"): a pure function of the ledger, so tests recompute it
    /// independently.
    public static func of(_ entries: [LedgerEntry], from first: ISOWeek) -> WindowCharge {
        let last = first.adding(weeks: 51)
        let inside = entries.filter { $0.week.map { $0 >= first && $0 <= last } ?? false }
        let perRelease = inside.map(\.epsilon).reduce(0, +)
        var perEvent = 0.0
        for series in [false, true] {
            let releases = inside.filter { $0.isSupervision == series }
            let bound = releases.map(\.eventsPerYear).max() ?? 0
            for kind in ReferralEvent.allCases {
                var byRelease: [String: Double] = [:]
                for entry in releases { if let e = entry.epsilonEvents[kind] { byRelease[entry.period, default: 0] += e } }
                perEvent += byRelease.values.sorted(by: >).prefix(bound).reduce(0, +)
            }
        }
        return WindowCharge(first: first, perRelease: perRelease, perEvent: perEvent)
    }

    /// The worst window of `entries` among those containing `week` (every window when nil).
    public static func worst(_ entries: [LedgerEntry], containing week: ISOWeek? = nil) -> WindowCharge? {
        var firsts = Set<ISOWeek>()
        if let week {
            for shift in 0..<52 { firsts.insert(week.adding(weeks: -shift)) }
        } else {
            for entry in entries { if let w = entry.week { for shift in 0..<52 { firsts.insert(w.adding(weeks: -shift)) } } }
        }
        return firsts.map { of(entries, from: $0) }.max { ($0.total, $1.first) < ($1.total, $0.first) }
    }
}

/// The budget ledger in the store: every charge, never edited, and the 52-week checks. On SQLite
/// or PostgreSQL (``ConfideStore/SQLConnection``).
struct Ledger {
    let db: any SQLConnection

    func entries() throws -> [LedgerEntry] {
        try db.fetch("""
            SELECT period, epsilon, delta, created, epsilon_events, events_per_year FROM ledger ORDER BY period_start, entry_id
            """, []) { row in
            var entry = LedgerEntry(period: row.string(0), epsilon: row.double(1), delta: row.double(2), created: row.string(3))
            let events = (try? JSONSerialization.jsonObject(with: Data(row.string(4).utf8))) as? [String: Double] ?? [:]
            entry.epsilonEvents = Dictionary(uniqueKeysWithValues: events.compactMap { key, value in
                ReferralEvent(rawValue: key).map { ($0, value) }
            })
            entry.eventsPerYear = row.int(5)
            return entry
        }
    }

    /// The worst case of one client over any 52 weeks of the ledger.
    func worstYear() throws -> WindowCharge? { WindowCharge.worst(try entries()) }

    /// The worst 52-week window containing `week`, if `charge` were added for it.
    func worstWindow(containing week: ISOWeek, supervision: SupervisionPeriod? = nil, adding charge: ReleaseCharge) throws -> WindowCharge {
        var all = try entries()
        all.append(Self.entry(week, supervision: supervision, charge, delta: 0, created: ""))
        return WindowCharge.worst(all, containing: week)!
    }

    func charge(period: ISOWeek, supervision: SupervisionPeriod? = nil, charge: ReleaseCharge, delta: Double, created: String, note: String) throws {
        let entry = Self.entry(period, supervision: supervision, charge, delta: delta, created: created)
        let events = Dictionary(uniqueKeysWithValues: entry.epsilonEvents.map { ($0.key.rawValue, $0.value) })
        let json = String(decoding: try JSONSerialization.data(withJSONObject: events, options: [.sortedKeys]), as: UTF8.self)
        try db.execute("""
            INSERT INTO ledger (period, period_start, epsilon, delta, created, note, epsilon_events, events_per_year)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, [entry.period, (supervision?.first ?? period).start.iso, entry.epsilon, delta, created, note, json, entry.eventsPerYear])
    }

    static func entry(_ week: ISOWeek, supervision: SupervisionPeriod? = nil, _ charge: ReleaseCharge, delta: Double, created: String) -> LedgerEntry {
        var entry = LedgerEntry(period: supervision?.description ?? week.description, epsilon: charge.perRelease?.value ?? 0, delta: delta, created: created)
        entry.epsilonEvents = charge.perEvent.mapValues(\.value)
        entry.eventsPerYear = charge.eventsPerYear
        return entry
    }
}
