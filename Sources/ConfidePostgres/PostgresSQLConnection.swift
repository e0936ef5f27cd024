public import ConfideStore

extension PostgresConnection: SQLConnection {
    /// Runs `sql`, its `?` placeholders numbered for PostgreSQL (``numberedPlaceholders(_:)``).
    public func execute(_ sql: String, _ arguments: [DatabaseValueConvertible]) throws {
        try query(Self.numberedPlaceholders(sql), arguments)
    }

    /// Runs `sql`, its `?` placeholders numbered, and maps each row.
    public func fetch<T>(_ sql: String, _ arguments: [DatabaseValueConvertible], _ transform: (any SQLRow) throws -> T) throws -> [T] {
        try query(Self.numberedPlaceholders(sql), arguments).map { try transform($0) }
    }

    /// ``transaction(isolation:_:)`` at `SERIALIZABLE`: what SQLite's `BEGIN IMMEDIATE` gave
    /// (no other writer commits in between), with a conflict failing this transaction as a
    /// whole instead of waiting.
    public func writeTransaction<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try transaction(isolation: .serializable) { try body($0) }
    }

    /// ``transaction(isolation:_:)`` at `REPEATABLE READ`: one snapshot for its reads.
    public func readTransaction<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try transaction(isolation: .repeatableRead) { try body($0) }
    }

    /// PostgreSQL's.
    public var dialect: SQLDialect { .postgres }

    /// `sql` with SQLite's placeholders written as PostgreSQL's: each `?` becomes `$1`, `$2`, …
    /// in order, and `?N` becomes `$N`; a `?` inside a quoted literal or identifier is left as
    /// it is.
    public static func numberedPlaceholders(_ sql: String) -> String {
        var result = ""
        result.reserveCapacity(sql.utf8.count + 8)
        var next = 1
        var quote: Character?
        var characters = sql.makeIterator()
        var pending: Character? = characters.next()
        while let character = pending {
            pending = characters.next()
            if let open = quote {
                result.append(character)
                if character == open { quote = nil }
                continue
            }
            if character == "'" || character == "\"" {
                quote = character
                result.append(character)
                continue
            }
            guard character == "?" else { result.append(character); continue }
            var digits = ""
            while let digit = pending, digit.isASCII, digit.isNumber {
                digits.append(digit)
                pending = characters.next()
            }
            if digits.isEmpty {
                result += "$\(next)"
                next += 1
            } else {
                result += "$" + digits
            }
        }
        return result
    }
}
