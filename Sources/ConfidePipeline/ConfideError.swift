/// The documented exit codes (`docs/operations.md`); sysexits where one fits.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Published, or already published (a no-op).
    case ok = 0
    /// Bad command line.
    case usage = 64
    /// Input rejected.
    case dataError = 65
    /// Input missing.
    case noInput = 66
    /// A service the command needs is unavailable: the PostgreSQL server of `[store] url`
    /// cannot be reached.
    case unavailable = 69
    /// Output cannot be created.
    case cannotCreate = 73
    /// I/O error, for example a full disk.
    case ioError = 74
    /// Another run holds the lock, or the store is busy: try later.
    case tryLater = 75
    /// Unsafe key file permissions, or the wrong key for this store.
    case noPermission = 77
    /// Bad configuration.
    case config = 78
    /// The release would pass the yearly privacy budget: nothing published.
    case budgetExhausted = 80
    /// The leak audit found an identifier: nothing published.
    case auditFailed = 81
}

/// An error with a clear, actionable message and its exit code. Messages name files, lines,
/// columns and rules, never a value from the data.
public struct ConfideError: Error, Sendable, CustomStringConvertible {
    /// The exit code.
    public let status: ExitStatus
    /// The message for the operator.
    public let message: String

    /// Creates an error.
    public init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
