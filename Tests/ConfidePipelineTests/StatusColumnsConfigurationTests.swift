import ConfideIngest
@testable import ConfidePipeline
import Foundation
import Testing

/// `[source.appointments.status_columns]` and `status_when_unset` in `confide.toml`, and the
/// `cliniko-api` preset that `confide init` writes with them.
@Suite struct StatusColumnsConfigurationTests {
    /// The exit-78 message of loading `text`, or nil when it loads (or fails otherwise).
    private func configError(_ text: String) -> String? {
        do { _ = try loadConfiguration(text); return nil } catch {
            guard let error = error as? ConfideError, error.status == .config else { return nil }
            return error.message
        }
    }

    private let cliniko = """
        [source.appointments]
        status_when_unset = "attended"

        [source.appointments.status_columns]
        cancelled_at = "cancelled_by_client"
        did_not_arrive = "dna"
        patient_arrived = "attended"

        """

    @Test func theDocumentedTablesLoad() throws {
        let mapping = try loadConfiguration(cliniko).source.mapping(.appointments)
        #expect(mapping.statusColumns == ["cancelled_at": "cancelled_by_client", "did_not_arrive": "dna", "patient_arrived": "attended"])
        #expect(mapping.statusWhenUnset == "attended")
        #expect(try loadConfiguration("[source.appointments.status_columns]\ncancelled_at = \"cancelled_by_client\"\n").source.mapping(.appointments).statusWhenUnset == nil)
    }

    @Test func givingBothColumnsStatusAndStatusColumnsIsNamed() throws {
        let message = try #require(configError(cliniko + "[source.appointments.columns]\nstatus = \"Status\"\n"))
        #expect(message.contains("columns.status and status_columns are both given"))
    }

    @Test func wordsThatAreNotStatusWordsAreNamed() throws {
        let badColumn = try #require(configError("[source.appointments.status_columns]\ncancelled_at = \"canceled\"\n"))
        #expect(badColumn.contains("[source.appointments.status_columns] \"cancelled_at\" maps to 'canceled', not a status word"))
        let badUnset = try #require(configError(cliniko.replacingOccurrences(of: "status_when_unset = \"attended\"", with: "status_when_unset = \"arrived\"")))
        #expect(badUnset.contains("status_when_unset 'arrived' is not a status word"))
        let alone = try #require(configError("[source.appointments]\nstatus_when_unset = \"attended\"\n"))
        #expect(alone.contains("status_when_unset applies only with [source.appointments.status_columns]"))
    }

    @Test func unknownAndMisplacedKeysAreRefused() throws {
        let typo = try #require(configError("[source.appointments.status_colums]\ncancelled_at = \"cancelled_by_client\"\n"))
        #expect(typo.contains("[source.appointments] status_colums is not a known key (did you mean status_columns?)"))
        let misplaced = try #require(configError("[source.referrals]\nstatus_when_unset = \"attended\"\n"))
        #expect(misplaced.contains("[source.referrals] status_when_unset is not a known key"))
        let measures = try #require(configError("[source.measures.status_columns]\ncancelled_at = \"dna\"\n"))
        #expect(measures.contains("[source.measures] status_columns is not a known key"))
        let top = try #require(configError("[source]\nstatus_columns = \"x\"\n"))
        #expect(top.contains("[source] status_columns is not a known key"))
    }

    @Test func badShapesAreRefused() throws {
        #expect(try #require(configError("[source.appointments]\nstatus_columns = \"cancelled_at\"\n")).contains("[source.appointments.status_columns] must be a table"))
        #expect(try #require(configError("[source.appointments.status_columns]\n")).contains("must list at least one source column"))
        #expect(try #require(configError("[source.appointments.status_columns]\ncancelled_at = 1\n")).contains("\"cancelled_at\" must be a string"))
        #expect(try #require(configError(cliniko.replacingOccurrences(of: "status_when_unset = \"attended\"", with: "status_when_unset = true")))
            .contains("status_when_unset must be a non-empty string"))
    }

    @Test func initWithTheClinikoAPIPresetWritesAConfigurationThatReadsBackAsThePreset() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("confide-cliniko-api-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let preset = try #require(Preset.named("cliniko-api"))
        let result = try Initialiser.initialise(directory: folder, practiceName: "P", preset: preset)
        let text = try String(contentsOfFile: result.configuration, encoding: .utf8)
        #expect(text.contains("[source.appointments.status_columns]\ncancelled_at = \"cancelled\"\ndid_not_arrive = \"dna\"\npatient_arrived = \"attended\""))
        #expect(ConfigTemplate.tomlKey("Cancelled At") == "\"Cancelled At\"" && ConfigTemplate.tomlKey("did_not-arrive2") == "did_not-arrive2")
        #expect(text.contains("status_when_unset = \"attended\""))
        let configuration = try Configuration(path: result.configuration)
        #expect(configuration.source.mapping(.appointments) == preset.files[.appointments])
        #expect(configuration.source.files[.referrals] == nil && configuration.source.files[.measures] == nil)
        #expect(configuration.dateOrder == .iso)
    }
}
