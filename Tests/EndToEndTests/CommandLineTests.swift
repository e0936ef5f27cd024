import Foundation
import Testing

@Suite(.serialized) struct CommandLineTests {
    @Test func helpListsEveryCommand() throws {
        let help = try Binary.run(["--help"], in: "/tmp")
        #expect(help.status == 0)
        let listed = subcommands(inHelp: help.stdout)
        for command in ["demo", "init", "synth", "ingest", "run", "budget", "audit", "runs", "quarantine", "anonymize", "risk"] {
            #expect(listed.contains(command), "\(command) is not a subcommand line of --help: \(listed)")
        }
    }

    /// The names in the SUBCOMMANDS section of `--help`: the first word of each line indented by
    /// two spaces, up to the blank line that ends the section (deeper lines continue an abstract).
    private func subcommands(inHelp text: String) -> [String] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let heading = lines.firstIndex(of: "SUBCOMMANDS:") else { return [] }
        var names: [String] = []
        for line in lines[(heading + 1)...] {
            if line.allSatisfy(\.isWhitespace) { break }
            guard line.hasPrefix("  "), let first = line.dropFirst(2).first, !first.isWhitespace else { continue }
            names.append(String(line.dropFirst(2).prefix { !$0.isWhitespace }))
        }
        return names
    }

    @Test func demoPublishesAReportAPracticeLeadCanOpen() throws {
        let folder = Binary.temporaryFolder()
        let result = try Binary.run(["demo", "--clients", "1500", "--weeks", "3"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        let reportLine = result.stdout.split(separator: "\n").first { $0.hasPrefix("report: ") }
        let report = String(reportLine?.dropFirst("report: ".count) ?? "")
        #expect(report.hasPrefix(folder + "/Reports/") && report.hasSuffix("/weekly-report.html"))
        let html = try String(contentsOfFile: report, encoding: .utf8)
        #expect(html.contains("<table") && html.contains("<svg") && !html.contains("<script"))
        #expect(FileManager.default.fileExists(atPath: folder + "/Reports/index.html"))
        #expect(FileManager.default.fileExists(atPath: folder + "/Reports/latest/caseload.csv"))
        #expect(FileManager.default.fileExists(atPath: folder + "/.confide-demo/confide.toml"))
        // A second demo is a no-op for the weeks already published.
        let again = try Binary.run(["demo", "--clients", "1500", "--weeks", "3"], in: folder)
        #expect(again.status == 0)
        #expect(again.stdout.contains("unchanged"))
    }

    @Test func initSynthIngestRunAndReRunByteForByte() throws {
        let folder = Binary.temporaryFolder()
        #expect(try Binary.run(["init", folder], in: folder).status == 0)
        let key = try FileManager.default.attributesOfItem(atPath: folder + "/confide.key")
        #expect((key[.posixPermissions] as? Int) == 0o600)
        #expect(try Binary.run(["synth", "--out", folder + "/exports", "--clients", "800", "--seed", "3"], in: folder).status == 0)
        let ingest = try Binary.run(["ingest", "--config", folder + "/confide.toml", "--json"], in: folder)
        #expect(ingest.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(ingest.stdout.utf8)) as? [String: Any]
        let files = json?["files"] as? [[String: Any]] ?? []
        #expect(files.count == 3)
        for file in files {
            let read = file["read"] as? Int ?? -1, loaded = file["loaded"] as? Int ?? -2, quarantined = file["quarantined"] as? Int ?? -3
            #expect(read == loaded + quarantined && read > 0)
        }
        let run = try Binary.run(["run", "--config", folder + "/confide.toml"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        let published = Binary.files(under: folder + "/Reports")
        #expect(published.keys.contains { $0.hasSuffix("/caseload.csv") })
        let header = String(decoding: published.first { $0.key.hasSuffix("/caseload.csv") }!.value, as: UTF8.self).split(separator: "\r\n").first
        #expect(header == "period_start,period_end,group_type,group,measure_id,measure_name,value,interval_low,interval_high,status")
        let rerun = try Binary.run(["run", "--config", folder + "/confide.toml"], in: folder)
        #expect(rerun.status == 0 && rerun.stdout.contains("unchanged"))
        #expect(Binary.files(under: folder + "/Reports") == published)
        let budget = try Binary.run(["budget", "--config", folder + "/confide.toml", "--json"], in: folder)
        let ledger = try JSONSerialization.jsonObject(with: Data(budget.stdout.utf8)) as? [String: Any]
        #expect((ledger?["releases"] as? [[String: Any]])?.count == 1)
        #expect(try Binary.run(["audit", folder + "/Reports", "--config", folder + "/confide.toml"], in: folder).status == 0)
    }

    @Test func documentedExitCodes() throws {
        let folder = Binary.temporaryFolder()
        #expect(try Binary.run(["run", "--config", folder + "/missing.toml"], in: folder).status == 66)
        try "[privacy]\nmode = \"loose\"\n".write(toFile: folder + "/bad.toml", atomically: true, encoding: .utf8)
        #expect(try Binary.run(["run", "--config", folder + "/bad.toml"], in: folder).status == 78)
        #expect(try Binary.run(["init", folder], in: folder).status == 0)
        let noExports = try Binary.run(["run", "--config", folder + "/confide.toml"], in: folder)
        #expect(noExports.status == 66 && noExports.stderr.contains("referrals.csv"))
        #expect(try Binary.run(["run", "--config", folder + "/confide.toml", "--week", "2999-W01"], in: folder).status == 64)
        #expect(try Binary.run(["run", "--config", folder + "/confide.toml", "--week", "nonsense"], in: folder).status == 64)
        chmod(folder + "/confide.key", 0o640)
        let unsafe = try Binary.run(["ingest", "--config", folder + "/confide.toml"], in: folder)
        #expect(unsafe.status == 77 && unsafe.stderr.contains("chmod 600"))
        try "contact jo@example.org\n".write(toFile: folder + "/leak.txt", atomically: true, encoding: .utf8)
        let audit = try Binary.run(["audit", folder + "/leak.txt"], in: folder)
        #expect(audit.status == 81 && !audit.stdout.contains("jo@") && !audit.stderr.contains("jo@"))
    }

    @Test func aSecondRunWhileTheLockIsHeldExitsWith75() throws {
        let folder = Binary.temporaryFolder()
        #expect(try Binary.run(["init", folder], in: folder).status == 0)
        #expect(try Binary.run(["synth", "--out", folder + "/exports", "--clients", "200"], in: folder).status == 0)
        let fd = open(folder + "/confide.sqlite.lock", O_RDWR | O_CREAT, 0o600)
        #expect(flock(fd, LOCK_EX) == 0)
        let blocked = try Binary.run(["run", "--config", folder + "/confide.toml"], in: folder)
        #expect(blocked.status == 75)
        flock(fd, LOCK_UN)
        close(fd)
        #expect(try Binary.run(["run", "--config", folder + "/confide.toml"], in: folder).status == 0)
    }

    @Test func plantedIdentifiersReachNoFileLogOrError() throws {
        let folder = Binary.temporaryFolder()
        #expect(try Binary.run(["init", folder], in: folder).status == 0)
        let exports = folder + "/exports"
        #expect(try Binary.run(["synth", "--out", exports, "--clients", "300", "--seed", "8"], in: folder).status == 0)
        let planted = ["Zebedee Quartermaine", "zq.planted@example.org", "9434765919", "07700 900461", "QQ9 9QQ", "Told me about the affair"]
        // Planted in unknown columns of every row and in canonical columns of some rows.
        var referrals = try String(contentsOfFile: exports + "/referrals.csv", encoding: .utf8).split(separator: "\n").map(String.init)
        referrals[0] += ",client_name,email,nhs_number,phone,notes"
        for i in 1..<referrals.count { referrals[i] += ",\(planted[0]),\(planted[1]),\(planted[2]),\(planted[3]),\(planted[5])" }
        referrals.append("RX1,\(planted[2]),2026-01-05,1980-01-01,\(planted[0]),\(planted[1]),\(planted[4]),gp,\(planted[5]),,,a,b,c,d,e")
        try (referrals.joined(separator: "\n") + "\n").write(toFile: exports + "/referrals.csv", atomically: true, encoding: .utf8)
        var appointments = try String(contentsOfFile: exports + "/appointments.csv", encoding: .utf8)
        appointments += "AX1,R1,T01,2026-01-05,treatment,\(planted[5]),cbt,video,50\nAX2,R1,\(planted[1]),2026-01-05,treatment,attended,cbt,video,50\n"
        try appointments.write(toFile: exports + "/appointments.csv", atomically: true, encoding: .utf8)
        let ingest = try Binary.run(["ingest", "--config", folder + "/confide.toml"], in: folder)
        let run = try Binary.run(["run", "--config", folder + "/confide.toml"], in: folder)
        #expect(ingest.status == 0 && run.status == 0, "\(run.stderr)")
        var haystack = [ingest.stdout, ingest.stderr, run.stdout, run.stderr].joined().data(using: .utf8)!
        for name in ["confide.sqlite", "confide.sqlite-wal", "confide.sqlite-shm"] {
            haystack += FileManager.default.contents(atPath: folder + "/" + name) ?? Data()
        }
        for (_, data) in Binary.files(under: folder + "/Reports") { haystack += data }
        for value in planted {
            #expect(haystack.range(of: Data(value.utf8)) == nil, "planted value reached an output")
        }
        #expect(ingest.stdout.contains("client_name (looks identifying)"))
    }
}
