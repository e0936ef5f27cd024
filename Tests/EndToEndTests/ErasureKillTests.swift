import ConfideSynth
import Foundation
import Testing

/// `confide purge` and `confide forget` killed with SIGKILL at seeded random points: the store
/// is found either as it was before the command or as an uninterrupted command leaves it, never
/// in between; the next command finishes the removal of the deleted bytes, after which no
/// planted pseudonym is in the store's files.
@Suite(.serialized) struct ErasureKillTests {
    /// A practice whose data ended over a year ago, ingested, with `[retention] adult_years = 1`
    /// (so most referrals are past their period today) and `under_18_until_age = 18`.
    static func practice() throws -> String {
        let folder = Binary.temporaryFolder()
        let initialised = try Binary.run(["init", folder], in: folder)
        guard initialised.status == 0 else { throw Binary.PracticeSetupFailed(step: "init", stderr: initialised.stderr) }
        let synth = try Binary.run(["synth", "--out", folder + "/exports", "--clients", "1500", "--seed", "11", "--weeks", "60",
                                    "--last-day", "2025-06-29", "--therapists", "6"], in: folder)
        guard synth.status == 0 else { throw Binary.PracticeSetupFailed(step: "synth", stderr: synth.stderr) }
        let config = folder + "/confide.toml"
        try (try String(contentsOfFile: config, encoding: .utf8) + "\n[retention]\nadult_years = 1\nunder_18_until_age = 18\n")
            .write(toFile: config, atomically: true, encoding: .utf8)
        let ingest = try Binary.run(["ingest", "--config", "confide.toml"], in: folder)
        guard ingest.status == 0 else { throw Binary.PracticeSetupFailed(step: "ingest", stderr: ingest.stderr) }
        return folder
    }

    /// What the store holds, in counts: referrals, appointments, scores, rows waiting, tombstones.
    static func state(_ folder: String) throws -> String {
        try ExternalTool.sqlite(folder + "/confide.sqlite", """
            SELECT (SELECT count(*) FROM referrals) || ' ' || (SELECT count(*) FROM appointments) || ' ' ||
                   (SELECT count(*) FROM measures) || ' ' || (SELECT count(*) FROM forgotten) || ' ' || (SELECT count(*) FROM expired)
            """)
    }

    /// Every referral id and client id of the store, one `referral client` pair a line.
    static func pseudonyms(_ folder: String) throws -> Set<String> {
        Set(try ExternalTool.sqlite(folder + "/confide.sqlite", "SELECT lower(hex(referral_id)) || ' ' || lower(hex(client_id)) FROM referrals")
            .split(separator: "\n").map(String.init))
    }

    /// The planted pseudonyms (hex) whose bytes, as the store keeps them, are in any of the
    /// store's files.
    static func leftIn(_ folder: String, _ planted: Set<String>) -> [String] {
        let files = ["", "-wal", "-shm", "-journal"].compactMap { FileManager.default.contents(atPath: folder + "/confide.sqlite" + $0) }
        return planted.filter { text in files.contains { $0.range(of: storedBytes(text)) != nil } }.sorted()
    }

    /// The 16 bytes a pseudonym's 32 hex digits stand for (the store's BLOB).
    static func storedBytes(_ hex: String) -> Data {
        let digits = Array(hex.utf8)
        return Data(stride(from: 0, to: digits.count - 1, by: 2).map { UInt8(String(decoding: digits[$0...$0 + 1], as: UTF8.self), radix: 16) ?? 0 })
    }

    static func copy(_ folder: String) throws -> String {
        let copy = Binary.temporaryFolder() + "/practice"
        try FileManager.default.copyItem(atPath: folder, toPath: copy)
        return copy
    }

