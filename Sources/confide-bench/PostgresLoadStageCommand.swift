import ArgumentParser
import ConfidePostgres
import ConfideSchema
import ConfideStore
import Foundation

/// Issue 18's load floor on PostgreSQL: the rows of a loaded SQLite store (validated and
/// pseudonymised already) copied with `COPY FROM STDIN` (confide's `PostgresCopy`) into a new
/// PostgreSQL store's own tables, with the secondary indexes built afterwards, as a first load
/// would. Nothing of confide's per-row work (parsing, checks, HMAC) is in it: what is left is
/// what PostgreSQL's own keys and indexes cost, to set beside `bench/postgres_copy_floor.sh`
/// (raw CSV into unindexed tables) and `bench/ingest_floor.sh` (the same rows into SQLite).
struct PostgresLoadStageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "postgres-load-stage",
        abstract: "Copy a loaded SQLite store's rows into a new PostgreSQL store (its keys, then its indexes); print the measurement.")

    @Option(help: "A loaded SQLite store (for example a benchmark practice's run/confide.sqlite).")
    var store: String

    @Option(help: "An empty PostgreSQL database (postgresql://USER@HOST:PORT/DB; libpq finds the password).")
    var url: String

    @Option(help: "COPY format: text or binary.")
    var format: String = "binary"

    /// The tables copied, in load order (referrals first: the others reference them).
    static let tables = ["referrals", "appointments", "measures"]

    func run() throws {
        let copyFormat: PostgresCopy.Format
        switch format {
        case "text": copyFormat = .text
        case "binary": copyFormat = .binary
        default: throw ValidationError("--format is text or binary")
        }
        let sqlite = try Database(path: store, mode: .readOnly)
        let db = try PostgresConnection(try PostgresLocation(url: url))
        try PostgresSchema.create(on: db)
        // Secondary indexes and triggers off for the load, rebuilt after it (a first load's plan).
        let indexes = try db.query("""
            SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = ANY($1::text[])
                AND indexname NOT LIKE '%_pkey'
            """, ["{\(Self.tables.joined(separator: ","))}"]).map { ($0.string(0), $0.string(1)) }
        for (name, _) in indexes { try db.execute("DROP INDEX \(name)") }
        try db.execute("ALTER TABLE appointments DISABLE TRIGGER USER")
        // The primary keys and the references to referrals are built and checked once, after
        // the load, not once a row (primary keys first, as the references need them).
        let foreignKeys = try db.query("""
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
            WHERE contype IN ('f', 'p') AND connamespace = 'public'::regnamespace
                AND conrelid::regclass::text = ANY($1::text[])
            ORDER BY contype DESC
            """, ["{\(Self.tables.joined(separator: ","))}"]).map { ($0.string(0), $0.string(1), $0.string(2)) }
        for (table, name, _) in foreignKeys.reversed() { try db.execute("ALTER TABLE \(table) DROP CONSTRAINT \(name)") }
        var rows = 0
        var figures: [String: Double] = [:]
        let load = try StageMeasurement.measure("postgres_load") {
            try db.transaction(isolation: .readCommitted) { db in
                for table in Self.tables {
                    let started = Date()
                    let columns = try db.query("""
                        SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1
                        ORDER BY ordinal_position
                        """, [table]).map { $0.string(0) }
                    let copied = try db.copy(into: table, columns: columns, format: copyFormat) { copy in
                        try sqlite.makeStatement("SELECT \(columns.joined(separator: ", ")) FROM \(table)").forEachRow { row in
                            copy.append((0..<columns.count).map { row.value($0) })
                        }
                    }
                    rows += copied
                    figures["\(table)_rows"] = Double(copied)
                    figures["\(table)_seconds"] = Date().timeIntervalSince(started)
                }
            }
            figures["rows"] = Double(rows)
            return figures
        }
        let build = try StageMeasurement.measure("postgres_indexes") {
            for (table, name, definition) in foreignKeys { try db.execute("ALTER TABLE \(table) ADD CONSTRAINT \(name) \(definition)") }
            for (_, definition) in indexes { try db.execute(definition) }
            try db.execute("ALTER TABLE appointments ENABLE TRIGGER USER")
            try db.execute("SELECT setval(pg_get_serial_sequence('referrals', 'referral_key'), max(referral_key)) FROM referrals")
            try db.execute("ANALYZE")
            return ["indexes": Double(indexes.count), "constraints": Double(foreignKeys.count)]
        }
        // Every row arrived, and the references hold (the constraints were added back above).
        for table in Self.tables {
            let stored = try sqlite.scalarInt("SELECT count(*) FROM \(table)") ?? -1
            let copied = try db.scalarInt("SELECT count(*) FROM \(table)") ?? -2
            guard stored == copied else { throw ValidationError("\(table): \(stored) rows in the SQLite store, \(copied) in PostgreSQL") }
        }
        try load.emit()
        try build.emit()
        let size = try db.scalarInt("SELECT sum(pg_total_relation_size(oid)) FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace") ?? 0
        try StageMeasurement(stage: "postgres_load_total", seconds: load.seconds + build.seconds,
                             figures: ["rows": Double(rows), "rows_per_second": Double(rows) / (load.seconds + build.seconds),
                                       "store_bytes": Double(size)]).emit()
    }
}
