import Foundation
import Testing

/// Runs the `sqlite3` shell on `database` and returns its output, trimmed.
private func sqlite(_ database: String, _ sql: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["sqlite3", database, sql]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

private let counts = "SELECT (SELECT count(*) FROM referrals) || ',' || (SELECT count(*) FROM appointments) || ',' || (SELECT count(*) FROM measures) || ',' || (SELECT count(*) FROM ingest_runs)"

/// Starts `confide ingest` on the practice in `folder` and kills it with SIGKILL as soon as one
/// of `paths` (the store or its WAL) has grown past `bytes`, or after `seconds`. `midWay` is
/// true when the ingest was still running at the kill.
private func ingestKilled(_ folder: String, onceAnyOf paths: [String], exceeds bytes: Int, within seconds: TimeInterval) throws
    -> (midWay: Bool, reason: Process.TerminationReason) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try Binary.path)
    process.arguments = ["ingest", "--config", folder + "/confide.toml"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(seconds)
    let size = { (path: String) in ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0 }
    while process.isRunning, Date() < deadline, (paths.map(size).max() ?? 0) < bytes {
        usleep(20_000)
    }
    let midWay = process.isRunning
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    return (midWay, process.terminationReason)
}

@Suite(.serialized) struct IngestEndToEndTests {
    @Test func killDuringIngestLeavesTheStoreAsItWasThenAReRunFinishes() throws {
        let folder = Binary.temporaryFolder()
        #expect(try Binary.run(["init", folder], in: folder).status == 0)
        #expect(try Binary.run(["synth", "--out", folder + "/exports", "--clients", "300", "--seed", "4"], in: folder).status == 0)
        #expect(try Binary.run(["ingest", "--config", folder + "/confide.toml"], in: folder).status == 0)
        let store = folder + "/confide.sqlite"
        let before = try sqlite(store, counts)
        // A much larger export, then a kill while its one transaction is being written.
        #expect(try Binary.run(["synth", "--out", folder + "/exports", "--clients", "40000", "--seed", "5", "--force"], in: folder).status == 0)
        let killed = try ingestKilled(folder, onceAnyOf: [store + "-wal"], exceeds: 4 << 20, within: 60)
        #expect(killed.midWay, "the ingest finished before it could be killed; use a larger practice")
        #expect(killed.reason == .uncaughtSignal)
        #expect(try sqlite(store, "PRAGMA integrity_check") == "ok")
        #expect(try sqlite(store, counts) == before)
        let rerun = try Binary.run(["ingest", "--config", folder + "/confide.toml", "--json"], in: folder)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(rerun.stdout.utf8)) as? [String: Any]
        let files = json?["files"] as? [[String: Any]] ?? []
        #expect(files.count == 3)
        for file in files { #expect(file["read"] as? Int == (file["loaded"] as? Int ?? -1) + (file["quarantined"] as? Int ?? -1)) }
        #expect(try sqlite(store, "PRAGMA integrity_check") == "ok")
        #expect(try sqlite(store, "SELECT count(*) FROM ingest_runs") == "2")
        #expect(json?["missing_from_snapshot"] is Int)
    }

    /// A first load into an empty store takes SQLite's rollback journal instead of the WAL
    /// (ConfideIngest/IngestStoreSettings.swift): killed while its pages reach the store file,
    /// the hot journal rolls the store back to empty and whole, and a re-run loads everything
    /// and leaves the store in WAL mode again.
    @Test func killDuringAFirstLoadLeavesAnEmptyStoreThenAReRunFinishes() throws {
        let folder = Binary.temporaryFolder()
        #expect(try Binary.run(["init", folder], in: folder).status == 0)
        #expect(try Binary.run(["synth", "--out", folder + "/exports", "--clients", "40000", "--seed", "6"], in: folder).status == 0)
        let store = folder + "/confide.sqlite"
        let killed = try ingestKilled(folder, onceAnyOf: [store, store + "-wal"], exceeds: 8 << 20, within: 90)
        #expect(killed.midWay, "the ingest finished before it could be killed; use a larger practice")
        #expect(try sqlite(store, "PRAGMA integrity_check") == "ok")
        #expect(try sqlite(store, counts) == "0,0,0,0")
        let rerun = try Binary.run(["ingest", "--config", folder + "/confide.toml"], in: folder)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try sqlite(store, "PRAGMA integrity_check") == "ok")
        #expect(try sqlite(store, "SELECT count(*) > 30000 FROM referrals") == "1")
        #expect(try sqlite(store, "SELECT count(*) FROM ingest_runs") == "1")
        #expect(try sqlite(store, "PRAGMA journal_mode") == "wal", "confide puts the store back in WAL mode")
    }

    @Test func initWithAPresetWritesItsMappingAndAnUnknownPresetIs64() throws {
        let folder = Binary.temporaryFolder()
        let unknown = try Binary.run(["init", folder + "/a", "--preset", "pabau"], in: folder)
        #expect(unknown.status == 64 && unknown.stderr.contains("cliniko") && unknown.stderr.contains("nhs-talking-therapies"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/a/confide.toml"))
        #expect(try Binary.run(["init", folder + "/b", "--preset", "simplepractice"], in: folder).status == 0)
        let text = try String(contentsOfFile: folder + "/b/confide.toml", encoding: .utf8)
        #expect(text.contains("[source.appointments.values.status]") && text.contains("\"No Show\" = \"dna\"") && text.contains("date_format = \"mm/dd/yyyy\""))
        // The written configuration reads back, and ingests a SimplePractice-shaped export.
        try FileManager.default.createDirectory(atPath: folder + "/b/exports", withIntermediateDirectories: true)
        try "Client ID,First Name,Date Created\n1001,Imogen,01/06/2026\n".write(toFile: folder + "/b/exports/Clients.csv", atomically: true, encoding: .utf8)
        try "Appointment ID,Client ID,Clinician ID,Date of Service,Status\n9001,1001,C7,01/12/2026,No Show\n9002,1002,C7,01/12/2026,Show\n"
            .write(toFile: folder + "/b/exports/Appointments.csv", atomically: true, encoding: .utf8)
        try "Client ID,Measure,Date Completed,Score\n1001,PHQ-9,01/12/2026,17\n".write(toFile: folder + "/b/exports/Measures.csv", atomically: true, encoding: .utf8)
        let ingest = try Binary.run(["ingest", "--config", folder + "/b/confide.toml"], in: folder)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(ingest.stdout.contains("Appointments.csv: read 2, loaded 1 (new 1, updated 0, unchanged 0), quarantined 1"))
        #expect(ingest.stdout.contains("dropped column First Name (looks identifying)"))
        #expect(!ingest.stdout.contains("Imogen") && !ingest.stderr.contains("Imogen"))
    }

    @Test func aBadMappingIsAConfigurationError() throws {
        let folder = Binary.temporaryFolder()
        #expect(try Binary.run(["init", folder], in: folder).status == 0)
        var text = try String(contentsOfFile: folder + "/confide.toml", encoding: .utf8)
        text = text.replacingOccurrences(of: "[store]", with: "[source.appointments.values.status]\n\"Did Not Arrive\" = \"missed\"\n\n[store]")
        try text.write(toFile: folder + "/confide.toml", atomically: true, encoding: .utf8)
        let ingest = try Binary.run(["ingest", "--config", folder + "/confide.toml"], in: folder)
        #expect(ingest.status == 78 && ingest.stderr.contains("not a status word"))
    }
}
