import ConfideModel
public import ConfideIngest
public import ConfideMetrics
public import ConfidePrivacy
import ConfideRelease
public import ConfidePostgres
public import Foundation
import TOMLKit

/// `confide.toml`, read and checked. Paths are resolved relative to the file's folder.
public struct Configuration: Sendable {
    /// The file the configuration was read from.
    public let file: String
    /// Every key the readers asked for, by table (top-level sections under ""): the one list of
    /// what the file may hold (``KnownKeys``).
    let knownKeys: [String: Set<String>]
    /// `[practice] name`.
    public var practiceName: String
    /// `[practice] timezone` (IANA name, default `Europe/London`).
    public var timeZone: TimeZone
    /// `[source] path`, resolved.
    public var sourcePath: String
    /// `[source] format` (`csv` or `sqlite`).
    public var sourceFormat: String
    /// `[source]` and `[source.<file>]`: format, path, encoding, mode and the mapping per file.
    public var source: ExportSource
    /// `[source] date_format` (`iso`, `dd/mm/yyyy` or `mm/dd/yyyy`).
    public var dateOrder: DateOrder
    /// `[store] path`, resolved: the SQLite store (unused when ``storeURL`` is set).
    public var storePath: String
    /// `[store] url`: a PostgreSQL store (issue 18); nil for the SQLite store at ``storePath``,
    /// the default. Holds no password (``PostgresLocation``).
    public var storeURL: PostgresLocation?
    /// `[privacy] key_file`, resolved.
    public var keyFile: String
    /// `[privacy]` mode, ε, δ, `min_clients`.
    public var privacy: PrivacySettings
    /// `[privacy] epsilon_cap_per_year` (rolling 52 weeks).
    public var epsilonCapPerYear: Double
    /// `[metrics]`: thresholds, windows and bands of the definitions.
    public var metrics = MetricSettings()
    /// `[quality]`: the checks an export must pass before a week is released.
    public var quality = QualitySettings()
    /// `[supervision] case_lists`: whether the run that publishes a supervision period also
    /// writes each therapist's de-identified case list.
    public var caseLists = false
    /// `[supervision] case_list_k`, `case_list_l`, `case_list_max_suppression` and
    /// `case_lists_include_under_18`.
    public var caseListSettings = CaseListSettings()
    /// `[supervision] stable_case_codes`: the same case code in every period (off: a new code
    /// each period, so that a supervisor cannot link periods).
    public var stableCaseCodes = false
    /// `[supervision] case_lists_include_under_18` (default false): whether case lists may hold
    /// a row of a client under 18 when referred (``CaseListSettings/includeUnder18``).
    public var caseListsIncludeUnder18: Bool {
        get { caseListSettings.includeUnder18 }
        set { caseListSettings.includeUnder18 = newValue }
    }
    /// `[retention]`: how long a referral's rows are kept, and whether `run` purges first.
    public var retention = RetentionSettings()
    /// `[publish] dir`, resolved.
    public var publishDir: String
    /// A warning when a client's worst case over 52 weeks at these settings
    /// (``PrivacySettings/worstCaseYear``) is over the cap: runs would stop there.
    public private(set) var budgetWarning: String? = nil
    /// SHA-256 of the file's bytes, recorded in every manifest.
    public let sha256: String

