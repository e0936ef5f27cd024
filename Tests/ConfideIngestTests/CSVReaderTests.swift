import ConfideCSV
@testable import ConfideIngest
import Testing

private func records(_ text: String, separator: UInt8? = nil, maxFieldBytes: Int = 1 << 20) throws -> [[String]] {
    try records(bytes: Array(text.utf8), separator: separator, maxFieldBytes: maxFieldBytes).map(\.fields)
}

private func records(bytes: [UInt8], separator: UInt8? = nil, encoding: TextEncoding = .auto,
                     maxFieldBytes: Int = 1 << 20) throws -> [(fields: [String], line: Int, flags: String)] {
    let folder = TempFolder()
    folder.write("f.csv", bytes: bytes)
    let reader = try CSVReader(path: folder.path + "/f.csv", separator: separator, encoding: encoding, maxFieldBytes: maxFieldBytes)
    var out: [(fields: [String], line: Int, flags: String)] = []
    while reader.next() {
        var flags = ""
        if reader.unterminatedQuote { flags += "U" }
        if reader.oversizedField != nil { flags += "O" }
        if reader.nulField != nil { flags += "N" }
        if reader.strayQuoteField != nil { flags += "S" }
        out.append(((0..<reader.fieldCount).map { reader.field($0) ?? "<invalid>" }, reader.recordLine, flags))
    }
    return out
}

@Suite struct CSVReaderTests {
    @Test func quotedFieldsWithSeparatorsQuotesAndNewlines() throws {
        let rows = try records("a,b,c\n\"x,1\",\"say \"\"hi\"\"\",\"two\nlines\"\n")
        #expect(rows == [["a", "b", "c"], ["x,1", "say \"hi\"", "two\nlines"]])
    }

    @Test(arguments: ["a,b\n1,2\n", "a,b\r\n1,2\r\n", "a,b\r1,2\r", "a,b\n1,2"])
    func lineEndings(_ text: String) throws {
        #expect(try records(text) == [["a", "b"], ["1", "2"]])
    }

    @Test func byteOrderMarkIsSkipped() throws {
        #expect(try records(bytes: [0xEF, 0xBB, 0xBF] + Array("a,b\n1,2\n".utf8)).map(\.fields) == [["a", "b"], ["1", "2"]])
    }

    @Test func utf16ContradictingTheConfiguredEncodingIsRefusedWithAName() {
        let folder = TempFolder()
        folder.write("f.csv", bytes: [0xFF, 0xFE, 0x61, 0x00])
        #expect(throws: CSVReaderError.encodingMismatch(found: "utf-16le", configured: "utf-8")) {
            _ = try CSVReader(path: folder.path + "/f.csv", encoding: .utf8)
        }
    }

    @Test func detectsSemicolonAndTab() throws {
        #expect(try records("a;b;c\n1;2,5;3\n") == [["a", "b", "c"], ["1", "2,5", "3"]])
        #expect(try records("a\tb\n1\t2\n") == [["a", "b"], ["1", "2"]])
    }

    @Test func emptyAndHeaderOnlyFiles() throws {
        #expect(try records("").isEmpty)
        #expect(try records("a,b\n") == [["a", "b"]])
    }

    @Test func flagsMalformedRecordsWithoutThrowing() throws {
        let rows = try records(bytes: Array("a,b\n\"open,2\n".utf8))
        #expect(rows.last?.flags == "U")
        let stray = try records(bytes: Array("a,b\n\"x\"y,2\n".utf8))
        #expect(stray.last?.flags == "S")
        let nul = try records(bytes: Array("a,b\n1,".utf8) + [0] + Array("2\n".utf8))
        #expect(nul.last?.flags == "N")
    }

    @Test func oversizedFieldIsCutAndFlaggedMemoryStaysFlat() throws {
        let big = String(repeating: "x", count: 3 << 20)
        let rows = try records(bytes: Array("a,b\n\(big),2\nc,d\n".utf8), maxFieldBytes: 1 << 16)
        #expect(rows.count == 3)
        #expect(rows[1].flags == "O")
        #expect(rows[1].fields[0].utf8.count == 1 << 16)
        #expect(rows[2].fields == ["c", "d"])
    }

    @Test func invalidUTF8IsReportedPerField() throws {
        let rows = try records(bytes: Array("a,b\n".utf8) + [0xC3, 0x28] + Array(",ok\n".utf8), encoding: .utf8)
        #expect(rows[1].fields == ["<invalid>", "ok"])
        // Detected as UTF-8 (it holds a valid multi-byte sequence), so the damaged field is still flagged.
        let mixed = try records(bytes: Array("a,b\nZo\u{EB},".utf8) + [0xC3, 0x28] + Array("\n".utf8))
        #expect(mixed[1].fields == ["Zo\u{EB}", "<invalid>"])
    }

    @Test func recordLineCountsPhysicalLines() throws {
        let rows = try records(bytes: Array("h\n\"multi\nline\"\nnext\n".utf8))
        #expect(rows.map(\.line) == [1, 2, 4])
    }
}
