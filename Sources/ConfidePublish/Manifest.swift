import ConfideModel
public import ConfideRelease
import Foundation

/// `manifest.json`: what was published and how it was protected. Deterministic (sorted keys).
public enum Manifest {
    /// Renders the manifest of `release`.
    ///
    /// - Parameters:
    ///   - files: the published file names with their cell counts.
    ///   - configurationHash: SHA-256 of the configuration file.
    ///   - supervision: the therapist release of the supervision period the week closes, if any
    ///     (the `supervision` object).
    ///   - caseLists: the manifest entries of the period's case lists (`supervision.case_lists`,
    ///     only when there are any).
    ///   - qualityAccepted: the `[quality]` checks the week failed and was published despite
    ///     (`quality_accepted`, only when there are any).
    public static func render(_ release: ProtectedRelease, supervision: ProtectedRelease? = nil, caseLists: [[String: Any]] = [],
                       qualityAccepted: [String] = [], toolVersion: String,
                              configurationHash: String, files: [String]) -> String {
        var tables: [String: Any] = [:]
        for table in Set(release.cells.map(\.table)).sorted() {
            let cells = release.cells(in: table)
            tables[table.rawValue] = [
                "cells_published": cells.filter { $0.status == .published }.count,
                "cells_suppressed": cells.filter { $0.status == .suppressed }.count,
                "definition_version": release.definitionVersion,
                "mode": release.mode.rawValue,
                "min_clients": release.minClients,
                "measures": release.parameters.filter { $0.table == table }.map {
                    ["measure_id": $0.measureID, "epsilon": Double($0.epsilon) ?? 0,
                     "epsilon_exact": $0.exactEpsilon?.rational ?? $0.epsilon, "sensitivity": $0.sensitivity,
                     "noise_scale": $0.scale, "contribution_cap": $0.contributionCap] as [String: Any]
                },
            ] as [String: Any]
        }
        var manifest: [String: Any] = [
            "tool": "confide",
            "tool_version": toolVersion,
            "configuration_sha256": configurationHash,
            "period": release.period,
            "period_start": release.periodStart,
            "period_end": release.periodEnd,
            // The weeks the figures cover, from the release's public parameters (never the data).
            "data_window": ["first_week": release.dataWindow.first, "last_week": release.dataWindow.last],
            "definition_version": release.definitionVersion,
            "privacy": ["mode": release.mode.rawValue, "epsilon": Double(release.epsilon) ?? 0,
                        "epsilon_exact": Epsilon(release.epsilon)?.rational ?? "0", "delta": release.delta,
                        "min_clients": release.minClients] as [String: Any],
            "tables": tables,
            "cells_published": release.cells.count - release.suppressedCount,
            "cells_suppressed": release.suppressedCount,
            "files": files.sorted(),
            "audit": ["result": "passed", "rules": LeakAudit.ruleNames] as [String: Any],
        ]
        if !qualityAccepted.isEmpty { manifest["quality_accepted"] = qualityAccepted }
        if let supervision {
            var entry: [String: Any] = [
                "period": supervision.period,
                "period_start": supervision.periodStart,
                "period_end": supervision.periodEnd,
                "outcome_window_start": supervision.periodStart(of: .outcomes),
                "weeks_covered": supervision.weeksCovered,
                "mode": supervision.mode.rawValue,
                "epsilon": Double(supervision.epsilon) ?? 0,
                "epsilon_exact": Epsilon(supervision.epsilon)?.rational ?? "0",
                "epsilon_per_event": Dictionary(uniqueKeysWithValues: supervision.charge.perEvent.map { ($0.key.rawValue, $0.value.value) }),
                "cells_published": supervision.cells.count - supervision.suppressedCount,
                "cells_suppressed": supervision.suppressedCount,
                "measures": supervision.parameters.map {
                    ["measure_id": $0.measureID, "table": $0.table.rawValue, "epsilon": Double($0.epsilon) ?? 0,
                     "epsilon_exact": $0.exactEpsilon?.rational ?? $0.epsilon, "sensitivity": $0.sensitivity,
                     "noise_scale": $0.scale, "contribution_cap": $0.contributionCap] as [String: Any]
                },
            ]
            if !caseLists.isEmpty { entry["case_lists"] = caseLists }
            manifest["supervision"] = entry
        }
        let data = try! JSONSerialization.data(withJSONObject: manifest, options: [.sortedKeys, .prettyPrinted])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
