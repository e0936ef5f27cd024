import Foundation
import Testing

/// The privacy boundary as the sources state it. The compiler enforces most of it (the
/// initialisers are behind SPIs, `ConfidePublish` does not depend on `ConfideMetrics` or
/// `ConfidePrivacy`, and `.ci/run` builds with the explicit import check); these checks catch
/// the one change the compiler would accept: a new file that imports an SPI or a module it
/// should not.
@Suite struct PrivacyBoundaryTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources").path

    /// Every `.swift` file under `Sources/`, with its import lines.
    static func imports() throws -> [(file: String, lines: [String])] {
        let files = try #require(FileManager.default.subpaths(atPath: sources)).filter { $0.hasSuffix(".swift") }.sorted()
        return try files.map { file in
            let text = try String(contentsOfFile: sources + "/" + file, encoding: .utf8)
            let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter(isImport)
            return (file, lines)
        }
    }

    /// `import M`, `public import M`, `@_spi(S) import M`, … (attributes, then `import`).
    static func isImport(_ line: String) -> Bool {
        var words = line.split(separator: " ")[...]
        while let first = words.first, first.hasPrefix("@") || first == "public" || first == "internal" { words = words.dropFirst() }
        return words.first == "import"
    }

    @Test func thePublisherSeesNoExactAggregateAndNoSPI() throws {
        let publish = try Self.imports().filter { $0.file.hasPrefix("ConfidePublish/") }
        #expect(publish.count > 5, "the publisher's sources were found")
        for (file, lines) in publish {
            for line in lines {
                #expect(!line.contains("ConfideMetrics") && !line.contains("ConfidePrivacy") && !line.contains("ConfidePipeline"),
                        "\(file): \(line)")
                #expect(!line.hasPrefix("@_spi("), "\(file): \(line)")
            }
        }
    }

    @Test func onlyTheStoreOfReleasesDecodesAndOnlyPrivacyConstructs() throws {
        for (file, lines) in try Self.imports() {
            for line in lines where line.hasPrefix("@_spi(") {
                if line.contains("ReleaseStore") { #expect(file == "ConfidePipeline/ReleaseStore.swift", "\(file): \(line)") }
                if line.contains("Protection") { #expect(file.hasPrefix("ConfidePrivacy/"), "\(file): \(line)") }
                #expect(line.contains("ConfideRelease"), "\(file): an SPI of another module: \(line)")
            }
        }
    }

    @Test func theReleaseModuleNeedsOnlyTheModel() throws {
        let release = try Self.imports().filter { $0.file.hasPrefix("ConfideRelease/") }
        #expect(!release.isEmpty)
        for (file, lines) in release {
            for line in lines {
                let module = line.split(separator: " ").last.map(String.init) ?? ""
                #expect(["ConfideModel", "Foundation"].contains(module), "\(file): \(line)")
            }
        }
    }
}
