import ConfideCSV
@testable import ConfideIngest
import ConfideStore
import Foundation
import Testing

/// What a malformed file must give: a reconciliation, or a refusal of the whole input.
enum CorpusOutcome: Equatable, Sendable {
    /// Read, loaded and the quarantine reasons of `referrals.csv`.
    case reconciled(read: Int, loaded: Int, reasons: [String: Int])
    /// The run stops (nothing written) with an error of this kind.
    case refused(String)
}

/// One file of the malformed corpus and its expected outcome.
struct CorpusCase: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: [UInt8]
    var encoding: TextEncoding = .auto
    let expected: CorpusOutcome
    var expectedEncoding: String?
    var testDescription: String { name }
}

private let header = "referral_id,client_id,received_date,gender,notes\n"

private func utf16(_ text: String, bigEndian: Bool = false, bom: Bool = true) -> [UInt8] {
    var out: [UInt8] = bom ? (bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]) : []
    for unit in text.utf16 {
        let hi = UInt8(unit >> 8), lo = UInt8(unit & 0xFF)
        out += bigEndian ? [hi, lo] : [lo, hi]
    }
    return out
}

private let ok2 = CorpusOutcome.reconciled(read: 2, loaded: 2, reasons: [:])

let corpus: [CorpusCase] = [
    CorpusCase(name: "quoted separators, quotes and newlines", bytes: Array((header + "R1,C1,2026-01-05,female,\"a, \"\"b\"\"\nc\"\nR2,C2,2026-01-06,male,x\n").utf8), expected: ok2),
    CorpusCase(name: "CRLF", bytes: Array((header + "R1,C1,2026-01-05,female,\r\nR2,C2,2026-01-06,male,\r\n").replacingOccurrences(of: "\n", with: "\r\n").replacingOccurrences(of: "\r\r", with: "\r").utf8), expected: ok2),
    CorpusCase(name: "lone CR", bytes: Array((header + "R1,C1,2026-01-05,female,\nR2,C2,2026-01-06,male,").replacingOccurrences(of: "\n", with: "\r").utf8), expected: ok2),
    CorpusCase(name: "mixed line ends, no final newline", bytes: Array((header + "R1,C1,2026-01-05,female,\r\nR2,C2,2026-01-06,male,").utf8), expected: ok2),
    CorpusCase(name: "UTF-8 byte-order mark", bytes: [0xEF, 0xBB, 0xBF] + Array((header + "R1,C1,2026-01-05,female,Zoë\nR2,C2,2026-01-06,male,\n").utf8), expected: ok2, expectedEncoding: "utf-8"),
    CorpusCase(name: "UTF-16LE with BOM", bytes: utf16(header + "R1,C1,2026-01-05,female,Zoë 😀\nR2,C2,2026-01-06,male,\n"), expected: ok2, expectedEncoding: "utf-16le"),
    CorpusCase(name: "UTF-16BE with BOM", bytes: utf16(header + "R1,C1,2026-01-05,female,Zoë\r\nR2,C2,2026-01-06,male,\r\n", bigEndian: true), expected: ok2, expectedEncoding: "utf-16be"),
    CorpusCase(name: "UTF-16LE without BOM, detected", bytes: utf16(header + "R1,C1,2026-01-05,female,\nR2,C2,2026-01-06,male,\n", bom: false), expected: ok2, expectedEncoding: "utf-16le"),
    CorpusCase(name: "UTF-16 configured, BOM decides", bytes: utf16(header + "R1,C1,2026-01-05,female,\nR2,C2,2026-01-06,male,\n", bigEndian: true), encoding: .utf16, expected: ok2, expectedEncoding: "utf-16be"),
    CorpusCase(name: "UTF-16 lone surrogate in a read column", bytes: utf16(header) + [0x52, 0x00, 0x00, 0xD8] + utf16(",C1,2026-01-05,female,\nR2,C2,2026-01-06,male,\n", bom: false),
               expected: .reconciled(read: 2, loaded: 1, reasons: ["invalid_utf8": 1])),
    CorpusCase(name: "UTF-16 odd trailing byte", bytes: utf16(header + "R1,C1,2026-01-05,female,\nR2,C2,2026-01-06,male,x") + [0x41],
               expected: .reconciled(read: 2, loaded: 2, reasons: [:])),
    CorpusCase(name: "Windows-1252 detected", bytes: Array((header + "R1,C1,2026-01-05,female,caf").utf8) + [0xE9, 0x80] + Array("\nR2,C2,2026-01-06,male,\n".utf8), expected: ok2, expectedEncoding: "windows-1252"),
    CorpusCase(name: "Windows-1252 configured", bytes: Array((header + "R1,C1,2026-01-05,female,").utf8) + [0x93, 0x94] + Array("\nR2,C2,2026-01-06,male,\n".utf8), encoding: .windows1252, expected: ok2, expectedEncoding: "windows-1252"),
    CorpusCase(name: "semicolon separator", bytes: Array((header + "R1,C1,2026-01-05,female,\nR2,C2,2026-01-06,male,1,5\n").replacingOccurrences(of: ",", with: ";").utf8), expected: .reconciled(read: 2, loaded: 1, reasons: ["ragged_row": 1])),
    CorpusCase(name: "tab separator", bytes: Array((header + "R1,C1,2026-01-05,female,a;b\nR2,C2,2026-01-06,male,\n").replacingOccurrences(of: ",", with: "\t").utf8), expected: ok2),
    CorpusCase(name: "invalid UTF-8 in a read column", bytes: Array((header + "R1,C1,2026-01-05,").utf8) + [0xC3, 0x28] + Array(",Zoë\nR2,C2,2026-01-06,male,\n".utf8), encoding: .utf8,
               expected: .reconciled(read: 2, loaded: 1, reasons: ["invalid_utf8": 1])),
    CorpusCase(name: "overlong UTF-8 and lone continuation byte", bytes: Array((header + "R1,C1,2026-01-05,").utf8) + [0xC0, 0xAF] + Array(",\nR2,".utf8) + [0x80] + Array(",2026-01-06,male,\n".utf8),
               encoding: .utf8, expected: .reconciled(read: 2, loaded: 0, reasons: ["invalid_utf8": 2])),
    CorpusCase(name: "invalid UTF-8 in a dropped column is never decoded", bytes: Array((header + "R1,C1,2026-01-05,female,").utf8) + [0xFF, 0xFE, 0xFD] + Array("\nR2,C2,2026-01-06,male,\n".utf8), encoding: .utf8, expected: ok2),
    CorpusCase(name: "NUL byte", bytes: Array((header + "R1,C1,2026-01-05,fe").utf8) + [0] + Array("male,\nR2,C2,2026-01-06,male,\n".utf8), expected: .reconciled(read: 2, loaded: 1, reasons: ["nul_byte": 1])),
    CorpusCase(name: "ragged rows, short and long", bytes: Array((header + "R1,C1,2026-01-05\nR2,C2,2026-01-06,male,,extra\nR3,C3,2026-01-07,male,\n").utf8), expected: .reconciled(read: 3, loaded: 1, reasons: ["ragged_row": 2])),
    CorpusCase(name: "trailing separator", bytes: Array((header + "R1,C1,2026-01-05,female,,\n").utf8), expected: .reconciled(read: 1, loaded: 0, reasons: ["ragged_row": 1])),
    CorpusCase(name: "blank lines", bytes: Array((header + "\nR1,C1,2026-01-05,female,\n\n").utf8), expected: .reconciled(read: 3, loaded: 1, reasons: ["empty_row": 2])),
    CorpusCase(name: "unterminated quote at the end", bytes: Array((header + "R1,C1,2026-01-05,female,\nR2,C2,2026-01-06,male,\"open\n").utf8), expected: .reconciled(read: 2, loaded: 1, reasons: ["unterminated_quote": 1])),
    CorpusCase(name: "stray quote", bytes: Array((header + "R1,C1,2026-01-05,\"fe\"male,\n").utf8), expected: .reconciled(read: 1, loaded: 0, reasons: ["stray_quote": 1])),
    CorpusCase(name: "field of several megabytes", bytes: Array((header + "R1,C1,2026-01-05,female,\"" + String(repeating: "x,\n", count: 1_500_000) + "\"\nR2,C2,2026-01-06,male,\n").utf8),
               expected: .reconciled(read: 2, loaded: 1, reasons: ["field_too_large": 1])),
    CorpusCase(name: "formula-leading cell", bytes: Array((header + "R1,C1,2026-01-05,=HYPERLINK(\"x\"),\nR2,C2,2026-01-06,+1,\n").utf8), expected: ok2),
    CorpusCase(name: "duplicated header name", bytes: Array(("referral_id,client_id,received_date,gender,gender\nR1,C1,2026-01-05,x,female\n").utf8), expected: .reconciled(read: 1, loaded: 1, reasons: [:])),
    CorpusCase(name: "header only", bytes: Array(header.utf8), expected: .reconciled(read: 0, loaded: 0, reasons: [:])),
    CorpusCase(name: "empty file", bytes: [], expected: .refused("emptyFile")),
    CorpusCase(name: "missing required column", bytes: Array("referral_id,received_date\nR1,2026-01-05\n".utf8), expected: .refused("missingColumn")),
    CorpusCase(name: "header not UTF-8", bytes: Array("referral_id,client_id,received_date,".utf8) + [0xFF] + Array("\n".utf8), encoding: .utf8, expected: .refused("undecodable")),
    CorpusCase(name: "UTF-16 BOM but utf-8 configured", bytes: utf16(header), encoding: .utf8, expected: .refused("undecodable")),
]

