import CFileSystem
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why publication stopped. Nothing was published.
public enum PublishError: Error, Sendable, CustomStringConvertible {
    /// The audit found identifiers; the findings name file, line and rule, never the value.
    case auditFailed([LeakFinding])
    /// A file or folder could not be written (errno).
    case cannotWrite(path: String, errno: Int32)

    /// One line for the operator.
    public var description: String {
        switch self {
        case .auditFailed(let findings):
            return "leak audit failed, nothing published: " + findings.prefix(10).map(\.description).joined(separator: "; ")
                + (findings.count > 10 ? " (and \(findings.count - 10) more)" : "")
        case .cannotWrite(let path, let code):
            return "cannot write \(path): \(String(cString: strerror(code)))"
        }
    }
}

/// What publishing did.
public enum PublishOutcome: Sendable, Equatable {
    /// The folder is new or was replaced.
    case published(path: String)
    /// The folder already held exactly these bytes; nothing was touched.
    case unchanged(path: String)
}

/// Publishes a week's files atomically (for ``WeekFolder``, the one public way to publish): written with mode 0600 into a staging folder beside
/// the destination, fsynced, audited, renamed into place, and the parent folder fsynced. A
/// killed run leaves the last good publication untouched; its stray staging folder is removed
/// by the next run.
struct Publisher: Sendable {
    /// The reports folder (`[publish] dir`).
    let root: String

    /// Creates a publisher for `root`.
    init(root: String) { self.root = root }

    /// Publishes `files` (relative path → content) as `<root>/<folder>/`.
    func publish(folder: String, files: [(String, String)], audit: LeakAudit) throws -> PublishOutcome {
        let name = TextSafety.fileName(folder)
        try makeDirectory(root)
        removeStrayStaging()
        let staging = root + "/.staging-\(name)-\(getpid())"
        try makeDirectory(staging)
        do {
            for (relative, content) in files {
                let parts = relative.split(separator: "/").map(String.init)
                precondition(!parts.isEmpty && parts.allSatisfy { !$0.hasPrefix(".") }, "output paths are confide's own names")
                var directory = staging
                for part in parts.dropLast() { directory += "/" + part; try makeDirectory(directory) }
                try writeDurably(directory + "/" + parts.last!, content)
            }
            let findings = try audit.scan(path: staging)
            guard findings.isEmpty else { throw PublishError.auditFailed(findings) }
            let destination = root + "/" + name
            if FileManager.default.fileExists(atPath: destination) {
                if try sameContent(staging, destination) {
                    try? FileManager.default.removeItem(atPath: staging)
                    return .unchanged(path: destination)
                }
                // Swap the two folders in one step, so the destination is never missing.
                guard confide_exchange_paths(staging, destination) == 0 else {
                    throw PublishError.cannotWrite(path: destination, errno: errno)
                }
                try? FileManager.default.removeItem(atPath: staging)
            } else {
                guard rename(staging, destination) == 0 else { throw PublishError.cannotWrite(path: destination, errno: errno) }
            }
            fsyncDirectory(root)
            return .published(path: destination)
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
    }

    /// Writes `content` to `<root>/<name>` by a temporary file and a rename.
    func replaceFile(_ name: String, content: String) throws {
        try makeDirectory(root)
        let temporary = root + "/.staging-file-\(getpid())-" + name
        try writeDurably(temporary, content)
        guard rename(temporary, root + "/" + name) == 0 else { throw PublishError.cannotWrite(path: root + "/" + name, errno: errno) }
        fsyncDirectory(root)
    }

    /// Points the symbolic link `<root>/<name>` at `target` (relative), replacing it atomically.
    func replaceLink(_ name: String, target: String) throws {
        let temporary = root + "/.staging-link-\(getpid())"
        unlink(temporary)
        guard symlink(target, temporary) == 0 else { throw PublishError.cannotWrite(path: temporary, errno: errno) }
        guard rename(temporary, root + "/" + name) == 0 else { throw PublishError.cannotWrite(path: root + "/" + name, errno: errno) }
        fsyncDirectory(root)
    }

    /// The published week folders, oldest first.
    func publishedFolders() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.filter { $0.count == 8 && $0.dropFirst(4).hasPrefix("-W") && !$0.hasPrefix(".") }.sorted()
    }

    private func removeStrayStaging() {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [] where name.hasPrefix(".staging-") {
            try? FileManager.default.removeItem(atPath: root + "/" + name)
        }
    }

    private func makeDirectory(_ path: String) throws {
        if mkdir(path, 0o700) != 0, errno != EEXIST { throw PublishError.cannotWrite(path: path, errno: errno) }
    }

    private func writeDurably(_ path: String, _ content: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw PublishError.cannotWrite(path: path, errno: errno) }
        defer { close(fd) }
        var bytes = Array(content.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 { if errno == EINTR { continue }; throw PublishError.cannotWrite(path: path, errno: errno) }
            offset += written
        }
        bytes.removeAll()
        guard fsync(fd) == 0 else { throw PublishError.cannotWrite(path: path, errno: errno) }
    }

    private func fsyncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
    }

    private func sameContent(_ a: String, _ b: String) throws -> Bool {
        func listing(_ root: String) -> [String] {
            (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []).sorted()
        }
        let left = listing(a), right = listing(b)
        guard left == right else { return false }
        for relative in left {
            var dir: ObjCBool = false
            if FileManager.default.fileExists(atPath: a + "/" + relative, isDirectory: &dir), dir.boolValue { continue }
            guard FileManager.default.contentsEqual(atPath: a + "/" + relative, andPath: b + "/" + relative) else { return false }
        }
        return true
    }
}
