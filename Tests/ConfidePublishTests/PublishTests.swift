import ConfideRelease
import ConfideMetrics
import ConfideModel
import ConfidePrivacy
@testable import ConfidePublish
import Foundation
import Testing

struct ZeroGenerator: RandomNumberGenerator {
    var state: UInt64 = 1
    mutating func next() -> UInt64 { state = state &* 6_364_136_223_846_793_005 &+ 1; return state }
}

/// A protected release made the only way there is: through the Protector.
func sampleRelease(therapists: [String] = ["T01", "T02"], week: String = "2026-W10") -> ProtectedRelease {
    let histogram = Catalogue.histogram("appointments")!
    var cells = [ClassCell(histogram: "appointments", cls: "attended", groupType: .practice, group: "all")]
    cells += therapists.map { ClassCell(histogram: "appointments", cls: "attended", groupType: .therapist, group: $0) }
    var contributions: [Contribution] = []
    for (i, _) in therapists.enumerated() {
        for client in 0..<20 {
            let id = Int32(i * 100 + client)
            contributions.append(Contribution(client: id, cell: 0, amount: 1))
            contributions.append(Contribution(client: id, cell: Int32(i + 1), amount: 1))
        }
    }
    let table = ExactTable(name: .caseload, histograms: [histogram], cells: cells, contributions: contributions,
                           measures: [Catalogue.measure("appointments_attended")!])
    var sampler = ExactSampler(source: ZeroGenerator())
    return Protector(settings: PrivacySettings(mode: .sdc)).protect(ExactRelease(period: ISOWeek(week)!, tables: [table]), sampler: &sampler)
}

func temporaryFolder() -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("confide-publish-\(UUID().uuidString)").path
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

