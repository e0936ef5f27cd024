import CLibPQ

/// Where a PostgreSQL store is: the `[store] url` of a practice, a libpq connection URI
/// (`postgresql://USER@HOST:PORT/DB`) that carries no password.
///
/// The password comes from where libpq looks for it: the password file (`~/.pgpass` or
/// `PGPASSFILE`), a service file (`PGSERVICEFILE`, `?service=NAME`) or `PGPASSWORD`, never from
/// the configuration file. A URL with a password in it is refused, and no message built from
/// a location ever holds one.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    /// The URL as configured (it holds no password).
    public let url: String
    /// The user, or nil for libpq's default (the operating-system user, `PGUSER`).
    public let user: String?
    /// The host, or nil for libpq's default (a local socket, `PGHOST`).
    public let host: String?
    /// The port, or nil for libpq's default (5432, `PGPORT`).
    public let port: String?
    /// The database, or nil for libpq's default (the user's name, `PGDATABASE`).
    public let database: String?

    /// Why a URL cannot name a store.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        /// Not a `postgresql://` or `postgres://` URL.
        case notPostgresURL
        /// libpq could not parse it (its message, which never repeats a password).
        case unparsable(String)
        /// It holds a password.
        case holdsPassword

        /// What to do about it.
        public var description: String {
            switch self {
            case .notPostgresURL:
                return "is not a PostgreSQL URL: write postgresql://USER@HOST:PORT/DATABASE"
            case .unparsable(let reason):
                return "is not a valid PostgreSQL URL (\(reason)): write postgresql://USER@HOST:PORT/DATABASE"
            case .holdsPassword:
                return "holds a password; passwords never go in confide.toml. Remove it from the URL and put it in a password file (PGPASSFILE, default ~/.pgpass, mode 0600), a service file (PGSERVICEFILE) or the PGPASSWORD environment variable"
            }
        }
    }

    /// Parses `url` with libpq's own parser.
    ///
    /// - Throws: ``Problem`` when `url` is not a PostgreSQL URL or holds a password.
    public init(url: String) throws(Problem) {
        guard url.hasPrefix("postgresql://") || url.hasPrefix("postgres://") else { throw .notPostgresURL }
        var message: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(url, &message) else {
            let reason = message.map { String(cString: $0).trimmingTrailingNewlines } ?? "unparsable"
            if let message { PQfreemem(message) }
            throw .unparsable(reason)
        }
        defer { PQconninfoFree(options) }
        var values: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { values[String(cString: keyword)] = String(cString: value) }
            option += 1
        }
        if let password = values["password"], !password.isEmpty { throw .holdsPassword }
        self.url = url
        user = values["user"]
        host = values["host"] ?? values["hostaddr"]
        port = values["port"]
        database = values["dbname"]
    }

    /// The server and database as messages name them: `USER@HOST:PORT/DB`, with libpq's
    /// defaults shown as `(default)`. Never holds a password.
    public var description: String {
        "\(user.map { "\($0)@" } ?? "")\(host ?? "(default host)"):\(port ?? "5432")/\(database ?? "(default database)")"
    }
}

extension String {
    /// The text without the newlines libpq ends its messages with.
    var trimmingTrailingNewlines: String {
        var text = Substring(self)
        while let last = text.last, last == "\n" || last == "\r" { text = text.dropLast() }
        return String(text)
    }
}
