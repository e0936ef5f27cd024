import Foundation

/// Stores and restores protected releases as JSON, so that a re-run publishes the stored
/// values byte for byte and never draws noise again. Restoring is the only way, besides
/// ``Protector``, to obtain a ``ProtectedRelease``.
public enum ReleaseCodec {
    /// The JSON text of `release` (sorted keys, stable across runs).
    public static func encode(_ release: ProtectedRelease) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(StoredRelease(release)), as: UTF8.self)
    }

    /// The release stored as `json` by ``encode(_:)``.
    public static func decode(_ json: String) throws -> ProtectedRelease {
        try JSONDecoder().decode(StoredRelease.self, from: Data(json.utf8)).release
    }
}

private struct StoredCell: Codable {
    let table, groupType, group, measureID, measureName: String
    let isRate: Bool
    let value, intervalLow, intervalHigh: Double?
    let status: CellStatus
    let reason: String?
}

private struct StoredParameters: Codable {
    let measureID, table, epsilon: String
    let sensitivity: Int
    let scale: Double
    let contributionCap: Int
}

private struct StoredNoisyCell: Codable {
    let histogram, cls, groupType, group: String
    let value: Int64
    let t, s: UInt64
}

private struct StoredRelease: Codable {
    let period, periodStart, periodEnd: String
    let mode: ProtectionMode
    let epsilon: String
    let delta: Double
    let minClients: Int
    let definitionVersion: String
    let cells: [StoredCell]
    let parameters: [StoredParameters]
    let noisyCells: [StoredNoisyCell]
    let weeksCovered: [String: Int]

    init(_ r: ProtectedRelease) {
        period = r.period; periodStart = r.periodStart; periodEnd = r.periodEnd; mode = r.mode
        epsilon = r.epsilon; delta = r.delta; minClients = r.minClients; definitionVersion = r.definitionVersion
        cells = r.cells.map {
            StoredCell(table: $0.table, groupType: $0.groupType, group: $0.group, measureID: $0.measureID, measureName: $0.measureName,
                       isRate: $0.isRate, value: $0.value, intervalLow: $0.intervalLow, intervalHigh: $0.intervalHigh,
                       status: $0.status, reason: $0.reason)
        }
        parameters = r.parameters.map {
            StoredParameters(measureID: $0.measureID, table: $0.table, epsilon: $0.epsilon, sensitivity: $0.sensitivity,
                             scale: $0.scale, contributionCap: $0.contributionCap)
        }
        noisyCells = r.noisyCells.map {
            StoredNoisyCell(histogram: $0.histogram, cls: $0.cls, groupType: $0.groupType, group: $0.group, value: $0.value, t: $0.t, s: $0.s)
        }
        weeksCovered = r.weeksCovered
    }

    var release: ProtectedRelease {
        ProtectedRelease(
            period: period, periodStart: periodStart, periodEnd: periodEnd, mode: mode, epsilon: epsilon, delta: delta,
            minClients: minClients, definitionVersion: definitionVersion,
            cells: cells.map {
                ProtectedCell(table: $0.table, groupType: $0.groupType, group: $0.group, measureID: $0.measureID,
                              measureName: $0.measureName, isRate: $0.isRate, value: $0.value, intervalLow: $0.intervalLow,
                              intervalHigh: $0.intervalHigh, status: $0.status, reason: $0.reason)
            },
            parameters: parameters.map {
                MeasureParameters(measureID: $0.measureID, table: $0.table, epsilon: $0.epsilon, sensitivity: $0.sensitivity,
                                  scale: $0.scale, contributionCap: $0.contributionCap)
            },
            noisyCells: noisyCells.map {
                NoisyCell(histogram: $0.histogram, cls: $0.cls, groupType: $0.groupType, group: $0.group, value: $0.value, t: $0.t, s: $0.s)
            },
            weeksCovered: weeksCovered)
    }
}
