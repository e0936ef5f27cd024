public import ConfideIngest
import ConfideModel

/// The commented `confide.toml` that `confide init` writes.
public enum ConfigTemplate {
    /// The text of a new configuration; with a preset, its date order and mapping.
    /// With `storeURL`, `[store]` names that PostgreSQL store (`url`) instead of the SQLite file.
    public static func render(practiceName: String = "My practice", sourcePath: String = "exports", publishDir: String = "Reports",
                              preset: Preset? = nil, storeURL: String? = nil) -> String {
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
        \(storeText(storeURL))

        [privacy]
        # The practice key (HMAC-SHA256 pseudonyms). Mode 0600; back it up; never share it.
        key_file = "confide.key"
        # "dp" (differential privacy, default) or "sdc" (NHS-style suppression and rounding).
        mode = "dp"
        # The smallest number of clients any published cell may rest on.
        min_clients = 5
        # Cells of an age band holding clients under 18 rest on at least this many (less only
        # with min_clients_under_18_reason):
        # min_clients_under_18 = 10
        # Privacy budget (docs/privacy.md, "Lifetime accounting"). Each weekly release charges
        # every client epsilon_per_week for the caseload figures (a client is in them week after
        # week); a referral's events (received, entered, ended, finished with its outcome) are
        # each in one week's figures over all time, so together they charge epsilon_per_referral
        # once, for at most referrals_per_client_year referrals a year. The cap bounds one
        # client's worst case over any 52 weeks of weekly and supervision releases:
        # 52 x 1.1 + 2 x 10 (weekly) + 19.8 + 4 x 0.25 ([supervision]) = 98 at these values.
        epsilon_per_week = 1.1
        epsilon_per_referral = 10
        referrals_per_client_year = 2
        epsilon_cap_per_year = 100.0
        delta = 0.0
        # How each budget is split across its slots ("histogram/breakdown", docs/privacy.md).
        # The defaults favour practice-wide figures; raising a slot's weight takes budget from
        # the other slots of its kind, for example:
        # [privacy.weights]
        # "open_referrals/practice" = 20
        # "clients_seen/therapist" = 5

        # Therapist figures are released once per supervision period, by the run of the week
        # that closes it: blocks of period_weeks ISO weeks from week 1 of each year (1, 2, 4 or
        # 13; with 4, W01-W04 ... W49-W52, a week 53 joining the last). That week's folder gets
        # supervision/<therapist>.csv and the therapist rows in caseload.csv and outcomes.csv.
        # A year of supervision releases charges every client epsilon_per_year (each period its
        # share); a referral's end and outcome charge epsilon_per_referral in them, counted for
        # at most twice referrals_per_client_year referrals in any 52 weeks. The defaults:
        # [supervision]
        # period_weeks = 4
        # epsilon_per_year = 19.8
        # epsilon_per_referral = 0.25
        # case_lists = true writes supervision/<therapist>-cases.csv too: each therapist's cases
        # of the period, de-identified (k-anonymous, l-diverse; docs/case-lists.md), with
        # keyed codes that `confide case CODE` maps back inside the practice.
        # case_lists = false
        # case_list_k = 5
        # case_list_l = 2
        # case_list_max_suppression = 0.2
        # case_lists_include_under_18 = false
        # not_on_track_sessions = 6
        # stable_case_codes = false

        # How long a referral's rows are kept after it ends (confide purge deletes them; the
        # defaults are the NHS Records Management Code of Practice's, docs/operations.md,
        # "Retention and erasure"): adults 20 years; clients under 18 when referred until their
        # 25th birthday (26th if 17 when treatment ended). Shorter values are allowed; a longer
        # one needs adult_years_reason or under_18_until_age_reason (else exit 78).
        # purge_on_run = true makes every confide run purge before it ingests.
        # [retention]
        # adult_years = 20
        # under_18_until_age = 25
        # purge_on_run = false

        [publish]
        # Reports are published to <dir>/<ISO week>/.
        dir = \(tomlString(publishDir))

        """
    }

    /// The `[source.<file>]` tables of a preset: file name, columns, status columns and value maps.
    static func mappingText(_ preset: Preset) -> String {
        var lines = ["# Preset \(tomlString(preset.name)): \(preset.summary).",
                     "# Column names and value maps below are editable; docs/presets.md says what each maps."]
        for file in CanonicalFile.allCases {
            guard let mapping = preset.files[file] else { continue }
            lines.append("")
            lines.append("[source.\(file.rawValue)]")
            if let name = mapping.file { lines.append("file = \(tomlString(name))") }
            if let word = mapping.statusWhenUnset {
                lines.append("# The status when no column of status_columns is set.")
                lines.append("status_when_unset = \(tomlString(word))")
            }
            lines.append("")
            lines.append("[source.\(file.rawValue).columns]")
            for field in file.fields { if let column = mapping.columns[field] { lines.append("\(field) = \(tomlString(column))") } }
            if !mapping.statusColumns.isEmpty {
                lines.append("")
                lines.append("# Source column = the status it means when set (not empty and not false, 0, no, n or f).")
                lines.append("# When several are set: cancelled_by_practice > cancelled_by_client > cancelled > dna >")
                lines.append("# late_not_seen > attended_late > attended. Their values are never stored.")
                lines.append("[source.\(file.rawValue).status_columns]")
                for (column, word) in mapping.statusColumns.sorted(by: { $0.key < $1.key }) {
                    lines.append("\(tomlKey(column)) = \(tomlString(word))")
                }
            }
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

    /// A TOML key: bare when it may be (ASCII letters, digits, `_` and `-`), else quoted.
    static func tomlKey(_ text: String) -> String {
        let bare = !text.isEmpty && text.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
        }
        return bare ? text : tomlString(text)
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

    /// The `[store]` lines: the SQLite file (the default), or a PostgreSQL URL.
    private static func storeText(_ url: String?) -> String {
        guard let url else {
            return """
            # The SQLite store: pseudonymised, allowlisted fields only. For a PostgreSQL store write
            # url = "postgresql://USER@HOST:PORT/DATABASE" instead (never a password: docs/operations.md).
            path = "confide.sqlite"
            """
        }
        return """
        # The PostgreSQL store (pseudonymised, allowlisted fields only). Its password is in a
        # password file (PGPASSFILE, default ~/.pgpass), a service file or PGPASSWORD: never here.
        url = \(tomlString(url))
        """
    }
}
