/// How a CSV export's bytes encode its text (`[source] encoding`).
public enum TextEncoding: String, Sendable, CaseIterable, Codable {
    /// A byte-order mark decides; without one, UTF-16 is recognised by its zero bytes, and a
    /// sample that is not UTF-8 and holds no UTF-8 multi-byte sequence at all is read as
    /// Windows-1252. Everything else is UTF-8.
    case auto
    /// UTF-8, with or without a byte-order mark.
    case utf8 = "utf-8"
    /// UTF-16, little- or big-endian: the byte-order mark decides, else the zero bytes, else
    /// little-endian.
    case utf16 = "utf-16"
    /// Windows code page 1252 (what Excel on Windows writes as "CSV").
    case windows1252 = "windows-1252"
}

/// The encoding a file is actually read in, after detection.
public enum ResolvedEncoding: String, Sendable, Codable, Equatable {
    case utf8 = "utf-8"
    case utf16LE = "utf-16le"
    case utf16BE = "utf-16be"
    case windows1252 = "windows-1252"
}

/// Decides a file's encoding from its first bytes.
enum EncodingDetector {
    /// The encoding and the length of the byte-order mark to skip.
    ///
    /// - Throws: ``CSVReaderError/encodingMismatch(found:configured:)`` when a byte-order mark
    ///   contradicts the configured encoding.
    static func resolve(_ sample: ArraySlice<UInt8>, configured: TextEncoding) throws(CSVReaderError) -> (ResolvedEncoding, Int) {
        let s = Array(sample.prefix(4))
        let bom: (ResolvedEncoding, Int)? =
            s.count >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF ? (.utf8, 3)
            : s.count >= 2 && s[0] == 0xFF && s[1] == 0xFE ? (.utf16LE, 2)
            : s.count >= 2 && s[0] == 0xFE && s[1] == 0xFF ? (.utf16BE, 2)
            : nil
        switch configured {
        case .auto:
            if let bom { return bom }
            if let utf16 = utf16ByZeroBytes(sample) { return (utf16, 0) }
            return (looksLikeWindows1252(sample) ? .windows1252 : .utf8, 0)
        case .utf8:
            if let bom, bom.0 != .utf8 { throw .encodingMismatch(found: bom.0.rawValue, configured: configured.rawValue) }
            return (.utf8, bom?.1 ?? 0)
        case .utf16:
            if let bom, bom.0 == .utf8 { throw .encodingMismatch(found: "utf-8", configured: configured.rawValue) }
            if let bom { return bom }
            return (utf16ByZeroBytes(sample) ?? .utf16LE, 0)
        case .windows1252:
            if let bom { throw .encodingMismatch(found: bom.0.rawValue, configured: configured.rawValue) }
            return (.windows1252, 0)
        }
    }

    /// UTF-16 without a byte-order mark: most code units of ASCII text have a zero high byte.
    static func utf16ByZeroBytes(_ sample: ArraySlice<UInt8>) -> ResolvedEncoding? {
        let bytes = Array(sample.prefix(1024))
        guard bytes.count >= 4 else { return nil }
        var evenZeros = 0, oddZeros = 0
        for (i, b) in bytes.enumerated() where b == 0 {
            if i % 2 == 0 { evenZeros += 1 } else { oddZeros += 1 }
        }
        let pairs = bytes.count / 2
        if oddZeros * 2 > pairs, evenZeros * 8 < oddZeros { return .utf16LE }
        if evenZeros * 2 > pairs, oddZeros * 8 < evenZeros { return .utf16BE }
        return nil
    }

    /// True when the sample is not UTF-8 and contains no valid UTF-8 multi-byte sequence, so
    /// its high bytes are single characters of a legacy code page. A sample with both valid
    /// multi-byte sequences and invalid bytes is UTF-8 with damaged fields (quarantined per field).
    static func looksLikeWindows1252(_ sample: ArraySlice<UInt8>) -> Bool {
        var sawInvalid = false
        var i = sample.startIndex
        let end = sample.endIndex
        while i < end {
            let b = sample[i]
            if b < 0x80 { i += 1; continue }
            let length = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0
            if length == 0 { sawInvalid = true; i += 1; continue }
            if i + length > end { break }  // cut by the sample's end: undecided
            if String(validating: sample[i..<(i + length)], as: UTF8.self) != nil { return false }
            sawInvalid = true
            i += 1
        }
        return sawInvalid
    }
}
