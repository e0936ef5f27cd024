// swift-tools-version:6.0
import PackageDescription

/// confide: de-identified weekly outcome and caseload reports for therapy practices.
///
/// Modules form one stack; each imports only what is below it (docs/architecture.md has the
/// exact graph):
/// ConfideModel (the canonical input contract: vocabularies and calendar), and
/// CSQLite < ConfideStore < ConfideIngest < ConfideMetrics < ConfidePrivacy < ConfidePublish
/// < ConfidePipeline < confide. ConfideSynth stands alone (it writes canonical CSV files).
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "confide",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "confide", targets: ["confide"]),
        .executable(name: "confide-ingest-bench", targets: ["confide-ingest-bench"]),
        .executable(name: "confide-bench", targets: ["confide-bench"]),
        .executable(name: "confide-fuzz", targets: ["confide-fuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "ConfideModel", swiftSettings: strict),
        .target(name: "CFileSystem"),
        .target(name: "ConfideStore", dependencies: ["CSQLite"], swiftSettings: strict),
        .target(name: "ConfideIngest", dependencies: [
            "ConfideModel", "ConfideStore", .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: strict),
        .target(name: "ConfideMetrics", dependencies: ["ConfideModel", "ConfideStore"], swiftSettings: strict),
        .target(name: "ConfidePrivacy", dependencies: ["ConfideModel", "ConfideMetrics"], swiftSettings: strict),
        .target(name: "ConfidePublish", dependencies: ["ConfideModel", "ConfidePrivacy", "CFileSystem"], swiftSettings: strict),
        .target(name: "ConfideSynth", dependencies: ["ConfideModel"], swiftSettings: strict),
        .target(name: "ConfidePipeline", dependencies: [
            "ConfideModel", "ConfideStore", "ConfideIngest", "ConfideMetrics", "ConfidePrivacy", "ConfidePublish",
            "ConfideSynth",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "TOMLKit", package: "TOMLKit"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: strict),
        .executableTarget(name: "confide", dependencies: [
            "ConfidePipeline", "ConfideSynth", "ConfideModel", "ConfideIngest", "ConfidePrivacy", "ConfidePublish",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict),
        .executableTarget(name: "confide-ingest-bench", dependencies: [
            "ConfideBench", "ConfideIngest", "ConfideStore", "ConfideModel", "ConfideSynth",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict),
        .target(name: "ConfideBench", dependencies: ["ConfideModel", "ConfideSynth"], swiftSettings: strict),
        .executableTarget(name: "confide-bench", dependencies: [
            "ConfideBench", "ConfidePipeline", "ConfideIngest", "ConfideMetrics", "ConfidePrivacy", "ConfidePublish",
            "ConfideStore", "ConfideModel",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .executableTarget(name: "confide-fuzz", dependencies: ["ConfideIngest", "ConfideStore", "ConfideModel"],
                          swiftSettings: strict),

        .testTarget(name: "ConfideModelTests", dependencies: ["ConfideModel"]),
        .testTarget(name: "ConfideStoreTests", dependencies: ["ConfideStore"]),
        .testTarget(name: "ConfideIngestTests", dependencies: ["ConfideIngest", "ConfideStore"]),
        .testTarget(name: "ConfideMetricsTests", dependencies: ["ConfideMetrics", "ConfideStore"]),
        .testTarget(name: "ConfidePrivacyTests", dependencies: ["ConfidePrivacy", "ConfideMetrics"]),
        .testTarget(name: "ConfidePublishTests", dependencies: ["ConfidePublish", "ConfidePrivacy", "ConfideMetrics", "ConfideSynth"]),
        .testTarget(name: "ConfideSynthTests", dependencies: ["ConfideSynth"]),
        .testTarget(name: "ConfidePipelineTests", dependencies: ["ConfidePipeline", "ConfideSynth", "ConfideStore", "ConfideIngest", "ConfideMetrics"]),
        .testTarget(name: "ConfideBenchTests", dependencies: ["ConfideBench"]),
        .testTarget(name: "EndToEndTests", dependencies: ["ConfideSynth"]),
    ]
)
