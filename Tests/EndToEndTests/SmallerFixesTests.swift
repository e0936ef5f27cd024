import Foundation
import Testing

/// The smaller items of issue 14, each through the real binary.
@Suite struct SmallerFixesTests {
    @Test func initMakesTheExportsFolderAndSaysWhatComesNext() throws {
        let folder = Binary.temporaryFolder()
        let initialised = try Binary.run(["init", folder], in: folder)
        #expect(initialised.status == 0)
        var isFolder: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: folder + "/exports", isDirectory: &isFolder) && isFolder.boolValue)
        #expect(initialised.stdout.contains("next:") && initialised.stdout.contains("confide ingest --config"))
    }

    /// A key file given a trailing newline (an editor) still opens its store, with a warning; a
    /// missing key next to a store is to be restored, and `init` does not create a new one.
    @Test func theKeyFileForgivesANewlineAndIsNeverReplacedBesideItsStore() throws {
        let folder = try Binary.practice(clients: 100, seed: 31)
        let config = folder + "/confide.toml"
        #expect(try Binary.run(["ingest", "--config", config], in: folder).status == 0)
        let handle = try #require(FileHandle(forWritingAtPath: folder + "/confide.key"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("\n".utf8))
        try handle.close()
        let again = try Binary.run(["ingest", "--config", config], in: folder)
        #expect(again.status == 0 && again.stderr.contains("ends with a newline"), "\(again.stderr)")
        try FileManager.default.moveItem(atPath: folder + "/confide.key", toPath: folder + "/key.backup")
        let missing = try Binary.run(["ingest", "--config", config], in: folder)
        #expect(missing.status == 66 && missing.stderr.contains("restore that key from its backup"))
        let reinit = try Binary.run(["init", folder], in: folder)
        #expect(reinit.status == 77 && !FileManager.default.fileExists(atPath: folder + "/confide.key"))
    }

    @Test func anEmptyFileAndANulInAHeaderSayWhatTheyAre() throws {
        let folder = try Binary.practice(clients: 100, seed: 32)
        let config = folder + "/confide.toml"
        try Data().write(to: URL(fileURLWithPath: folder + "/exports/measures.csv"))
        let empty = try Binary.run(["ingest", "--config", config], in: folder)
        #expect(empty.status == 65 && empty.stderr.contains("measures.csv: the file is empty"), "\(empty.stderr)")
        try Data("referral_id,da\u{0}te,instrument,score\nR1,2026-01-01,phq9,3\n".utf8).write(to: URL(fileURLWithPath: folder + "/exports/measures.csv"))
        let nul = try Binary.run(["ingest", "--config", config], in: folder)
        #expect(nul.status == 65 && nul.stderr.contains("NUL byte in column 2"), "\(nul.stderr)")
        let text = try String(contentsOfFile: config, encoding: .utf8).replacingOccurrences(of: "encoding = \"auto\"", with: "encoding = \"utf-8\"")
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        try "referral_id,date,instrument,score\nR1,2026-01-01,phq9,3\n".data(using: .utf16BigEndian)!.write(to: URL(fileURLWithPath: folder + "/exports/measures.csv"))
        let utf16 = try Binary.run(["ingest", "--config", config], in: folder)
        #expect(utf16.status == 65 && utf16.stderr.contains("looks like UTF-16"), "\(utf16.stderr)")
    }
}