@Suite struct CorpusTests {
    @Test(arguments: corpus)
    func malformedFile(_ testCase: CorpusCase) throws {
        let folder = TempFolder()
        folder.write("referrals.csv", bytes: testCase.bytes)
        // The encoding is one setting for the whole source.
        folder.write("appointments.csv", bytes: testCase.encoding == .utf16 ? utf16(appointmentsHeader) : Array(appointmentsHeader.utf8))
        folder.write("measures.csv", bytes: testCase.encoding == .utf16 ? utf16(measuresHeader) : Array(measuresHeader.utf8))
        let db = try openStore(folder)
        var source = ExportSource(path: folder.path)
        source.encoding = testCase.encoding
        do {
            let report = try Ingestor(key: testKey, timeZone: london).ingest(source, into: db, startedAt: "t")
            let file = report.files[0]
            #expect(CorpusOutcome.reconciled(read: file.read, loaded: file.loaded, reasons: file.reasons) == testCase.expected)
            #expect(file.isReconciled)
            if let encoding = testCase.expectedEncoding { #expect(file.encoding == encoding) }
            #expect(try db.scalarInt("SELECT count(*) FROM referrals") == file.loaded)
        } catch let error as IngestError {
            let kind = switch error {
            case .missingFile: "missingFile"
            case .emptyFile: "emptyFile"
            case .missingColumn: "missingColumn"
            case .undecodable: "undecodable"
            case .badSource: "badSource"
            case .badMapping: "badMapping"
            }
            #expect(CorpusOutcome.refused(kind) == testCase.expected)
            #expect(try db.scalarInt("SELECT count(*) FROM ingest_runs") == 0)
        }
    }

    @Test func quarantineRecordsNameLineAndColumnNeverValues() throws {
        let folder = TempFolder()
        folder.write("referrals.csv", bytes: Array((header + "R1,C1,2026-01-05,female,\nR2,C2,2026-01-06,fe").utf8) + [0] + Array("male,\n".utf8))
        folder.write("appointments.csv", appointmentsHeader)
        folder.write("measures.csv", measuresHeader)
        let db = try openStore(folder)
        _ = try Ingestor(key: testKey, timeZone: london).ingest(ExportSource(path: folder.path), into: db, startedAt: "t")
        let rows = try db.cachedStatement("SELECT file, line, column_name, reason FROM quarantine").map {
            "\($0.string(0)):\($0.int(1)):\($0.string(2)):\($0.string(3))"
        }
        #expect(rows == ["referrals.csv:3:gender:nul_byte"])
    }

    @Test func utf16StreamsAcrossBlockBoundaries() throws {
        // Larger than one read block, with a surrogate pair straddling many boundaries.
        var text = header
        for i in 0..<40_000 { text += "R\(i),C\(i),2026-01-05,female,😀é\n" }
        let folder = TempFolder()
        folder.write("referrals.csv", bytes: utf16(text))
        folder.write("appointments.csv", appointmentsHeader)
        folder.write("measures.csv", measuresHeader)
        let db = try openStore(folder)
        let report = try Ingestor(key: testKey, timeZone: london).ingest(ExportSource(path: folder.path), into: db, startedAt: "t")
        #expect(report.files[0].read == 40_000 && report.files[0].loaded == 40_000)
    }
}
