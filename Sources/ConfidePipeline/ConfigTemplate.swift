/// The commented `confide.toml` that `confide init` writes.
public enum ConfigTemplate {
    /// The text of a new configuration.
    public static func render(practiceName: String = "My practice", sourcePath: String = "exports", publishDir: String = "Reports") -> String {
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
        # "iso" (YYYY-MM-DD) or "dd/mm/yyyy".
        date_format = "iso"

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

        [publish]
        # Reports are published to <dir>/<ISO week>/.
        dir = \(tomlString(publishDir))

        """
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
