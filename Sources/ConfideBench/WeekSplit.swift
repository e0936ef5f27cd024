import ConfideModel
import Foundation

/// Splits a canonical export (as the synthesiser writes it: no quoted fields, ISO dates) at a
/// cutoff day into the export as it stood on that day and a delta export of what came after.
///
/// - referrals: the base holds referrals received on or before the cutoff, with an end date
///   (and reason) after the cutoff blanked, as the practice system showed them then; the
///   delta holds referrals received after the cutoff and those whose end date is after it
///   (an update of a stored referral).
/// - appointments and measures: split by their date.
struct WeekSplit {
    /// The last day of the base export.
    let cutoff: Day

    func split(exports: String, base: String, delta: String) throws {
        let baseStaging = base + ".partial", deltaStaging = delta + ".partial"
        for folder in [baseStaging, deltaStaging] {
            try? FileManager.default.removeItem(atPath: folder)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let last = Array(cutoff.iso.utf8)
        for file in CanonicalFile.allCases {
            let baseOut = try ByteWriter(path: baseStaging + "/" + file.fileName)
            let deltaOut = try ByteWriter(path: deltaStaging + "/" + file.fileName)
            var header = true
            try forEachLine(of: exports + "/" + file.fileName) { line in
                if header {
                    header = false
                    baseOut.append(line)
                    deltaOut.append(line)
                    return
                }
                let fields = commaOffsets(line)
                func isAfterCutoff(_ index: Int) -> Bool {
                    let range = field(index, of: line, commas: fields)
                    return !range.isEmpty && last.lexicographicallyPrecedes(line[range])
                }
                switch file {
                case .referrals:
                    let received = isAfterCutoff(2), ends = isAfterCutoff(9)
                    if !received {
                        // Before the cutoff, a referral that ends after it was still open.
                        baseOut.append(ends ? line[..<fields[8]] + Array(",,".utf8) : line[...])
                    }
                    if received || ends { deltaOut.append(line) }
                case .appointments:
                    isAfterCutoff(3) ? deltaOut.append(line) : baseOut.append(line)
                case .measures:
                    isAfterCutoff(1) ? deltaOut.append(line) : baseOut.append(line)
                }
            }
            try baseOut.close()
            try deltaOut.close()
        }
        try FileManager.default.moveItem(atPath: baseStaging, toPath: base)
        try FileManager.default.moveItem(atPath: deltaStaging, toPath: delta)
    }

    /// The offsets of the commas of `line` (without its newline).
    private func commaOffsets(_ line: ArraySlice<UInt8>) -> [Int] {
        var offsets: [Int] = []
        for index in line.indices where line[index] == UInt8(ascii: ",") { offsets.append(index) }
        return offsets
    }

    /// The byte range of field `index` (0-based).
    private func field(_ index: Int, of line: ArraySlice<UInt8>, commas: [Int]) -> Range<Int> {
        let start = index == 0 ? line.startIndex : commas[index - 1] + 1
        let end = index < commas.count ? commas[index] : line.endIndex
        return start..<end
    }
}

/// Calls `body` with each line of the file, without its newline.
func forEachLine(of path: String, _ body: (ArraySlice<UInt8>) throws -> Void) throws {
    guard let handle = FileHandle(forReadingAtPath: path) else { throw BenchError("cannot read \(path)") }
    defer { try? handle.close() }
    var pending: [UInt8] = []
    while let data = try handle.read(upToCount: 4 << 20), !data.isEmpty {
        pending += data
        var start = 0
        while let newline = pending[start...].firstIndex(of: 10) {
            try body(pending[start..<newline])
            start = newline + 1
        }
        pending.removeFirst(start)
    }
    if !pending.isEmpty { try body(pending[...]) }
}

/// Appends lines to a file through a large buffer.
final class ByteWriter {
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw BenchError("cannot write \(path)")
        }
        self.handle = handle
        buffer.reserveCapacity(4 << 20)
    }

    /// Appends `line` and a newline.
    func append<C: Collection>(_ line: C) where C.Element == UInt8 {
        buffer.append(contentsOf: line)
        buffer.append(10)
        if buffer.count >= 4 << 20 { flush() }
    }

    private func flush() {
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        flush()
        try handle.close()
    }
}