    /// Reads and checks `path`.
    ///
    /// - Throws: ``ConfideError`` with exit code 78 (or 66 when the file is missing).
    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfideError(.noInput, "configuration file not found: \(path). Create one with 'confide init'.")
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: String(decoding: data, as: UTF8.self))
        } catch let error as TOMLParseError {
            throw ConfideError(.config, "\(path): line \(error.source.begin.line), column \(error.source.begin.column): \(error.description)")
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent().path
        func resolve(_ value: String) -> String { value.hasPrefix("/") ? value : base + "/" + value }
        let read = ReadKeys()
        let reader = TableReader(table: table, file: path, read: read)
        file = path
        practiceName = try reader.string("practice", "name", default: "Practice")
        let zone = try reader.string("practice", "timezone", default: "Europe/London")
        guard let timeZone = TimeZone(identifier: zone) else {
            throw ConfideError(.config, "\(path): [practice] timezone '\(zone)' is not an IANA time zone (for example Europe/London)")
        }
        self.timeZone = timeZone
        source = try SourceSettings.read(table, file: path, read: read, resolve: resolve)
        sourceFormat = source.format.rawValue
        sourcePath = source.path
        dateOrder = source.dateOrder
        let pathGiven = try reader.value("store", "path") != nil
        storePath = resolve(try reader.string("store", "path", default: "confide.sqlite"))
        storeURL = try Self.storeLocation(reader, file: path, pathGiven: pathGiven)
        keyFile = resolve(try reader.string("privacy", "key_file", default: "confide.key"))
        let modeText = try reader.string("privacy", "mode", default: "dp")
        guard let mode = ProtectionMode(rawValue: modeText) else {
            throw ConfideError(.config, "\(path): [privacy] mode must be \"dp\" or \"sdc\"")
        }
        if try reader.value("privacy", "epsilon_per_release") != nil {
            throw ConfideError(.config, "\(path): [privacy] epsilon_per_release was replaced by lifetime accounting (docs/privacy.md): each weekly release now charges epsilon_per_week (default 1.1) for its caseload figures, and one referral's events charge epsilon_per_referral (default 10) once over its life, at most referrals_per_client_year (default 2) a year. Delete the epsilon_per_release line to take the defaults (a client's worst case over any 52 weeks of weekly and supervision releases is then 98), and set epsilon_cap_per_year = 100.")
        }
        func epsilon(_ key: String, _ fallback: Epsilon) throws -> Epsilon {
            let text = try reader.number("privacy", key, default: fallback.description)
            guard let epsilon = Epsilon(text) else {
                throw ConfideError(.config, "\(path): [privacy] \(key) must be a positive decimal of at most 6 digits before and 6 after the point")
            }
            return epsilon
        }
        let epsilonPerWeek = try epsilon("epsilon_per_week", PrivacySettings.defaultEpsilonPerWeek)
        let epsilonPerReferral = try epsilon("epsilon_per_referral", PrivacySettings.defaultEpsilonPerReferral)
        let referralsPerYear = try reader.int("privacy", "referrals_per_client_year", default: PrivacySettings.defaultReferralsPerClientYear)
        guard (1...52).contains(referralsPerYear) else {
            throw ConfideError(.config, "\(path): [privacy] referrals_per_client_year must be between 1 and 52")
        }
        let delta = Double(try reader.number("privacy", "delta", default: "0")) ?? -1
        guard (0..<1).contains(delta) else { throw ConfideError(.config, "\(path): [privacy] delta must be in [0, 1)") }
        let minClients = try reader.int("privacy", "min_clients", default: 5)
        guard (1...1000).contains(minClients) else { throw ConfideError(.config, "\(path): [privacy] min_clients must be between 1 and 1000") }
        let minClientsUnder18 = try reader.int("privacy", "min_clients_under_18", default: PrivacySettings.defaultMinClientsUnder18)
        guard (1...1000).contains(minClientsUnder18) else { throw ConfideError(.config, "\(path): [privacy] min_clients_under_18 must be between 1 and 1000") }
        let under18Reason = try reader.string("privacy", "min_clients_under_18_reason", default: "").trimmingCharacters(in: .whitespacesAndNewlines)
        if minClientsUnder18 < PrivacySettings.defaultMinClientsUnder18, under18Reason.isEmpty {
            throw ConfideError(.config, "\(path): [privacy] min_clients_under_18 = \(minClientsUnder18) is below \(PrivacySettings.defaultMinClientsUnder18), the least a cell of an age band under 18 may rest on unless the practice says why: add min_clients_under_18_reason = \"...\", or remove the key to take \(PrivacySettings.defaultMinClientsUnder18)")
        }
        let periodWeeks = try reader.int("supervision", "period_weeks", default: 4)
        guard SupervisionPeriod.allowedWeeks.contains(periodWeeks) else {
            throw ConfideError(.config, "\(path): [supervision] period_weeks must be one of \(SupervisionPeriod.allowedWeeks.map(String.init).joined(separator: ", ")) (weeks in a supervision period, counted from week 1 of each ISO year)")
        }
        func supervisionEpsilon(_ key: String, _ fallback: Epsilon) throws -> Epsilon {
            let text = try reader.number("supervision", key, default: fallback.description)
            guard let epsilon = Epsilon(text) else {
                throw ConfideError(.config, "\(path): [supervision] \(key) must be a positive decimal of at most 6 digits before and 6 after the point")
            }
            return epsilon
        }
        privacy = PrivacySettings(mode: mode, epsilonPerWeek: epsilonPerWeek, epsilonPerReferral: epsilonPerReferral,
                                  referralsPerClientYear: referralsPerYear, delta: delta, minClients: minClients,
                                  weights: try reader.privacyWeights(), supervisionPeriodWeeks: periodWeeks,
                                  supervisionEpsilonPerYear: try supervisionEpsilon("epsilon_per_year", PrivacySettings.defaultSupervisionEpsilonPerYear),
                                  supervisionEpsilonPerReferral: try supervisionEpsilon("epsilon_per_referral", PrivacySettings.defaultSupervisionEpsilonPerReferral))
        privacy.minClientsUnder18 = minClientsUnder18
        epsilonCapPerYear = Double(try reader.number("privacy", "epsilon_cap_per_year", default: "100")) ?? -1
        guard epsilonCapPerYear > 0 else { throw ConfideError(.config, "\(path): [privacy] epsilon_cap_per_year must be positive") }
        publishDir = resolve(try reader.string("publish", "dir", default: "Reports"))
        let standard = { (path: String) in URL(fileURLWithPath: path).standardizedFileURL.path }
        let folders = [standard(base), standard(URL(fileURLWithPath: storePath).deletingLastPathComponent().path)]
        if folders.contains(standard(publishDir)) {
            throw ConfideError(.config, "\(path): [publish] dir is the folder of the configuration or the store; reports would be published beside confide.key and the store. Give the reports a folder of their own, for example dir = \"Reports\".")
        }
        func share(_ key: String, _ fallback: Double) throws -> Double {
            let value = Double(try reader.number("quality", key, default: String(fallback))) ?? -1
            guard (0...1).contains(value) else { throw ConfideError(.config, "\(path): [quality] \(key) must be a number from 0 to 1") }
            return value
        }
        quality.maxQuarantinedShare = try share("max_quarantined_share", quality.maxQuarantinedShare)
        quality.minWeekShareOfMedian = try share("min_week_share_of_median", quality.minWeekShareOfMedian)
        quality.futureDays = try reader.int("quality", "future_days", default: quality.futureDays)
        guard (0...3650).contains(quality.futureDays) else { throw ConfideError(.config, "\(path): [quality] future_days must be between 0 and 3650") }
        metrics = try reader.metricSettings()
        retention = try reader.retentionSettings()
        metrics.referralsPerClientYear = mode == .dp ? referralsPerYear : nil
        metrics.supervisionPeriodWeeks = periodWeeks
        caseLists = try reader.bool("supervision", "case_lists", default: false)
        func bounded(_ key: String, _ fallback: Int, _ range: ClosedRange<Int>, _ meaning: String) throws -> Int {
            let value = try reader.int("supervision", key, default: fallback)
            guard range.contains(value) else {
                throw ConfideError(.config, "\(path): [supervision] \(key) must be between \(range.lowerBound) and \(range.upperBound) (\(meaning))")
            }
            return value
        }
        caseListSettings.k = try bounded("case_list_k", 5, 2...1000, "cases that share every published quasi-identifier")
        caseListSettings.l = try bounded("case_list_l", 2, 1...4, "distinct outcome classes in each such group; there are 4")
        caseListSettings.maxSuppression = Double(try reader.number("supervision", "case_list_max_suppression", default: "0.2")) ?? -1
        guard (0...1).contains(caseListSettings.maxSuppression) else {
            throw ConfideError(.config, "\(path): [supervision] case_list_max_suppression must be a number from 0 to 1")
        }
        caseListSettings.includeUnder18 = try reader.bool("supervision", "case_lists_include_under_18", default: false)
        metrics.notOnTrackSessions = try bounded("not_on_track_sessions", 6, 1...100, "treatment sessions without reliable improvement")
        stableCaseCodes = try reader.bool("supervision", "stable_case_codes", default: false)
        try KnownKeys.check(table, file: path, read: read)
        if privacy.worstCaseYear > epsilonCapPerYear + 1e-9 {
            budgetWarning = "\(path): at these settings one client's worst case over 52 weeks is \(decimalText(privacy.worstCaseYear)) (weekly releases \(decimalText(privacy.worstCaseWeeklyYear)), supervision releases \(decimalText(privacy.worstCaseSupervisionYear))), over epsilon_cap_per_year = \(decimalText(epsilonCapPerYear)): releases will stop at the cap. A configuration of the previous version (epsilon_per_week = 1.2, epsilon_per_referral = 12) should take today's defaults, epsilon_per_week = 1.1 and epsilon_per_referral = 10 (98 in all, docs/privacy.md), or lower [supervision] epsilon_per_year."
        }
        knownKeys = read.keys
        sha256 = sha256Hex(Array(data))
    }

    /// The source the configuration describes, with `date_format` as currently set.
    public var exportSource: ExportSource {
        var source = source
        source.dateOrder = dateOrder
        return source
    }
}

