/// Turns UTF-16 or Windows-1252 bytes into UTF-8 while the file streams, a block at a time
/// (never through a temporary file). A code unit that cannot be decoded (a lone surrogate, an
/// odd trailing byte) becomes the byte 0xFF, which is never valid UTF-8, so the field it falls
/// in is quarantined as `invalid_utf8` rather than guessed.
struct Transcoder {
    let encoding: ResolvedEncoding
    private var pendingByte: UInt8?
    private var pendingHigh: UInt32?

    init(_ encoding: ResolvedEncoding) { self.encoding = encoding }

    /// Appends the UTF-8 form of `input` to `output`; `final` flushes what is held back.
    mutating func transcode(_ input: ArraySlice<UInt8>, into output: inout [UInt8], final: Bool) {
        switch encoding {
        case .utf8:
            output.append(contentsOf: input)
        case .windows1252:
            for b in input {
                if b < 0x80 { output.append(b) } else { appendScalar(UInt32(windows1252High[Int(b) - 0x80]), &output) }
            }
        case .utf16LE, .utf16BE:
            var i = input.startIndex
            if let first = pendingByte, i < input.endIndex {
                unit(pair(first, input[i]), &output)
                pendingByte = nil
                i += 1
            }
            while i + 1 < input.endIndex {
                unit(pair(input[i], input[i + 1]), &output)
                i += 2
            }
            if i < input.endIndex { pendingByte = input[i] }
        }
        if final {
            if pendingByte != nil { output.append(0xFF); pendingByte = nil }
            if pendingHigh != nil { output.append(0xFF); pendingHigh = nil }
        }
    }

    @inline(__always) private func pair(_ a: UInt8, _ b: UInt8) -> UInt32 {
        encoding == .utf16LE ? UInt32(a) | UInt32(b) << 8 : UInt32(a) << 8 | UInt32(b)
    }

    @inline(__always) private mutating func unit(_ u: UInt32, _ output: inout [UInt8]) {
        if let high = pendingHigh {
            pendingHigh = nil
            if u >= 0xDC00, u <= 0xDFFF {
                appendScalar(0x10000 + ((high - 0xD800) << 10) + (u - 0xDC00), &output)
                return
            }
            output.append(0xFF)
        }
        if u >= 0xD800, u <= 0xDBFF { pendingHigh = u; return }
        if u >= 0xDC00, u <= 0xDFFF { output.append(0xFF); return }
        appendScalar(u, &output)
    }

    @inline(__always) private func appendScalar(_ v: UInt32, _ output: inout [UInt8]) {
        switch v {
        case 0..<0x80:
            output.append(UInt8(v))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | v >> 6)); output.append(UInt8(0x80 | v & 0x3F))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | v >> 12)); output.append(UInt8(0x80 | v >> 6 & 0x3F)); output.append(UInt8(0x80 | v & 0x3F))
        default:
            output.append(UInt8(0xF0 | v >> 18)); output.append(UInt8(0x80 | v >> 12 & 0x3F))
            output.append(UInt8(0x80 | v >> 6 & 0x3F)); output.append(UInt8(0x80 | v & 0x3F))
        }
    }
}

/// Windows-1252 bytes 0x80-0xFF as Unicode scalars (the five undefined bytes map to the C1
/// controls of the same value, as the WHATWG encoding standard does).
private let windows1252High: [UInt16] = [
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
] + (0xA0...0xFF).map { UInt16($0) }
