// swift-tools-version:6.0
import PackageDescription

/// confide: de-identified weekly outcome and caseload reports for therapy practices.
///
/// Modules form one stack; each imports only what is below it, and every target declares what
/// it imports (`.ci/run` builds with `--explicit-target-dependency-import-check error`;
/// docs/architecture.md has the exact graph):
/// ConfideModel (the canonical input contract, the calendar, tables and groups);
/// CSQLite < ConfideStore < ConfideSchema; CLibPQ < ConfidePostgres (the PostgreSQL store's
/// connection, on ConfideStore's values) < ConfideSchema; ConfideCSV; ConfideIngest (extract);
/// ConfideMetrics (exact, in memory) < ConfidePrivacy (the only producer of releases);
/// ConfideRelease (what is published; needs only ConfideModel) < ConfidePublish, which never
/// sees ConfideMetrics or ConfidePrivacy; ConfidePipeline orchestrates; confide is the CLI.
/// ConfideAnonymity (k-anonymity / l-diversity by full-domain generalisation, and
/// re-identification risk, for `confide anonymize` and `confide risk`) stands alone: it
/// depends on nothing of confide's.
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
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq",
                       providers: [.apt(["libpq-dev"])]),
        .target(name: "ConfideModel", swiftSettings: strict),
        .target(name: "CFileSystem"),
        .target(name: "ConfideStore", dependencies: ["CSQLite"], swiftSettings: strict),
        .target(name: "ConfidePostgres", dependencies: ["CLibPQ", "ConfideStore"], swiftSettings: strict),
        .target(name: "ConfideSchema", dependencies: ["ConfideStore", "ConfidePostgres"], swiftSettings: strict),
        .target(name: "ConfideCSV", swiftSettings: strict),
        .target(name: "ConfideIngest", dependencies: [
            "ConfideModel", "ConfideStore", "ConfideSchema", "ConfidePostgres", "ConfideCSV", .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: strict),
        .target(name: "ConfideMetrics", dependencies: ["ConfideModel", "ConfideStore"], swiftSettings: strict),
        .target(name: "ConfideRelease", dependencies: ["ConfideModel"], swiftSettings: strict),
        .target(name: "ConfidePrivacy", dependencies: ["ConfideModel", "ConfideMetrics", "ConfideRelease", "ConfideAnonymity"], swiftSettings: strict),
        .target(name: "ConfidePublish", dependencies: ["ConfideModel", "ConfideRelease", "ConfideCSV", "CFileSystem"],
                swiftSettings: strict),
        .target(name: "ConfideSynth", dependencies: ["ConfideModel"], swiftSettings: strict),
        .target(name: "ConfideAnonymity", swiftSettings: strict),
        .target(name: "ConfidePipeline", dependencies: [
            "ConfideModel", "ConfideStore", "ConfideSchema", "ConfidePostgres", "ConfideCSV", "ConfideIngest", "ConfideMetrics",
            "ConfideRelease", "ConfidePrivacy", "ConfidePublish", "ConfideSynth",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "TOMLKit", package: "TOMLKit"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: strict),
        .executableTarget(name: "confide", dependencies: [
            "ConfidePipeline", "ConfideSynth", "ConfideModel", "ConfideIngest", "ConfidePrivacy", "ConfideRelease", "ConfidePublish",
            "CFileSystem", "ConfideAnonymity",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .executableTarget(name: "confide-ingest-bench", dependencies: [
            "ConfideBench", "ConfideIngest", "ConfideStore", "ConfideSchema", "ConfideModel", "ConfideSynth",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict),
        .target(name: "ConfideBench", dependencies: ["ConfideModel", "ConfideSynth"], swiftSettings: strict),
        .executableTarget(name: "confide-bench", dependencies: [
            "ConfideBench", "ConfidePipeline", "ConfideIngest", "ConfideMetrics", "ConfideRelease", "ConfidePrivacy",
            "ConfidePublish", "ConfideStore", "ConfideModel", "ConfidePostgres", "ConfideSchema",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .executableTarget(name: "confide-fuzz", dependencies: [
            "ConfideIngest", "ConfideStore", "ConfideSchema", "ConfideCSV", "ConfideModel",
        ], swiftSettings: strict),

        .testTarget(name: "ConfideModelTests", dependencies: ["ConfideModel"]),
        .testTarget(name: "ConfideStoreTests", dependencies: ["ConfideStore", "ConfideSchema"]),
        .testTarget(name: "ConfidePostgresTests", dependencies: [
            "ConfidePostgres", "ConfideStore", "ConfideSchema", "ConfidePipeline", "ConfideMetrics", "ConfidePrivacy", "ConfideRelease",
            "ConfideModel", "ConfideIngest", "ConfideSynth", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "ConfideIngestTests", dependencies: ["ConfideIngest", "ConfideCSV", "ConfideStore", "ConfideSchema", "ConfideModel"]),
        .testTarget(name: "ConfideMetricsTests", dependencies: ["ConfideMetrics", "ConfideStore", "ConfideSchema", "ConfideModel", "ConfideSynth"]),
        .testTarget(name: "ConfideReleaseTests", dependencies: ["ConfideRelease", "ConfideModel"]),
        .testTarget(name: "ConfidePrivacyTests", dependencies: ["ConfidePrivacy", "ConfideRelease", "ConfideMetrics", "ConfideModel"]),
        .testTarget(name: "ConfidePublishTests", dependencies: [
            "ConfidePublish", "ConfideRelease", "ConfidePrivacy", "ConfideMetrics", "ConfideSynth", "ConfideModel",
        ]),
        .testTarget(name: "ConfideSynthTests", dependencies: ["ConfideSynth", "ConfideModel"]),
        .testTarget(name: "ConfidePipelineTests", dependencies: [
            "ConfidePipeline", "ConfideSynth", "ConfideStore", "ConfideSchema", "ConfideIngest", "ConfideMetrics", "ConfideModel",
            "ConfidePrivacy", "ConfideRelease",
            .product(name: "Logging", package: "swift-log"),
        ], exclude: ["Fixtures"]),
        .testTarget(name: "ConfideBenchTests", dependencies: ["ConfideBench"]),
        .testTarget(name: "ConfideAnonymityTests", dependencies: ["ConfideAnonymity"]),
        .testTarget(name: "EndToEndTests", dependencies: ["ConfideSynth"]),
    ]
)
