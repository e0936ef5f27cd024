import Foundation
import Testing

/// Everything confide writes is for the practice's own user: it runs under umask 077.
@Suite struct FileModeTests {
    @Test func theStoreItsSidecarsExportsAndReportsAreOwnerOnly() throws {
        let folder = Binary.temporaryFolder()
        #expect(try Binary.run(["init", folder], in: folder).status == 0)
        #expect(try Binary.run(["synth", "--out", folder + "/exports", "--clients", "200", "--seed", "3"], in: folder).status == 0)
        let run = try Binary.run(["run", "--config", folder + "/confide.toml"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        var checked = 0
        for relative in FileManager.default.subpaths(atPath: folder) ?? [] {
            let attributes = try FileManager.default.attributesOfItem(atPath: folder + "/" + relative)
            guard attributes[.type] as? FileAttributeType != .typeSymbolicLink else { continue }
            let mode = (attributes[.posixPermissions] as? Int) ?? 0o777
            #expect(mode & 0o077 == 0, "\(relative) is readable or writable by others (mode \(String(mode, radix: 8)))")
            checked += 1
        }
        #expect(checked >= 8, "the store, its key, exports and a published week")
        #expect(FileManager.default.fileExists(atPath: folder + "/confide.sqlite"))
    }
}
