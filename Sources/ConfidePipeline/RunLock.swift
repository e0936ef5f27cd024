import ConfidePostgres
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The lock that keeps two runs (or a run and a purge or an erasure) of one practice apart,
/// held for a whole run and freed when the process ends, however it ends:
///
/// - an SQLite store: an exclusive `flock` on `<store>.lock` (close-on-exec);
/// - a PostgreSQL store (`[store] url`): a session advisory lock in its database, on a
///   connection of its own, so that runs on two machines are kept apart too; the server frees
///   it when the session ends (a killed run's included).
final class RunLock {
    private enum Holder {
        case file(Int32)
        case postgres(PostgresConnection)
    }

    private let holder: Holder

    /// The advisory lock key of a PostgreSQL store's run lock (`confrun` in ASCII).
    static let advisoryKey: Int64 = 0x63_6f6e_6672_756e

    /// Takes the run lock of the store `configuration` names; with `wait` false, throws exit
    /// 75 at once when another run holds it.
    convenience init(_ configuration: Configuration, wait: Bool) throws {
        if let location = configuration.storeURL {
            try self.init(postgres: location, wait: wait)
        } else {
            try self.init(path: configuration.storePath + ".lock", wait: wait)
        }
    }

    /// Takes the lock on the file `path`.
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
        holder = .file(fd)
    }

    /// Takes the advisory lock of the PostgreSQL store at `location`; with `wait`, asks again
    /// every second until it is free.
    init(postgres location: PostgresLocation, wait: Bool) throws {
        do {
            let db = try PostgresConnection(location)
            while try !db.tryAdvisoryLock(Self.advisoryKey) {
                guard wait else {
                    throw ConfideError(.tryLater, "another confide run holds the run lock of the PostgreSQL store \(location); try later, or pass --wait")
                }
                sleep(1)
            }
            holder = .postgres(db)
        } catch let error as PostgresError {
            throw postgresError(error)
        }
    }

    deinit {
        switch holder {
        case .file(let fd):
            flock(fd, LOCK_UN)
            close(fd)
        case .postgres(let db):
            try? db.releaseAdvisoryLock(Self.advisoryKey)
        }
    }
}
