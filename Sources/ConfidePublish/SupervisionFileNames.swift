/// The file names of the supervision exports, one per therapist id, distinct even when two ids
/// sanitise to the same name.
///
/// A name is `TextSafety.fileName(id)`. When two or more ids of the same week give the same
/// name (compared ignoring case, so the files stay distinct on case-insensitive disks too),
/// each of them gets `-` and eight hexadecimal digits of a hash of the whole id (64-bit FNV-1a,
/// folded): deterministic, so the same ids always give the same names.
public struct SupervisionFileNames: Sendable, Equatable {
    /// The file name (without folder or extension) of each therapist id.
    public let nameByTherapist: [String: String]

    /// Names the files of `therapists` (the ids of one week; order does not matter).
    public init(therapists: some Sequence<String>) {
        let ids = Set(therapists).sorted()
        var idsByKey: [String: [String]] = [:]
        for id in ids { idsByKey[TextSafety.fileName(id).lowercased(), default: []].append(id) }
        var names: [String: String] = [:]
        var taken = Set<String>()
        for id in ids where idsByKey[TextSafety.fileName(id).lowercased()]!.count == 1 {
            names[id] = TextSafety.fileName(id)
            taken.insert(names[id]!.lowercased())
        }
        for id in ids where names[id] == nil {
            let base = TextSafety.fileName(id) + "-" + Self.hashSuffix(id)
            var name = base
            var counter = 2
            // Two ids whose hashes also agree (practically never): a counter keeps them apart.
            while taken.contains(name.lowercased()) { name = base + "-\(counter)"; counter += 1 }
            names[id] = name
            taken.insert(name.lowercased())
        }
        nameByTherapist = names
    }

    /// `supervision/<name>.csv` for `therapist`.
    public func path(of therapist: String) -> String {
        "supervision/" + (nameByTherapist[therapist] ?? TextSafety.fileName(therapist)) + ".csv"
    }

    /// `supervision/<name>-cases.csv`: `therapist`'s case list (`[supervision] case_lists`).
    public func casesPath(of therapist: String) -> String {
        "supervision/" + (nameByTherapist[therapist] ?? TextSafety.fileName(therapist)) + "-cases.csv"
    }

    /// Eight lowercase hexadecimal digits of the 64-bit FNV-1a hash of `id`'s UTF-8 bytes,
    /// folded to 32 bits.
    static func hashSuffix(_ id: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        let folded = UInt32(truncatingIfNeeded: hash ^ (hash >> 32))
        let hex = String(folded, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}
