/// Why an anonymisation or a risk computation cannot go on. Messages name files, columns and
/// lines, never a value from the data.
public struct AnonymityError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is; the command line maps each kind to a documented exit code.
    public enum Kind: Sendable, Equatable {
        /// A bad combination of options (exit 64).
        case usage
        /// The input or a hierarchy is unusable, or no transformation meets the model (exit 65).
        case dataError
        /// An input file is missing or unreadable (exit 66).
        case noInput
        /// The output cannot be created (exit 73).
        case cannotCreate
        /// Writing the output failed part-way, for example on a full disk (exit 74).
        case ioError
    }

    /// The kind of failure.
    public let kind: Kind
    /// The message for the operator.
    public let message: String

    /// Creates an error.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
