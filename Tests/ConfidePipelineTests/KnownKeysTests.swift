import ConfideIngest
import ConfidePrivacy
@testable import ConfidePipeline
import Foundation
import Testing

@Suite struct KnownKeysTests {
    /// The error of loading `text`, or nil when it loads.
    private func error(_ text: String) -> ConfideError? {
        do { _ = try loadConfiguration(text); return nil } catch { return error as? ConfideError }
    }

    @Test func aMistypedPrivacyKeyStopsTheRunInsteadOfFallingBackToTheDefault() throws {
        let refused = try #require(error("[privacy]\nepsilon_per_weak = 0.5\n"))
        #expect(refused.status == .config)
        #expect(refused.message.contains("[privacy] epsilon_per_weak is not a known key (did you mean epsilon_per_week?)"))
    }

    /// A configuration written by the previous version (`epsilon_per_release = 4.0`) says
    /// exactly what to change, and loads once it is changed.
    @Test func theReplacedEpsilonPerReleaseSaysWhatToChange() throws {
        let old = "[privacy]\nmode = \"dp\"\nepsilon_per_release = 4.0\nepsilon_cap_per_year = 220.0\n"
        let refused = try #require(error(old))
        #expect(refused.status == .config)
        #expect(refused.message.contains("Delete the epsilon_per_release line") && refused.message.contains("epsilon_cap_per_year = 100"))
        let changed = try loadConfiguration(old.replacingOccurrences(of: "epsilon_per_release = 4.0\n", with: "")
            .replacingOccurrences(of: "220.0", with: "100"))
        #expect(changed.privacy.epsilonPerWeek == PrivacySettings.defaultEpsilonPerWeek && changed.epsilonCapPerYear == 100)
    }

    @Test func unknownSectionsAndFileKeysAreNamed() {
        #expect(error("[privcy]\nmode = \"dp\"\n")?.message.contains("[privcy] is not a known section (did you mean privacy?)") == true)
        #expect(error("[source.referrals]\nfiel = \"a.csv\"\n")?.message.contains("[source.referrals] fiel is not a known key (did you mean file?)") == true)
        #expect(error("[metrics]\nsomething_else = 3\n")?.message.contains("[metrics] something_else is not a known key; known:") == true)
    }

