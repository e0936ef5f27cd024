public import Foundation
public import ConfideModel

/// Stores and restores protected releases as JSON, so that a re-run publishes the stored
/// values byte for byte and never draws noise again.
///
/// Encoding is public (it reveals nothing a release does not). Decoding is behind the
/// `ReleaseStore` SPI: restoring is, besides `Protector`, the only way to obtain a
/// ``ProtectedRelease``, and only the pipeline's store of releases imports that SPI.
public enum ReleaseCodec {
    /// The JSON text of `release` (sorted keys, stable across runs).
    public static func encode(_ release: ProtectedRelease) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(StoredRelease(release)), as: UTF8.self)
    }

    /// The release stored as `json` by ``encode(_:)``.
    @_spi(ReleaseStore)
    public static func decode(_ json: String) throws -> ProtectedRelease {
        try JSONDecoder().decode(StoredRelease.self, from: Data(json.utf8)).release
    }
}

private struct StoredCell: Codable {
    let table: TableName
    let groupType: GroupType
    let group, measureID, measureName: String
    let isRate: Bool
    let value, intervalLow, intervalHigh: Double?
    let status: CellStatus
    let reason: String?
}

private struct StoredParameters: Codable {
    let measureID: String
    let table: TableName
    /// The decimal ε (kept for readers of the stored JSON; the exact value is below).
    let epsilon: String
    /// `p/q`; absent in releases stored before it was kept (derived from the noise scale then).
    let epsilonExact: String?
    let sensitivity: Int
    let scale: Double
    let contributionCap: Int
}

private struct StoredNoisyCell: Codable {
    let histogram, cls: String
    let groupType: GroupType
    let group: String
    let value: Int64
    let t, s: UInt64
}

/// A release's charge: `perEvent` as `kind: p/q`; absent in releases stored before it was kept.
private struct StoredCharge: Codable {
    let perRelease: String?
    let perEvent: [String: String]
    let eventsPerYear: Int
}

private struct StoredRelease: Codable {
    let period, periodStart, periodEnd: String
    let mode: ProtectionMode
    let epsilon: String
    let charge: StoredCharge?
    let delta: Double
    let minClients: Int
    let definitionVersion: String
    let cells: [StoredCell]
    let parameters: [StoredParameters]
    let noisyCells: [StoredNoisyCell]
    let weeksCovered: [String: Int]

    init(_ r: ProtectedRelease) {
        period = r.period; periodStart = r.periodStart; periodEnd = r.periodEnd; mode = r.mode
        epsilon = r.epsilon; delta = r.delta
        charge = StoredCharge(perRelease: r.charge.perRelease?.rational,
                              perEvent: Dictionary(uniqueKeysWithValues: r.charge.perEvent.map { ($0.key.rawValue, $0.value.rational) }),
                              eventsPerYear: r.charge.eventsPerYear)
        minClients = r.minClients; definitionVersion = r.definitionVersion
        cells = r.cells.map {
            StoredCell(table: $0.table, groupType: $0.groupType, group: $0.group, measureID: $0.measureID, measureName: $0.measureName,
                       isRate: $0.isRate, value: $0.value, intervalLow: $0.intervalLow, intervalHigh: $0.intervalHigh,
                       status: $0.status, reason: $0.reason)
        }
        parameters = r.parameters.map {
            StoredParameters(measureID: $0.measureID, table: $0.table, epsilon: $0.epsilon, epsilonExact: $0.exactEpsilon?.rational,
                             sensitivity: $0.sensitivity, scale: $0.scale, contributionCap: $0.contributionCap)
        }
        noisyCells = r.noisyCells.map {
            StoredNoisyCell(histogram: $0.histogram, cls: $0.cls, groupType: $0.groupType, group: $0.group, value: $0.value, t: $0.t, s: $0.s)
        }
        weeksCovered = r.weeksCovered
    }

    var release: ProtectedRelease {
        let noisy = noisyCells.map {
            NoisyCell(histogram: $0.histogram, cls: $0.cls, groupType: $0.groupType, group: $0.group, value: $0.value, t: $0.t, s: $0.s)
        }
        return ProtectedRelease(
            period: period, periodStart: periodStart, periodEnd: periodEnd, mode: mode, epsilon: epsilon,
            charge: charge.map { stored in
                ReleaseCharge(perRelease: stored.perRelease.flatMap(Epsilon.init(rational:)),
                              perEvent: Dictionary(uniqueKeysWithValues: stored.perEvent.compactMap { key, value in
                                  ReferralEvent(rawValue: key).flatMap { kind in Epsilon(rational: value).map { (kind, $0) } }
                              }),
                              eventsPerYear: stored.eventsPerYear)
            },
            delta: delta,
            minClients: minClients, definitionVersion: definitionVersion,
            cells: cells.map {
                ProtectedCell(table: $0.table, groupType: $0.groupType, group: $0.group, measureID: $0.measureID,
                              measureName: $0.measureName, isRate: $0.isRate, value: $0.value, intervalLow: $0.intervalLow,
                              intervalHigh: $0.intervalHigh, status: $0.status, reason: $0.reason)
            },
            parameters: parameters.map { stored in
                MeasureParameters(measureID: stored.measureID, table: stored.table,
                                  exactEpsilon: stored.epsilonExact.flatMap(Epsilon.init(rational:)) ?? legacyEpsilon(stored, noisy),
                                  sensitivity: stored.sensitivity, scale: stored.scale, contributionCap: stored.contributionCap)
            },
            noisyCells: noisy,
            weeksCovered: weeksCovered)
    }

    /// A slot's exact ε for a release stored before `epsilonExact` was kept: the noise scale
    /// of the slot's cells is t/s = Δ/ε, so ε = Δ·s/t; the stored decimal when no cell of the
    /// slot was drawn.
    private func legacyEpsilon(_ stored: StoredParameters, _ noisy: [NoisyCell]) -> Epsilon? {
        let parts = stored.measureID.split(separator: "/", maxSplits: 1).map(String.init)
        if parts.count == 2, stored.sensitivity > 0,
           let cell = noisy.first(where: { $0.histogram == parts[0] && $0.groupType.rawValue == parts[1] }), cell.t > 0 {
            let (numerator, overflow) = UInt64(stored.sensitivity).multipliedReportingOverflow(by: cell.s)
            if !overflow { return Epsilon(numerator: numerator, denominator: cell.t) }
        }
        return Epsilon(stored.epsilon)
    }
}
