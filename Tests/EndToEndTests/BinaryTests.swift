import Foundation
import Testing

/// How the end-to-end tests pick the executables they run (`Binary.built`): only from this test
/// bundle's build folder, and never when older than their sources.
@Suite struct BinaryTests {
    @Test func aMissingOrOlderExecutableIsRefusedWithItsPathAndTheFix() throws {
        let built = Date(timeIntervalSince1970: 1_800_000_000)
        let path = "/repo/.build/debug/confide"
        let missing = try #require(Binary.refusal(path: path, built: nil, newestSource: built))
        #expect(missing.contains(path) && missing.contains("missing") && missing.contains("swift build"))
        let stale = try #require(Binary.refusal(path: path, built: built, newestSource: built.addingTimeInterval(0.001)))
        #expect(stale.contains(path) && stale.contains("older") && stale.contains("swift build"))
        #expect(Binary.refusal(path: path, built: built, newestSource: built) == nil)
        #expect(Binary.refusal(path: path, built: built.addingTimeInterval(1), newestSource: built) == nil)
        #expect(Binary.refusal(path: path, built: built, newestSource: nil) == nil)
    }

    @Test func theModulesOfAnExecutableAreThoseItsLinkFileListNames() {
        let list = """
            /repo/.build/x86_64-unknown-linux-gnu/debug/ConfideStore.build/Database.swift.o
            /repo/.build/x86_64-unknown-linux-gnu/debug/ConfideStore.build/Statement.swift.o
            /repo/.build/x86_64-unknown-linux-gnu/debug/confide_fuzz.build/main.swift.o
            /repo/.build/x86_64-unknown-linux-gnu/debug/CCryptoBoringSSL.build/crypto/aes/aes.cc.o
            """
        #expect(Binary.linkedModules(linkFileList: list) == ["ConfideStore", "confide_fuzz", "CCryptoBoringSSL"])
    }

    /// Reads the build folder only: the executables are found beside the test bundle, and an
    /// executable's sources are the folders of the modules linked into it.
    @Test func theExecutablesAreTheOnesBesideTheTestBundle() throws {
        let folder = try Binary.buildFolder()
        #expect(try Binary.built("confide") == folder.appendingPathComponent("confide").path)
        #expect(try Binary.built("confide-fuzz") == folder.appendingPathComponent("confide-fuzz").path)
        let fuzz = Set(Binary.sourceFolders(linkedInto: "confide-fuzz", in: folder).map(\.lastPathComponent))
        #expect(fuzz.isSuperset(of: ["confide-fuzz", "ConfideIngest", "ConfideStore", "ConfideModel", "CSQLite"]))
        #expect(fuzz.isDisjoint(with: ["confide", "ConfidePipeline", "ConfideBench", "confide-bench"]))
        #expect(throws: Binary.Unusable.self) { try Binary.built("no-such-executable") }
    }
}
