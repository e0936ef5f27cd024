public import ConfideIngest
import ConfideModel

/// The commented `confide.toml` that `confide init` writes.
public enum ConfigTemplate {
    /// The text of a new configuration; with a preset, its date order and mapping.
    public static func render(practiceName: String = "My practice", sourcePath: String = "exports", publishDir: String = "Reports",
                              preset: Preset? = nil) -> String {
        """
        # confide configuration. Paths are relative to this file.
        # Keys are documented in docs/configuration.md; names never change between versions.

        [practice]
        name = \(tomlString(practiceName))
        # IANA time zone: dates and ISO weeks are read in it.
        timezone = "Europe/London"

        [source]
        # "csv": a folder with referrals.csv, appointments.csv and measures.csv (docs/input-format.md).
        format = "csv"
        path = \(tomlString(sourcePath))
        # "iso" (YYYY-MM-DD), "dd/mm/yyyy" or "mm/dd/yyyy".
        date_format = \(tomlString(preset?.dateOrder.rawValue ?? "iso"))
        # "auto" (byte-order mark, else detected), "utf-8", "utf-16" or "windows-1252".
        encoding = "auto"
        # "snapshot" (each export is complete; referrals no longer in it are reported, never
        # deleted) or "delta" (exports hold only new and changed rows).
        mode = "snapshot"
        \(preset.map(mappingText) ?? "")

        [store]
        # The SQLite store: pseudonymised, allowlisted fields only.
        path = "confide.sqlite"

        [privacy]
        # The practice key (HMAC-SHA256 pseudonyms). Mode 0600; back it up; never share it.
        key_file = "confide.key"
        # "dp" (differential privacy, default) or "sdc" (NHS-style suppression and rounding).
        mode = "dp"
        # The smallest number of clients any published cell may rest on.
        min_clients = 5
        # Privacy budget charged by each weekly release, and the cap over any 52 weeks.
        epsilon_per_release = 4.0
        epsilon_cap_per_year = 220.0
        delta = 0.0
        # How each release's epsilon is split across its budget slots (docs/privacy.md). The
        # defaults favour practice-wide figures; to give supervisors' therapist figures more:
        # [privacy.weights]
        # "appointments/therapist" = 8
        # "open_referrals/therapist" = 8

        [publish]
        # Reports are published to <dir>/<ISO week>/.
        dir = \(tomlString(publishDir))

        """
    }

    /// The `[source.<file>]` tables of a preset: file name, columns and value maps.
    static func mappingText(_ preset: Preset) -> String {
        var lines = ["# Preset \(tomlString(preset.name)): \(preset.summary).",
                     "# Column names and value maps below are editable; docs/presets.md says what each maps."]
        for file in CanonicalFile.allCases {
            guard let mapping = preset.files[file] else { continue }
            lines.append("")
            lines.append("[source.\(file.rawValue)]")
            if let name = mapping.file { lines.append("file = \(tomlString(name))") }
            lines.append("")
            lines.append("[source.\(file.rawValue).columns]")
            for field in file.fields { if let column = mapping.columns[field] { lines.append("\(field) = \(tomlString(column))") } }
            for field in mapping.values.keys.sorted() {
                lines.append("")
                lines.append("[source.\(file.rawValue).values.\(field)]")
                for (key, word) in mapping.values[field]!.sorted(by: { ($0.value, $0.key) < ($1.value, $1.key) }) {
                    lines.append("\(tomlString(key)) = \(tomlString(word))")
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    static func tomlString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 32 { out += "\\u" + String(scalar.value, radix: 16).leftPadded(4) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