    @Test func everyWrittenConfigurationLoads() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("confide-keys-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for preset in [nil] + Preset.all.map(Optional.some) {
            let directory = folder + "/" + (preset?.name ?? "plain")
            let result = try Initialiser.initialise(directory: directory, practiceName: "P", preset: preset)
            #expect(throws: Never.self) { _ = try Configuration(path: result.configuration) }
        }
    }

    /// `[supervision] period_weeks` takes 1, 2, 4 or 13 (blocks of a 52-week year); anything
    /// else stops with exit 78 naming the allowed values.
    @Test(arguments: ["3", "0", "52", "\"4\""])
    func aSupervisionPeriodOtherThanTheAllowedLengthsIsRefused(value: String) throws {
        let refused = try #require(error("[supervision]\nperiod_weeks = \(value)\n"))
        #expect(refused.status == .config)
        #expect(refused.message.contains("[supervision] period_weeks"))
    }

    @Test func theSupervisionSectionIsRead() throws {
        let configuration = try loadConfiguration("[supervision]\nperiod_weeks = 13\nepsilon_per_year = 8\nepsilon_per_referral = 0.5\n")
        #expect(configuration.privacy.supervisionPeriodWeeks == 13 && configuration.metrics.supervisionPeriodWeeks == 13)
        #expect(configuration.privacy.supervisionEpsilonPerYear.value == 8 && configuration.privacy.supervisionEpsilonPerReferral.value == 0.5)
        #expect(configuration.budgetWarning == nil)
    }

    /// A configuration of the previous version (1.2 a week, 12 a referral) with supervision
    /// added would pass the cap of 100: it still loads, with a warning saying what to change.
    @Test func thePreviousDefaultsLoadWithAWarningAboutTheCap() throws {
        let configuration = try loadConfiguration("[privacy]\nepsilon_per_week = 1.2\nepsilon_per_referral = 12\nepsilon_cap_per_year = 100.0\n")
        let warning = try #require(configuration.budgetWarning)
        #expect(warning.contains("epsilon_per_week = 1.1") && warning.contains("epsilon_per_referral = 10"))
    }

    @Test func theWrittenWeightsExampleLoadsWhenUncommented() throws {
        var text = ConfigTemplate.render()
        for line in ["[privacy.weights]", "\"open_referrals/practice\" = 20", "\"clients_seen/therapist\" = 5",
                     "[supervision]", "period_weeks = 4", "epsilon_per_year = 19.8", "epsilon_per_referral = 0.25"] {
            #expect(text.contains("# " + line))
            text = text.replacingOccurrences(of: "# " + line, with: line)
        }
        let configuration = try loadConfiguration(text)
        #expect(configuration.privacy.weights == ["open_referrals/practice": 20, "clients_seen/therapist": 5])
        // The commented [supervision] section states the defaults.
        #expect(configuration.privacy.supervisionEpsilonPerYear == PrivacySettings.defaultSupervisionEpsilonPerYear
                && configuration.privacy.supervisionEpsilonPerReferral == PrivacySettings.defaultSupervisionEpsilonPerReferral)
    }

    @Test func theWrittenRetentionSectionLoadsWhenUncommentedWithTheCodeOfPracticeDefaults() throws {
        var text = ConfigTemplate.render()
        for line in ["[retention]", "adult_years = 20", "under_18_until_age = 25", "purge_on_run = false"] {
            #expect(text.contains("# " + line))
            text = text.replacingOccurrences(of: "# " + line, with: line)
        }
        #expect(try loadConfiguration(text).retention == RetentionSettings())
        let longer = text.replacingOccurrences(of: "adult_years = 20", with: "adult_years = 21")
        #expect { _ = try loadConfiguration(longer) } throws: { ($0 as? ConfideError)?.status == .config }
        let reasoned = longer.replacingOccurrences(of: "[retention]", with: "[retention]\nadult_years_reason = \"insurer requires 21 years\"")
        #expect(try loadConfiguration(reasoned).retention.adultYears == 21)
    }

    @Test func theWrittenCaseListKeysLoadWhenUncommentedWithTheDefaults() throws {
        var text = ConfigTemplate.render()
        let lines = ["[supervision]", "case_lists = false", "case_list_k = 5", "case_list_l = 2", "case_list_max_suppression = 0.2",
                     "case_lists_include_under_18 = false", "not_on_track_sessions = 6", "stable_case_codes = false"]
        for line in lines {
            #expect(text.contains("# " + line))
            text = text.replacingOccurrences(of: "# " + line, with: line)
        }
        let configuration = try loadConfiguration(text)
        #expect(!configuration.caseLists && configuration.caseListSettings == CaseListSettings() && !configuration.stableCaseCodes)
        #expect(configuration.metrics.notOnTrackSessions == 6)
        let on = try loadConfiguration(text.replacingOccurrences(of: "case_lists = false", with: "case_lists = true")
            .replacingOccurrences(of: "case_list_k = 5", with: "case_list_k = 8"))
        #expect(on.caseLists && on.caseListSettings.k == 8)
        #expect { _ = try loadConfiguration(text.replacingOccurrences(of: "case_list_l = 2", with: "case_list_l = 5")) } throws: {
            ($0 as? ConfideError)?.status == .config
        }
    }

    @Test func under18ThresholdAndCaseListsDefaultsAndReasons() throws {
        let defaults = try loadConfiguration("")
        #expect(defaults.privacy.minClientsUnder18 == 10 && !defaults.caseListsIncludeUnder18)
        #expect(try loadConfiguration("[privacy]\nmin_clients_under_18 = 15\n[supervision]\ncase_lists_include_under_18 = true\n")
                    .privacy.minClientsUnder18 == 15)
        #expect(try loadConfiguration("[supervision]\ncase_lists_include_under_18 = true\n").caseListsIncludeUnder18)
        // Under 18, the higher of the two thresholds applies.
        #expect(try loadConfiguration("[privacy]\nmin_clients = 12\n").privacy.minClients(groupType: .ageBand, group: "16-17") == 12)
        for refused in ["[privacy]\nmin_clients_under_18 = 6\n",
                        "[supervision]\ncase_lists_include_under_18 = \"yes\"\n"] {
            #expect { _ = try loadConfiguration(refused) } throws: { ($0 as? ConfideError)?.status == .config }
        }
        #expect(try loadConfiguration("[privacy]\nmin_clients_under_18 = 6\nmin_clients_under_18_reason = \"a youth service; agreed with the IG lead\"\n")
                    .privacy.minClientsUnder18 == 6)
    }

    /// The readers are the one list of keys; the reference in docs/configuration.md follows it.
    @Test func everyKeyTheReadersAskForIsDocumented() throws {
        let text = ConfigTemplate.render() + "\n[source.referrals]\nfile = \"r.csv\"\n[source.appointments]\nfile = \"a.csv\"\n"
        let known = try loadConfiguration(text).knownKeys
        let docs = try String(contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/configuration.md").path, encoding: .utf8)
        let sections = try #require(known[""])
        #expect(sections == ["practice", "source", "store", "privacy", "publish", "metrics", "supervision", "quality", "retention"])
        for section in sections {
            let keys = try #require(known[section])
            for key in keys.sorted() where !["referrals", "appointments", "measures"].contains(key) {
                let documented = section == "metrics" ? docs.contains("`\(key)`") : docs.contains("`[\(section)] \(key)`")
                    || (section == "privacy" && key == "weights" && docs.contains("`[privacy.weights]`"))
                #expect(documented, "[\(section)] \(key) is read but not in docs/configuration.md")
            }
        }
        #expect(known["source.appointments"]?.isSuperset(of: ["status_columns", "status_when_unset"]) == true)
        #expect(known["source.referrals"]?.contains("status_columns") == false)
    }

    @Test(arguments: [("", "", 0), ("epsilon", "epsilon", 0), ("epsilon", "epsilom", 1), ("dir", "path", 4), ("abc", "", 3)])
    func editDistance(_ a: String, _ b: String, _ expected: Int) {
        #expect(KnownKeys.editDistance(a, b) == expected)
        #expect(KnownKeys.editDistance(b, a) == expected)
    }
}
