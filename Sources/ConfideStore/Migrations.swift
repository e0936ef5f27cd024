/// Versioned schema changes, applied in order and recorded in `PRAGMA user_version`.
///
/// A migration is never edited once released: add a new one instead.
public struct Migrator: Sendable {
    /// The SQL of each version; version N is `steps[N - 1]`.
    public let steps: [String]

    /// What a connection needs before the steps run (SQL functions a step calls).
    public let prepare: @Sendable (Database) throws -> Void
    /// What every connection the migrator has brought to the latest version needs (such as
    /// ``Database/beforeCommit``); it runs after the steps, on each call of ``migrate(_:)``.
    public let finish: @Sendable (Database) throws -> Void

    /// Creates a migrator from the ordered steps; `prepare` runs on the connection before any
    /// step, `finish` after the last one.
    public init(steps: [String], prepare: @escaping @Sendable (Database) throws -> Void = { _ in },
                finish: @escaping @Sendable (Database) throws -> Void = { _ in }) {
        self.steps = steps
        self.prepare = prepare
        self.finish = finish
    }

    /// The schema version this migrator brings a database to.
    public var latestVersion: Int { steps.count }

    /// Applies every step newer than the database's version, each in its own transaction, then
    /// runs `finish`.
    /// Throws when the database is newer than this code knows.
    public func migrate(_ db: Database) throws {
        let current = try db.scalarInt("PRAGMA user_version") ?? 0
        guard current <= steps.count else {
            throw DatabaseError(resultCode: 1, message: "the store has schema version \(current), newer than this confide understands (\(steps.count)); upgrade confide")
        }
        if current < steps.count { try prepare(db) }
        db.beforeCommit = nil  // set by `finish` for the latest layout; a step runs without it
        for version in (current + 1)...max(current + 1, steps.count) where version <= steps.count {
            try db.write { db in
                try db.execute(steps[version - 1])
                try db.execute("PRAGMA user_version = \(version)")
            }
        }
        try finish(db)
    }
}
