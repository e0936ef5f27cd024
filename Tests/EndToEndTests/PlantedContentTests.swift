import Foundation
import Testing

/// Reads every CSV under a folder with Python's csv module and checks what a spreadsheet user
/// relies on: the contract header, ten fields a row, and no cell a spreadsheet would run as a
/// formula (a cell starting with `=`, `+`, `-`, `@`, tab or CR must be a number or start
/// with `'`). Prints `files rows`, or the problems (file, row, column; never the cell).
private let csvReadBack = #"""
import csv, pathlib, sys
HEADER = ["period_start", "period_end", "group_type", "group", "measure_id", "measure_name",
          "value", "interval_low", "interval_high", "status"]
problems, files, rows = [], 0, 0
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.csv")):
    files += 1
    with open(path, newline="", encoding="utf-8") as handle:
        records = list(csv.reader(handle))
    if not records or records[0] != HEADER:
        problems.append(f"{path.name}: header")
    for number, record in enumerate(records[1:], start=2):
        rows += 1
        if len(record) != 10:
            problems.append(f"{path.name}:{number}: {len(record)} fields")
        for column, cell in enumerate(record):
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                try:
                    float(cell)
                except ValueError:
                    problems.append(f"{path.name}:{number}: column {column + 1} starts a formula")
print("\n".join(problems) if problems else f"{files} {rows}")
sys.exit(1 if problems else 0)
"""#

@Suite(.serialized) struct PlantedContentTests {
    static let week = "2026-W24"  // closes the supervision period W21-W24 (the data end with W26)

    static func practice() throws -> String {
        try Binary.practice(clients: 150, seed: 11)
    }

    @Test func formulasPlantedInEveryTextColumnNeverReachAnExportAndEveryExportReadsBackInPython() throws {
        let folder = try Self.practice()
        let exports = folder + "/exports"
        let formulas = [#"=HYPERLINK(""http://x.invalid"",""open"")"#, "@SUM(A1:A9)", "+cmd|' /C calc'!A0", "-2+3+cmd", "=1+2"]
        // One referral and three appointments in the published week per formula, the formula in
        // every text column (quoted, RFC 4180).
        var referrals = "", appointments = ""
        for (i, formula) in formulas.enumerated() {
            let f = "\"\(formula)\""
            referrals += "RF\(i),CF\(i),2026-06-01,1990-01-01,\(f),\(f),\(f),\(f),\(f),,\n"
            for k in 0..<3 {
                appointments += "AF\(i)\(k),RF\(i),\(f),2026-06-2\(2 + k),\(k == 0 ? "assessment" : f),\(k == 2 ? f : "attended"),\(f),\(f),50\n"
            }
        }
        try FileHandle(forWritingAtPath: exports + "/referrals.csv")!.appendAndClose(referrals)
        try FileHandle(forWritingAtPath: exports + "/appointments.csv")!.appendAndClose(appointments)

        let run = try Binary.run(["run", "--config", "confide.toml", "--week", Self.week], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        let published = folder + "/Reports/" + Self.week
        for (name, data) in Binary.files(under: published) {
            for formula in ["HYPERLINK", "SUM(A1", "cmd", "=1+2"] {
                #expect(data.range(of: Data(formula.utf8)) == nil, "a planted formula reached \(name)")
            }
        }
        let readBack = try ExternalTool.run("python3", ["-c", csvReadBack, published])
        #expect(readBack.status == 0, "\(readBack.stdout)\(readBack.stderr)")
        let counts = readBack.stdout.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(counts.count == 2 && counts[0] >= 3 && counts[1] > 100, "python read \(readBack.stdout)")
    }

    @Test func theAuditCatchesEachPlantedIdentifierKindAndATamperedWeekFolder() throws {
        let folder = try Self.practice()
        // A source identifier long enough to be looked up (the audit skips tokens under 4 characters).
        let referral = "REF-PLANTED-4471"
        try FileHandle(forWritingAtPath: folder + "/exports/referrals.csv")!
            .appendAndClose("\(referral),CLI-PLANTED-4471,2026-06-01,1990-01-01,female,not_stated,LS8 3TQ,gp,ptsd,,\n")
        let run = try Binary.run(["run", "--config", "confide.toml", "--week", Self.week], in: folder)
        #expect(run.status == 0, "\(run.stderr)")

        // One identifier a line; a source identifier needs --config (looked up in the store).
        let planted: [(String, String)] = [
            ("NHS 943 476 5919", "nhs_number"), ("mail jo.bloggs@example.co.uk", "email"), ("call 07700 900123", "uk_phone"),
            ("lives at LS6 2AB", "postcode"), ("sector SW1A 1", "postcode_sector"), ("NI JG 10 37 59 A", "ni_number"),
            ("born 1990-03-01", "date_outside_period"), ("case \(referral) again", "source_identifier"),
        ]
        let file = folder + "/planted.txt"
        try ("all clear\n" + planted.map(\.0).joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let audit = try Binary.run(["audit", file, "--config", "confide.toml"], in: folder)
        #expect(audit.status == 81)
        for (index, (line, rule)) in planted.enumerated() {
            #expect(audit.stdout.contains("\(file): planted.txt:\(index + 2): \(rule)"), "\(rule) not found:\n\(audit.stdout)")
            let value = String(line.split(separator: " ", maxSplits: 1)[1])
            #expect(!audit.stdout.contains(value) && !audit.stderr.contains(value), "the audit printed a planted value")
        }
        #expect(!audit.stdout.contains("planted.txt:1:"))

        // A published week folder passes; the same folder with a suppressed row given a value fails.
        let published = folder + "/Reports/" + Self.week
        #expect(try Binary.run(["audit", published, "--config", "confide.toml"], in: folder).status == 0)
        let tampered = Binary.temporaryFolder() + "/" + Self.week
        try FileManager.default.copyItem(atPath: published, toPath: tampered)
        var lines = try String(contentsOfFile: tampered + "/outcomes.csv", encoding: .utf8).components(separatedBy: "\r\n")
        let row = try #require(lines.firstIndex { $0.hasSuffix(",,,,suppressed") })
        lines[row] = String(lines[row].dropLast(",,,,suppressed".count)) + ",3,1,5,suppressed"
        try lines.joined(separator: "\r\n").write(toFile: tampered + "/outcomes.csv", atomically: true, encoding: .utf8)
        let caught = try Binary.run(["audit", tampered], in: folder)
        #expect(caught.status == 81)
        #expect(caught.stdout.contains("outcomes.csv:\(row + 1): manifest_invariants (suppressed row has a value or interval)"), "\(caught.stdout)")
    }
}

extension FileHandle {
    /// Appends `text` at the end of the file and closes it.
    func appendAndClose(_ text: String) throws {
        try seekToEnd()
        try write(contentsOf: Data(text.utf8))
        try close()
    }
}
