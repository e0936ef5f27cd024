import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock on `<store>.lock` (flock, close-on-exec), held for a whole run.
final class RunLock {
    private let fd: Int32

    /// Takes the lock; with `wait` false, throws exit 75 at once when another run holds it.
    init(path: String, wait: Bool) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw ConfideError(.cannotCreate, "cannot open lock file \(path): \(String(cString: strerror(errno)))")
        }
        while flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0 {
            if errno == EINTR { continue }
            close(fd)
            throw ConfideError(.tryLater, "another confide run holds \(path); try later, or pass --wait")
        }
        self.fd = fd
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
