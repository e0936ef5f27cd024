public import ConfideIngest
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The practice key file: 32 random bytes, mode 0600, never overwritten.
public enum KeyFile {
    /// Creates a new key at `path` from the operating system's random source. Refuses to
    /// replace an existing file.
    public static func create(at path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST { throw ConfideError(.cannotCreate, "key file already exists, not replaced: \(path)") }
            throw ConfideError(.cannotCreate, "cannot create key file \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        defer { bytes = [UInt8](repeating: 0, count: bytes.count) }
        guard write(fd, bytes, bytes.count) == bytes.count, fsync(fd) == 0 else {
            throw ConfideError(.ioError, "cannot write key file \(path): \(String(cString: strerror(errno)))")
        }
        fchmod(fd, 0o600)
    }

    /// Loads the key at `path`, refusing a file that others can read or write.
    ///
    /// - Parameter storeExists: whether the practice's store exists: a missing key is then a key
    ///   to restore, never one to create (a new key cannot read the store).
    public static func load(from path: String, storeExists: Bool = false) throws -> PracticeKey {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if storeExists {
                throw ConfideError(.noInput, "key file not found: \(path). The store was created with a practice key: restore that key from its backup, or point [privacy] key_file at it. Do not create a new key: it cannot read the store.")
            }
            throw ConfideError(.noInput, "key file not found: \(path). For a new practice, create one with 'confide init'; otherwise point [privacy] key_file at the practice key.")
        }
        guard info.st_mode & 0o077 == 0 else {
            let mode = String(info.st_mode & 0o777, radix: 8)
            throw ConfideError(.noPermission, "key file \(path) has mode \(mode): others can read it. Fix it with: chmod 600 \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfideError(.noPermission, "cannot read key file \(path)")
        }
        do {
            return try PracticeKey(bytes: Array(data))
        } catch {
            throw ConfideError(.config, "key file \(path) holds \(data.count) bytes; a key needs at least 32. Restore the practice key from its backup.")
        }
    }

    /// The key in the file at `path` without one trailing newline (`\n` or `\r\n`), which an
    /// editor may have added; nil when the file does not end with one.
    static func withoutTrailingNewline(at path: String) throws -> PracticeKey? {
        guard var bytes = FileManager.default.contents(atPath: path).map(Array.init), bytes.last == 0x0A else { return nil }
        bytes.removeLast()
        if bytes.last == 0x0D { bytes.removeLast() }
        defer { bytes = [UInt8](repeating: 0, count: bytes.count) }
        return try PracticeKey(bytes: bytes)
    }
}
