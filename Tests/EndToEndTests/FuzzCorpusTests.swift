import Foundation
import Testing

/// The fuzzer's seed corpus and the inputs it once crashed on (`bench/fuzz-corpus`), replayed
/// through the same ingest check with the plainly built `confide-fuzz`: each must be refused
/// as unusable or load with every file reconciled (docs/input-format.md, "Fuzzing").
@Suite struct FuzzCorpusTests {
    @Test func everyCorpusInputIsRefusedOrLoadsReconciled() throws {
        let corpus = Binary.repository + "/bench/fuzz-corpus"
        let files = try FileManager.default.contentsOfDirectory(atPath: corpus).sorted().map { corpus + "/" + $0 }
        #expect(files.count >= 9)
        let replay = try ExternalTool.run(Binary.built("confide-fuzz"), files)
        #expect(replay.status == 0, "\(replay.stdout)\(replay.stderr)")
        #expect(replay.stdout.contains("\(files.count) input(s) handled"), "\(replay.stdout)")
    }

    @Test func aMissingInputIsAnError() throws {
        let replay = try ExternalTool.run(Binary.built("confide-fuzz"), ["/nonexistent/confide-fuzz-input"])
        #expect(replay.status == 66)
    }
}