    /// Runs `command` on a copy of `practice` uninterrupted (its state after, its duration and
    /// the pseudonyms it removed), then on fresh copies killed at seeded random points.
    /// `secret` (the client id of a forget) must not appear in any output either.
    static func killAtRandomPoints(_ command: [String], practice: String, seed: UInt64, secret: String? = nil) throws {
        let before = try state(practice)
        let golden = try copy(practice)
        let started = Date()
        let whole = try Binary.run(command, in: golden)
        let duration = Date().timeIntervalSince(started)
        #expect(whole.status == 0, "\(whole.stderr)")
        let after = try state(golden)
        #expect(after != before)
        // Referral and client pseudonyms the command removed (a client with a referral left keeps its pseudonym).
        let gone = try pseudonyms(practice).subtracting(pseudonyms(golden))
        let kept = Set(try pseudonyms(golden).map { String($0.split(separator: " ")[1]) })
        let planted = Set(gone.flatMap { $0.split(separator: " ").map(String.init) }).subtracting(kept)
        #expect(!planted.isEmpty)
        #expect(leftIn(practice, planted).count == planted.count, "the search must find them before")
        #expect(leftIn(golden, planted) == [])
        // Nor in what the command printed or the run log says.
        let runs = try Binary.run(["runs", "--config", "confide.toml"], in: golden)
        #expect(runs.stdout.contains(command[0]))
        let outputs = whole.stdout + whole.stderr + runs.stdout + runs.stderr
        for text in planted.union(secret.map { [$0] } ?? []) { #expect(!outputs.contains(text), "\(command[0]) printed a planted value") }

        var random = SeededGenerator(seed: seed)
        var sides: [String: Int] = [:]
        for iteration in 0..<4 {
            let folder = try copy(practice)
            // Stratified over the run and denser at its start (the deletion commits early; the
            // removal of the bytes, checkpoint and VACUUM, takes the rest): iteration i falls
            // in [(i/n)², ((i+1)/n)²) of an uninterrupted run.
            let stratum = (Double(iteration) + Double(random.next() % 1_000) / 1_000) / 4
            let fraction = stratum * stratum
            let delay = useconds_t(fraction * duration * 1_000_000)
            try KillAndRerunTests.killed(command, in: folder, after: delay)
            let context = "\(command[0]) iteration \(iteration), kill after \(delay / 1_000) ms of \(Int(duration * 1_000))"
            let found = try state(folder)
            #expect(found == before || found == after, "\(context): the store is between: \(found) (before \(before), after \(after))")
            sides[found == before ? "before" : "after", default: 0] += 1
            print("\(context): \(found == before ? "before" : "after")")
            #expect(try ExternalTool.sqlite(folder + "/confide.sqlite", "PRAGMA integrity_check") == "ok", "\(context)")
            // The command again: from before it does the whole work, from after it finishes the
            // removal of the deleted bytes (the store opens with the mark still set).
            let again = try Binary.run(command, in: folder)
            #expect(again.status == 0, "\(context): \(again.stderr)")
            #expect(try state(folder) == after, "\(context)")
            #expect(leftIn(folder, planted) == [], "\(context): planted pseudonyms left in the store's files")
            #expect(try ExternalTool.sqlite(folder + "/confide.sqlite", "SELECT count(*) FROM meta WHERE key = 'erasure_pending'") == "0", "\(context)")
        }
        print("\(command[0]) killed at random points: \(sides)")
    }

    /// `[retention] purge_on_run = true`: `confide run` purges before its ingest, whose
    /// reconciliation then counts the export's rows of the purged referrals as expired.
    @Test func aRunPurgesBeforeItIngestsWhenAsked() throws {
        let practice = try Self.practice()
        let config = practice + "/confide.toml"
        try (try String(contentsOfFile: config, encoding: .utf8) + "purge_on_run = true\n").write(toFile: config, atomically: true, encoding: .utf8)
        let before = try Self.state(practice)
        let run = try Binary.run(["run", "--config", "confide.toml", "--week", "2025-W20"], in: practice)
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        let purge = try #require(lines.firstIndex { $0.hasPrefix("purge: ") && $0.contains("deleted") })
        let ingest = try #require(lines.firstIndex { $0.hasPrefix("ingest referrals.csv:") })
        #expect(purge < ingest)
        #expect(lines[ingest].contains("expired") && !lines[ingest].contains("expired 0,"), "\(lines[ingest])")
        #expect(try Self.state(practice) != before)
        let runs = try Binary.run(["runs", "--config", "confide.toml", "--limit", "1"], in: practice)
        #expect(runs.stdout.contains(" run ") && runs.stdout.contains("ok"), "\(runs.stdout)")
        // A second run purges nothing more.
        let again = try Binary.run(["run", "--config", "confide.toml", "--week", "2025-W20"], in: practice)
        #expect(again.stdout.contains("purge: no referral is past its retention period"), "\(again.stdout)")
    }

    @Test func aPurgeKilledAtRandomPointsLeavesTheStoreBeforeOrAfter() throws {
        let practice = try Self.practice()
        try Self.killAtRandomPoints(["purge", "--config", "confide.toml"], practice: practice, seed: 0x7075_7267)
    }

    @Test func aForgetKilledAtRandomPointsLeavesTheStoreBeforeOrAfter() throws {
        let practice = try Self.practice()
        // The client with the most referrals in the export.
        let rows = try String(contentsOfFile: practice + "/exports/referrals.csv", encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
        let clients = Dictionary(grouping: rows.map { String($0.split(separator: ",")[1]) }, by: { $0 })
        let client = clients.max { ($0.value.count, $1.key) < ($1.value.count, $0.key) }!.key
        try Self.killAtRandomPoints(["forget", "--config", "confide.toml", "--client-id", client], practice: practice, seed: 0x666f_7267,
                                    secret: client)
    }
}
