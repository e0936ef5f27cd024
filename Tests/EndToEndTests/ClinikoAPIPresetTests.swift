import Foundation
import Testing

/// `confide init --preset cliniko-api`, then `confide ingest` of an export in Cliniko's API shape.
@Suite struct ClinikoAPIPresetTests {
    @Test func initWritesAConfigurationThatIngestsTheAPIShape() throws {
        let folder = Binary.temporaryFolder()
        let initialised = try Binary.run(["init", folder, "--preset", "cliniko-api"], in: folder)
        #expect(initialised.status == 0, "\(initialised.stderr)")
        let text = try String(contentsOfFile: folder + "/confide.toml", encoding: .utf8)
        #expect(text.contains("[source.appointments.status_columns]") && text.contains("status_when_unset = \"attended\"")
                && text.contains("date_format = \"iso\""))
        let exports = folder + "/exports"
        try FileManager.default.createDirectory(atPath: exports, withIntermediateDirectories: true)
        try "referral_id,client_id,received_date,patient_name\nCASE-1,PAT-1,2026-01-06,Imogen Fairweather\n"
            .write(toFile: exports + "/referrals.csv", atomically: true, encoding: .utf8)
        try """
            id,patient_case,practitioner,starts_at,cancelled_at,did_not_arrive,patient_arrived,patient_name,notes
            11,CASE-1,71,2026-01-12T09:00:00Z,,false,true,Imogen Fairweather,
            12,CASE-1,71,2026-01-19T09:00:00Z,2026-01-18T21:47:09Z,false,false,Imogen Fairweather,Disclosed history of self-harm
            13,CASE-1,71,2026-01-26T09:00:00Z,,true,false,Imogen Fairweather,

            """.write(toFile: exports + "/individual_appointments.csv", atomically: true, encoding: .utf8)
        try "referral_id,date,instrument,score\nCASE-1,2026-01-12,phq9,17\n".write(toFile: exports + "/measures.csv", atomically: true, encoding: .utf8)

        let ingest = try Binary.run(["ingest", "--config", folder + "/confide.toml"], in: folder)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(ingest.stdout.contains("individual_appointments.csv: read 3, loaded 3 (new 3, updated 0, unchanged 0), quarantined 0"))
        #expect(ingest.stdout.contains("dropped column patient_name (looks identifying)") && ingest.stdout.contains("dropped column notes (looks identifying)"))
        for used in ["cancelled_at", "did_not_arrive", "patient_arrived"] {
            #expect(!ingest.stdout.contains("dropped column \(used)"), "\(used) is read, not dropped")
        }
        for raw in ["2026-01-18T21:47:09Z", "21:47", "Imogen", "self-harm"] {
            #expect(!ingest.stdout.contains(raw) && !ingest.stderr.contains(raw))
        }

        // Both ways of giving the status at once is a configuration error naming the keys.
        let both = text.replacingOccurrences(of: "date = \"starts_at\"", with: "date = \"starts_at\"\nstatus = \"status\"")
        #expect(both != text)
        try both.write(toFile: folder + "/confide.toml", atomically: true, encoding: .utf8)
        let refused = try Binary.run(["ingest", "--config", folder + "/confide.toml"], in: folder)
        #expect(refused.status == 78 && refused.stderr.contains("columns.status and status_columns are both given"), "\(refused.stderr)")
    }
}
