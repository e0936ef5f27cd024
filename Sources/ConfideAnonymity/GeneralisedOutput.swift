#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes an applied transformation as a delimited file: the input's header, separator and line
/// ends; non-QI fields byte for byte; QI fields generalised, `*` for suppressed records; records
/// in input order. The file appears whole or not at all (temporary file in the same folder,
/// fsync, rename).
public enum GeneralisedOutput {
    /// Fails early (exit 73) when `path` cannot be created: its folder is missing or not writable,
    /// or a folder stands at `path`.
    public static func checkCreatable(_ path: String) throws(AnonymityError) {
        let folder = folderOf(path)
        var status = stat()
        if stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR {
            throw AnonymityError(.cannotCreate, "\(path): is a folder; give a file name for the output")
        }
        guard access(folder, W_OK | X_OK) == 0 else {
            throw AnonymityError(.cannotCreate, "\(path): cannot create the output in \(folder) (\(String(cString: strerror(errno))))")
        }
    }

    /// The bytes of the output file.
    public static func render(_ applied: AppliedTransformation) -> [UInt8] {
        let problem = applied.problem
        let text = problem.table.text
        var labelBytes: [Int: [[UInt8]]] = [:]
        var idsOfColumn: [Int: [UInt32]] = [:]
        for (index, quasiIdentifier) in problem.quasiIdentifiers.enumerated() {
            let column = problem.table.columns[quasiIdentifier.name]!
            labelBytes[quasiIdentifier.columnIndex] = column.values.indices.map {
                text.encoded(quasiIdentifier.label(value: UInt32($0), level: applied.levels[index]))
            }
            idsOfColumn[quasiIdentifier.columnIndex] = column.ids
        }
        let star: [UInt8] = [UInt8(ascii: "*")]
        var out: [UInt8] = []
        out.reserveCapacity(text.bytes.count + text.bytes.count / 4)
        var record = -1
        try? text.forEachRecord { (fields: RecordFields) -> Bool in
            for field in 0..<fields.count {
                if field > 0 { out.append(text.separator) }
                if record >= 0, let labels = labelBytes[field] {
                    out.append(contentsOf: applied.suppressed[record] ? star : labels[Int(idsOfColumn[field]![record])])
                } else {
                    out.append(contentsOf: text.bytes[fields.starts[field]..<fields.ends[field]])
                }
            }
            out.append(contentsOf: text.lineEnd)
            record += 1
            return true
        }
        return out
    }

    /// Writes `bytes` to `path` atomically.
    ///
    /// - Throws: ``AnonymityError`` `.cannotCreate` when the temporary file cannot be created or
    ///   renamed, `.ioError` when writing fails (a full disk); nothing is left behind either way.
    public static func write(_ bytes: [UInt8], to path: String) throws(AnonymityError) {
        let folder = folderOf(path)
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let temporary = folder + "/.\(name).tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw AnonymityError(.cannotCreate, "\(path): cannot create a temporary file in \(folder) (\(String(cString: strerror(errno))))")
        }
        var failure: String?
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = writeSome(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += written
            }
        }
        if failure == nil && fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
        close(descriptor)
        if let failure {
            unlink(temporary)
            throw AnonymityError(.ioError, "\(path): writing failed (\(failure)); nothing was written")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw AnonymityError(.cannotCreate, "\(path): cannot be created (\(reason)); nothing was written")
        }
        let folderDescriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }

    private static func folderOf(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let folder = String(path[..<slash])
        return folder.isEmpty ? "/" : folder
    }
}

/// `write(2)`, named apart from ``GeneralisedOutput/write(_:to:)``.
private func writeSome(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
