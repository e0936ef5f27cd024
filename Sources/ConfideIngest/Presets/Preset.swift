public import ConfideModel

/// A ready mapping for one practice system's exports (`confide init --preset NAME`).
/// `docs/presets.md` says, per preset, which words are the vendor's documented vocabulary
/// and which mappings are project conventions.
public struct Preset: Sendable {
    /// The name given to `--preset`.
    public let name: String
    /// One line on what the preset reads.
    public let summary: String
    /// How the system writes dates.
    public let dateOrder: DateOrder
    /// File names, column mappings and value maps per canonical file.
    public let files: [CanonicalFile: FileMapping]

    /// Every preset, in the order `--help` lists them.
    public static let all: [Preset] = [.cliniko, .clinikoAPI, .simplePractice, .writeUpp, .halaxy, .nhsTalkingTherapies]

    /// The preset called `name` (case-insensitive), or nil.
    public static func named(_ name: String) -> Preset? {
        all.first { $0.name == name.lowercased() }
    }
}

/// Instrument names as practice systems and outcome tools write them.
let instrumentNames: [String: String] = [
    "PHQ-9": "phq9", "PHQ9": "phq9", "PHQ 9": "phq9",
    "GAD-7": "gad7", "GAD7": "gad7", "GAD 7": "gad7",
    "CORE-10": "core10", "CORE10": "core10", "CORE 10": "core10",
    "WSAS": "wsas", "Work and Social Adjustment Scale": "wsas",
]

/// Gender words common to English-language exports.
let genderWords: [String: String] = [
    "F": "female", "Female": "female", "Woman": "female",
    "M": "male", "Male": "male", "Man": "male",
    "Non-binary": "non_binary", "Nonbinary": "non_binary",
    "Prefer not to say": "not_stated", "Not stated": "not_stated", "Unknown": "not_stated",
]

/// The practice's own yes/no column `Restricted` (a custom field: no vendor has one), read as
/// `restricted` by every preset [PROJECT CONVENTION, docs/presets.md]; case is ignored. A
/// value outside these restricts the client (``Restriction/fallback``).
let restrictedWords: [String: String] = [
    "yes": "yes", "y": "yes", "true": "yes", "1": "yes", "restricted": "yes",
    "no": "no", "n": "no", "false": "no", "0": "no",
]
