#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An error writing the synthetic practice.
public struct SynthError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, naming the path.
    public let description: String
}

/// A file written through a large buffer into `path.partial`, renamed into place by ``commit()``.
final class BufferedFile {
    private let file: UnsafeMutablePointer<FILE>
    private var buffer: [UInt8] = []
    private let path: String
    private var closed = false

    init(path: String) throws {
        guard let file = fopen(path + ".partial", "wb") else {
            throw SynthError(description: "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        self.file = file
        self.path = path
        buffer.reserveCapacity(1 << 20)
    }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 20 { flush() }
    }

    private func flush() {
        buffer.withUnsafeBufferPointer { _ = fwrite($0.baseAddress, 1, $0.count, file) }
        buffer.removeAll(keepingCapacity: true)
    }

    func commit() throws {
        flush()
        let failed = ferror(file) != 0
        fclose(file)
        closed = true
        guard !failed, rename(path + ".partial", path) == 0 else {
            unlink(path + ".partial")
            throw SynthError(description: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    deinit {
        if !closed { fclose(file); unlink(path + ".partial") }
    }
}