extension Configuration {
    /// `[store] url`, checked: a PostgreSQL URL without a password, and not beside `path`.
    /// Messages never repeat the URL (it might hold a password).
    fileprivate static func storeLocation(_ reader: TableReader, file: String, pathGiven: Bool) throws -> PostgresLocation? {
        guard try reader.value("store", "url") != nil else { return nil }
        let url = try reader.string("store", "url", default: "")
        if pathGiven {
            throw ConfideError(.config, "\(file): [store] gives both path (an SQLite store) and url (a PostgreSQL store); keep the one this practice uses and delete the other")
        }
        do {
            return try PostgresLocation(url: url)
        } catch {
            throw ConfideError(.config, "\(file): [store] url \(error.description)")
        }
    }
}

/// Typed access to `[section] key` with a message naming the file, section and key.
private struct TableReader {
    /// `[metrics]`: every key optional, defaults from ``MetricSettings``.
    func metricSettings() throws -> MetricSettings {
        var s = MetricSettings()
        func whole(_ key: String, _ current: Int, _ range: ClosedRange<Int>) throws -> Int {
            let value = try int("metrics", key, default: current)
            guard range.contains(value) else {
                throw ConfideError(.config, "\(file): [metrics] \(key) must be between \(range.lowerBound) and \(range.upperBound)")
            }
            return value
        }
        s.activeContactDays = try whole("active_contact_days", s.activeContactDays, 1...3650)
        s.outcomeWindowWeeks = try whole("outcome_window_weeks", s.outcomeWindowWeeks, 1...52)
        s.minimumTreatmentSessions = try whole("minimum_treatment_sessions", s.minimumTreatmentSessions, 1...50)
        s.phq9Caseness = try whole("phq9_caseness", s.phq9Caseness, 1...27)
        s.gad7Caseness = try whole("gad7_caseness", s.gad7Caseness, 1...21)
        s.phq9ReliableChange = try whole("phq9_reliable_change", s.phq9ReliableChange, 1...27)
        s.gad7ReliableChange = try whole("gad7_reliable_change", s.gad7ReliableChange, 1...21)
        s.core10Caseness = try whole("core10_caseness", s.core10Caseness, 1...40)
        s.core10ReliableChange = try whole("core10_reliable_change", s.core10ReliableChange, 1...40)
        let instruments = try string("metrics", "instruments", default: s.instruments.rawValue)
        guard let chosen = OutcomeInstruments(rawValue: instruments) else {
            throw ConfideError(.config, "\(file): [metrics] instruments must be one of \(OutcomeInstruments.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        s.instruments = chosen
        if let bands = try array("metrics", "age_bands") {
            let bounds = bands.compactMap(\.int)
            guard bounds.count == bands.count, !bounds.isEmpty, bounds.allSatisfy({ (0...120).contains($0) }) else {
                throw ConfideError(.config, "\(file): [metrics] age_bands must be a list of whole numbers 0-120 (lower bounds)")
            }
            s.ageBands = AgeBands(lowerBounds: bounds)
        }
        for (key, path) in [("caseload_breakdowns", \MetricSettings.caseloadBreakdowns), ("outcome_breakdowns", \MetricSettings.outcomeBreakdowns)] {
            guard let values = try array("metrics", key) else { continue }
            let groups = values.compactMap { $0.string.flatMap(GroupType.init(rawValue:)) }
            guard groups.count == values.count else {
                throw ConfideError(.config, "\(file): [metrics] \(key) must list breakdowns among \(GroupType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            s[keyPath: path] = groups.filter { $0 != .practice }
        }
        return s
    }

    /// `[retention]`: each period may be shortened freely, lengthened past the Code of
    /// Practice's only with a non-empty `<key>_reason` (else exit 78).
    func retentionSettings() throws -> RetentionSettings {
        var settings = RetentionSettings()
        func period(_ key: String, _ code: Int, _ range: ClosedRange<Int>, _ what: String) throws -> Int {
            let chosen = try int("retention", key, default: code)
            guard range.contains(chosen) else {
                throw ConfideError(.config, "\(file): [retention] \(key) must be between \(range.lowerBound) and \(range.upperBound)")
            }
            let reason = try value("retention", key + "_reason")
            if let reason, reason.string == nil { throw ConfideError(.config, "\(file): [retention] \(key)_reason must be a string") }
            let given = reason?.string?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if chosen > code, given.isEmpty {
                throw ConfideError(.config, "\(file): [retention] \(key) = \(chosen) keeps records longer than the NHS Records Management Code of Practice (\(what) \(code)); a practice may keep them longer only with a reason: add \(key)_reason = \"...\" (docs/operations.md, \"Retention and erasure\"), or remove the key to take \(code)")
            }
            return chosen
        }
        settings.adultYears = try period("adult_years", RetentionSettings.codeAdultYears, 1...100, "years after the end of treatment:")
        settings.under18UntilAge = try period("under_18_until_age", RetentionSettings.codeUnder18UntilAge, 18...100, "the birthday, 26th if 17 when treatment ended:")
        if let flag = try value("retention", "purge_on_run") {
            guard let on = flag.bool else { throw ConfideError(.config, "\(file): [retention] purge_on_run must be true or false") }
            settings.purgeOnRun = on
        }
        return settings
    }

    /// `[privacy.weights]`: `"histogram/breakdown" = weight`, each a known budget slot and a
    /// whole number from 1 to 1000. Slots not named keep their default weight.
    func privacyWeights() throws -> [String: UInt64] {
        guard let value = try value("privacy", "weights") else { return [:] }
        guard let table = value.table else {
            throw ConfideError(.config, "\(file): [privacy.weights] must be a table of \"histogram/breakdown\" = weight")
        }
        var weights: [String: UInt64] = [:]
        for slot in table.keys.sorted() {
            if let replacement = PrivacySettings.replacedSlots[slot] {
                throw ConfideError(.config, "\(file): [privacy.weights] \"\(slot)\" is no longer a budget slot: the practice's referrals received, entries to treatment and endings share \"\(replacement)\" (docs/privacy.md)")
            }
            guard PrivacySettings.slotIDs.contains(slot) else {
                throw ConfideError(.config, "\(file): [privacy.weights] \"\(slot)\" is not a budget slot; a slot is \"histogram/breakdown\", for example \"appointments/therapist\" (docs/privacy.md lists them)")
            }
            let weight = table[slot]?.int ?? table[slot]?.double.flatMap { $0 == $0.rounded() && abs($0) < 1e6 ? Int($0) : nil }
            guard let weight, (1...1000).contains(weight) else {
                throw ConfideError(.config, "\(file): [privacy.weights] \"\(slot)\" must be a whole number from 1 to 1000")
            }
            weights[slot] = UInt64(weight)
        }
        return weights
    }

    func array(_ section: String, _ key: String) throws -> TOMLArray? {
        guard let value = try value(section, key) else { return nil }
        guard let array = value.array else { throw ConfideError(.config, "\(file): [\(section)] \(key) must be a list") }
        return array
    }

    let table: TOMLTable
    let file: String
    /// Every key asked for, present or not (``KnownKeys``).
    let read: ReadKeys

    func value(_ section: String, _ key: String) throws -> TOMLValueConvertible? {
        read.note(section, key)
        guard let sectionValue = table[section] else { return nil }
        guard let sectionTable = sectionValue.table else {
            throw ConfideError(.config, "\(file): [\(section)] must be a table")
        }
        return sectionTable[key]
    }

    func string(_ section: String, _ key: String, default fallback: String) throws -> String {
        guard let value = try value(section, key) else { return fallback }
        guard let text = value.string else { throw ConfideError(.config, "\(file): [\(section)] \(key) must be a string") }
        return text
    }

    func int(_ section: String, _ key: String, default fallback: Int) throws -> Int {
        guard let value = try value(section, key) else { return fallback }
        guard let number = value.int else { throw ConfideError(.config, "\(file): [\(section)] \(key) must be a whole number") }
        return number
    }

    func bool(_ section: String, _ key: String, default fallback: Bool) throws -> Bool {
        guard let value = try value(section, key) else { return fallback }
        guard let flag = value.bool else { throw ConfideError(.config, "\(file): [\(section)] \(key) must be true or false") }
        return flag
    }

    /// A number as its decimal text (integers and floats both accepted).
    func number(_ section: String, _ key: String, default fallback: String) throws -> String {
        guard let value = try value(section, key) else { return fallback }
        if let int = value.int { return String(int) }
        if let double = value.double {
            var text = String(format: "%.6f", double)
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
            return text
        }
        if let text = value.string { return text }
        throw ConfideError(.config, "\(file): [\(section)] \(key) must be a number")
    }
}