@Suite struct TextSafetyTests {
    @Test(arguments: ["=1+2", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"])
    func formulasAreNeutralised(_ text: String) {
        let cell = TextSafety.csvCell(text)
        #expect(cell.hasPrefix("'") || cell.hasPrefix("\"'"))
    }

    @Test func csvQuotingFollowsRFC4180() {
        #expect(TextSafety.csvCell("a,b") == "\"a,b\"")
        #expect(TextSafety.csvCell("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(TextSafety.csvCell("-3", isNumber: true) == "-3")
    }

    @Test func htmlAndMarkdownAreEscaped() {
        #expect(TextSafety.html("<script>alert('x')&</script>") == "&lt;script&gt;alert(&#39;x&#39;)&amp;&lt;/script&gt;")
        #expect(TextSafety.markdown("a|b*c") == "a\\|b\\*c")
    }

    @Test func fileNamesFromDataAreSanitised() {
        #expect(TextSafety.fileName("../../etc/passwd") == "______etc_passwd")
        #expect(TextSafety.fileName("Dr. Jane Smith") == "Dr__Jane_Smith")
        #expect(TextSafety.fileName("") == "unnamed")
        #expect(TextSafety.fileName("..") == "unnamed")
    }
}

@Suite struct RenderTests {
    @Test func csvHasTheContractHeaderAndEmptySuppressedValues() {
        let release = sampleRelease(therapists: ["T01", "=HYPERLINK(\"x\")"])
        let csv = CSVExport.render(release.cells(in: .caseload), of: release)
        let lines = csv.split(separator: "\r\n").map(String.init)
        #expect(lines[0] == "period_start,period_end,group_type,group,measure_id,measure_name,value,interval_low,interval_high,status")
        #expect(lines[1].hasPrefix("2026-03-02,2026-03-08,practice,all,appointments_attended,Appointments attended,40,"))
        #expect(lines.contains { $0.contains("\"'=HYPERLINK(\"\"x\"\")\"") })
    }

    @Test func htmlIsSelfContainedAndAccessible() {
        let release = sampleRelease(therapists: ["T01", "<b>T02</b>"])
        let html = HTMLReport.render(release, context: ReportContext(practiceName: "A & B <Practice>", history: [], rollingEpsilon: "0",
                                                                      epsilonCap: "220", toolVersion: "test"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("src="))
        #expect(html.contains("A &amp; B &lt;Practice&gt;"))
        #expect(html.contains("&lt;b&gt;T02&lt;/b&gt;"))
        #expect(html.contains("<th scope=\"col\">"))
        #expect(html.contains("<title id="))
    }
}

@Suite struct LeakAuditTests {
    let audit = LeakAudit(allowedDates: ["2026-03-02", "2026-03-08"])

    /// A UTF-16 file (with or without a byte-order mark) is read as text, not as bytes.
    @Test(arguments: [String.Encoding.utf16LittleEndian, .utf16BigEndian, .utf16])
    func readsUTF16Files(_ encoding: String.Encoding) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("confide-audit-\(UUID().uuidString).txt").path
        try "ok\ncall 07700 900123\n".data(using: encoding)!.write(to: URL(fileURLWithPath: path))
        #expect(try audit.scan(path: path).contains { $0.rule == "uk_phone" && $0.line == 2 })
    }

    /// Lower-case postcode-like text that is not a postcode (CSS, units) is not flagged.
    @Test func lowerCaseLookAlikesAreNotPostcodes() {
        for line in ["margin:.2rem 0", "h1 2em", "width:1 2em", "v1 2ab3", "x1.2 3em"] {
            #expect(!audit.scan(text: line, file: "f").contains { $0.rule == "postcode" }, "\(line)")
        }
    }

    @Test(arguments: [
        ("NHS 943 476 5919 here", "nhs_number"), ("id 9434765919", "nhs_number"),
        ("mail jo.bloggs@example.co.uk", "email"), ("call 07700 900123", "uk_phone"), ("call +44 20 7946 0958", "uk_phone"),
        ("lives at LS6 2AB", "postcode"), ("sector SW1A 1", "postcode_sector"), ("NI JG 10 37 59 A", "ni_number"),
        ("born 1990-03-01", "date_outside_period"), ("born 01/03/1990", "date_outside_period"),
        ("lives at sw1a 2aa now", "postcode"),
    ])
    func findsEachIdentifierKind(_ line: String, _ rule: String) {
        #expect(audit.scan(text: "ok\n" + line, file: "f").contains(LeakFinding(file: "f", line: 2, rule: rule)))
    }

    /// The manifest states each ε as an exact fraction, whose parts can be ten digits that pass
    /// the NHS check, and noise scales with ten decimals (a budget of 1.388889 split by
    /// weights): a fraction or a number's decimals are not an identifier, the same digits alone are.
    @Test func aTenDigitPartOfAFractionIsNotAnNHSNumber() {
        #expect(audit.scan(text: #""epsilon_exact" : "9434765919/1000000000","#, file: "f").isEmpty)
        #expect(audit.scan(text: #""epsilon_exact" : "3/9434765919","#, file: "f").isEmpty)
        #expect(audit.scan(text: #""noise_scale" : 2.9434765919,"#, file: "f").isEmpty)
        #expect(audit.scan(text: "ref 9434765919 / 7", file: "f").map(\.rule) == ["nhs_number"])
        #expect(audit.scan(text: "ref 9434765919.", file: "f").map(\.rule) == ["nhs_number"])
    }

    @Test func passesCleanOutputAndInvalidNHSNumbers() {
        #expect(audit.scan(text: "2026-03-02,2026-03-08,practice,all,dna_rate,DNA rate (%),10.1,7.9,12.6,published", file: "f").isEmpty)
        #expect(!isValidNHSNumber("9434765918"))
        #expect(isValidNHSNumber("943 476 5919"))
    }

    @Test func sourceIdentifiersAreAskedOfTheStore() {
        let audit = LeakAudit(allowedDates: [], isSourceIdentifier: { $0 == "CL-4471" })
        #expect(audit.scan(text: "therapist CL-4471", file: "f").map(\.rule) == ["source_identifier"])
        #expect(audit.scan(text: "therapist T01 38", file: "f").isEmpty)
    }

    @Test func findingsNeverCarryTheValue() {
        let findings = audit.scan(text: "jo@example.org 9434765919", file: "f")
        #expect(!findings.map(\.description).joined().contains("jo@"))
        #expect(!findings.map(\.description).joined().contains("943"))
    }
}

@Suite struct PublisherTests {
    @Test func publishesAtomicallyAndRepublishIsANoOp() throws {
        let root = temporaryFolder() + "/Reports"
        let publisher = Publisher(root: root)
        let files = [("a.csv", "x\r\n"), ("sub/b.csv", "y\r\n")]
        let first = try publisher.publish(folder: "2026-W10", files: files, audit: LeakAudit(allowedDates: []))
        #expect(first == .published(path: root + "/2026-W10"))
        let attributes = try FileManager.default.attributesOfItem(atPath: root + "/2026-W10/a.csv")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let second = try publisher.publish(folder: "2026-W10", files: files, audit: LeakAudit(allowedDates: []))
        #expect(second == .unchanged(path: root + "/2026-W10"))
        let third = try publisher.publish(folder: "2026-W10", files: [("a.csv", "z\r\n")], audit: LeakAudit(allowedDates: []))
        #expect(third == .published(path: root + "/2026-W10"))
        #expect(try String(contentsOfFile: root + "/2026-W10/a.csv", encoding: .utf8) == "z\r\n")
        #expect(!FileManager.default.fileExists(atPath: root + "/2026-W10/sub"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).filter { $0.hasPrefix(".staging") }.isEmpty)
    }

    @Test func auditFailureLeavesTheLastGoodPublication() throws {
        let root = temporaryFolder()
        let publisher = Publisher(root: root)
        _ = try publisher.publish(folder: "2026-W10", files: [("a.csv", "good\r\n")], audit: LeakAudit(allowedDates: []))
        #expect(throws: PublishError.self) {
            try publisher.publish(folder: "2026-W10", files: [("a.csv", "jo@example.org\r\n")], audit: LeakAudit(allowedDates: []))
        }
        #expect(try String(contentsOfFile: root + "/2026-W10/a.csv", encoding: .utf8) == "good\r\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).filter { $0.hasPrefix(".staging") }.isEmpty)
    }

    @Test func strayStagingFromAKilledRunIsCleaned() throws {
        let root = temporaryFolder()
        try FileManager.default.createDirectory(atPath: root + "/.staging-2026-W10-99999", withIntermediateDirectories: true)
        _ = try Publisher(root: root).publish(folder: "2026-W11", files: [("a.csv", "x")], audit: LeakAudit(allowedDates: []))
        #expect(!FileManager.default.fileExists(atPath: root + "/.staging-2026-W10-99999"))
    }
}

@Suite struct AuditHashTests {
    @Test func digitRunsInsideHexadecimalHashesAreNotIdentifiers() {
        // 9434765919 passes the NHS mod-11 check, but here it sits inside a SHA-256.
        let line = #"  "configuration_sha256" : "ab9434765919cd07700900123ef","#
        #expect(LeakAudit(allowedDates: []).scan(text: line, file: "manifest.json").isEmpty)
        #expect(!LeakAudit(allowedDates: []).scan(text: "id 9434765919 here", file: "f").isEmpty)
    }
}
