public import ConfidePrivacy
import Foundation

/// `manifest.json`: what was published and how it was protected. Deterministic (sorted keys).
public enum Manifest {
    /// Renders the manifest of `release`.
    ///
    /// - Parameters:
    ///   - files: the published file names with their cell counts.
    ///   - configurationHash: SHA-256 of the configuration file.
    ///   - dataWindow: the first and last ISO week of data the release rests on.
    public static func render(_ release: ProtectedRelease, toolVersion: String, configurationHash: String,
                              dataWindow: (String, String), files: [String]) -> String {
        var tables: [String: Any] = [:]
        for table in Set(release.cells.map(\.table)).sorted() {
            let cells = release.cells(in: table)
            tables[table] = [
                "cells_published": cells.filter { $0.status == .published }.count,
                "cells_suppressed": cells.filter { $0.status == .suppressed }.count,
                "definition_version": release.definitionVersion,
                "mode": release.mode.rawValue,
                "min_clients": release.minClients,
                "measures": release.parameters.filter { $0.table == table }.map {
                    ["measure_id": $0.measureID, "epsilon": Double($0.epsilon) ?? 0,
                     "epsilon_exact": exactEpsilon(of: $0, in: release), "sensitivity": $0.sensitivity,
                     "noise_scale": $0.scale, "contribution_cap": $0.contributionCap] as [String: Any]
                },
            ] as [String: Any]
        }
        let manifest: [String: Any] = [
            "tool": "confide",
            "tool_version": toolVersion,
            "configuration_sha256": configurationHash,
            "period": release.period,
            "period_start": release.periodStart,
            "period_end": release.periodEnd,
            "data_window": ["first_week": dataWindow.0, "last_week": dataWindow.1],
            "definition_version": release.definitionVersion,
            "privacy": ["mode": release.mode.rawValue, "epsilon": Double(release.epsilon) ?? 0,
                        "epsilon_exact": Epsilon(release.epsilon).map(rational) ?? "0", "delta": release.delta,
                        "min_clients": release.minClients] as [String: Any],
            "tables": tables,
            "cells_published": release.cells.count - release.suppressedCount,
            "cells_suppressed": release.suppressedCount,
            "files": files.sorted(),
            "audit": ["result": "passed", "rules": LeakAudit.ruleNames] as [String: Any],
        ]
        let data = try! JSONSerialization.data(withJSONObject: manifest, options: [.sortedKeys, .prettyPrinted])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// A budget slot's ε as an exact fraction `p/q` (or `p`). In dp mode the noise scale of the
    /// slot's cells is t/s with t = Δ·q·W and s = p·w, so ε = Δ·s/t exactly; the decimal in
    /// `MeasureParameters.epsilon` is rounded to six places. Without a noisy cell of the slot
    /// (a breakdown with no groups) the decimal is given as it is.
    static func exactEpsilon(of parameters: MeasureParameters, in release: ProtectedRelease) -> String {
        let parts = parameters.measureID.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, parameters.sensitivity > 0,
              let cell = release.noisyCells.first(where: { $0.histogram == parts[0] && $0.groupType == parts[1] }),
              cell.t > 0 else { return parameters.epsilon }
        let (numerator, overflow) = UInt64(parameters.sensitivity).multipliedReportingOverflow(by: cell.s)
        guard !overflow else { return parameters.epsilon }
        return rational(Epsilon(numerator: numerator, denominator: cell.t))
    }

    /// `p/q`, or `p` when q is 1.
    static func rational(_ epsilon: Epsilon) -> String {
        epsilon.denominator == 1 ? String(epsilon.numerator) : "\(epsilon.numerator)/\(epsilon.denominator)"
    }
}

extension LeakAudit {
    /// Every rule the audit applies.
    public static let ruleNames = ["nhs_number", "email", "uk_phone", "postcode", "postcode_sector", "ni_number",
                                   "date_outside_period", "source_identifier", "manifest_invariants"]
}
