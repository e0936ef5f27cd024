public import ConfidePostgres

/// The schema of a PostgreSQL store (issue 18): the tables, columns, keys and indexes of the
/// SQLite store's current version (``Schema/migrator``), in PostgreSQL's types.
///
/// - `BLOB` is `BYTEA` (16-byte pseudonyms), `INTEGER` is `BIGINT`, `REAL` is `DOUBLE
///   PRECISION`; dates stay ISO text, so that a query compares them as SQLite's does.
/// - `referrals.referral_key` is an identity column: like SQLite's `AUTOINCREMENT` its
///   sequence never gives a number twice, so no row can take a deleted referral's number. So
///   are the other keys SQLite numbers itself when an insert leaves them out (an `INTEGER
///   PRIMARY KEY`: `ingest_runs.run_id`, `ledger.entry_id`, `runs.run_id`).
/// - The four triggers that note referrals whose attended contacts changed
///   (`referral_progress_stale`) keep SQLite's names and conditions and call one PL/pgSQL
///   function, told which row's referral to note.
/// - The version lives in `meta` (`schema_version`), where SQLite keeps it in `PRAGMA
///   user_version`.
///
/// A PostgreSQL store is created at ``baseVersion`` and brought up by ``steps``, each its own
/// transaction, as SQLite's migrator does; each later change of the SQLite schema comes with
/// its PostgreSQL step (a test holds the two versions equal).
public enum PostgresSchema {
    /// The version a new PostgreSQL store is created at (the SQLite schema's version when
    /// PostgreSQL stores began).
    public static let baseVersion = 14

    /// The steps after ``baseVersion``, in order: `steps[i]` brings a store from version
    /// `baseVersion + i` to `baseVersion + i + 1`. Never edited once released.
    static let steps: [String] = []

    /// The version this confide writes: the SQLite store's.
    public static var version: Int { baseVersion + steps.count }

    /// What is wrong with a database as a confide store.
    public enum Problem: Error, Sendable, Equatable {
        /// The database holds no confide schema (no `meta` table).
        case missing
        /// The database's schema is newer than this confide understands.
        case newer(Int)
        /// The database's schema is older than this confide writes (no step exists yet).
        case older(Int)
    }

    /// Checks that `db`'s database holds a confide store of this version.
    ///
    /// - Throws: ``Problem/missing`` when it has no confide schema, ``Problem/newer(_:)`` or
    ///   ``Problem/older(_:)`` when it is not this version; ``PostgresError`` when it cannot be
    ///   read (a permission, a lost connection).
    public static func check(_ db: PostgresConnection) throws {
        let stored = try storedVersion(db)
        if stored > version { throw Problem.newer(stored) }
        if stored < version { throw Problem.older(stored) }
    }

    /// The version of the confide store in `db`'s database.
    ///
    /// - Throws: ``Problem/missing`` when it has none.
    static func storedVersion(_ db: PostgresConnection) throws -> Int {
        guard try db.scalarString("SELECT to_regclass('meta')::text") != nil else { throw Problem.missing }
        return try db.scalarInt("SELECT value::bigint FROM meta WHERE key = 'schema_version'") ?? 0
    }

    /// Creates the schema in `db`'s database at ``baseVersion``, in one transaction, unless it
    /// is there already, then brings it to ``version`` (``migrate(_:steps:)``).
    ///
    /// - Returns: true when it was created now, false when the database already had it.
    /// - Throws: ``Problem/newer(_:)`` for a schema of a newer confide; ``PostgresError`` when
    ///   the user may not create tables (kind `permission`) or the connection fails (nothing of
    ///   the failed transaction is then kept).
    @discardableResult
    public static func create(on db: PostgresConnection) throws -> Bool {
        let created = try db.transaction { db in
            // Two confides creating the schema at once: the second waits, then finds it.
            try db.query("SELECT pg_advisory_xact_lock($1::bigint)", [schemaLock])
            do {
                _ = try storedVersion(db)
                return false
            } catch Problem.missing {
                try db.execute(tables)
                try db.execute(progressTriggers)
                try db.query("INSERT INTO meta (key, value) VALUES ('schema_version', $1)", [String(baseVersion)])
                return true
            }
        }
        try migrate(db)
        return created
    }

    /// Applies every step newer than the store's version, each in its own transaction under
    /// the schema lock (a second confide waits, then finds the step done), recording the new
    /// version in the same transaction.
    ///
    /// - Returns: the versions before and after.
    /// - Throws: ``Problem/missing`` or ``Problem/newer(_:)``; ``PostgresError`` when a step
    ///   fails (its transaction, and only it, is rolled back).
    @discardableResult
    public static func migrate(_ db: PostgresConnection) throws -> (from: Int, to: Int) {
        try migrate(db, steps: steps)
    }

    /// ``migrate(_:)`` with the steps given (tests).
    static func migrate(_ db: PostgresConnection, steps: [String]) throws -> (from: Int, to: Int) {
        let latest = baseVersion + steps.count
        let from = try storedVersion(db)
        if from > latest { throw Problem.newer(from) }
        var current = from
        while current < latest {
            current = try db.transaction { db in
                try db.query("SELECT pg_advisory_xact_lock($1::bigint)", [schemaLock])
                let stored = try storedVersion(db)
                guard stored < latest else { return stored }
                guard stored >= baseVersion else { throw Problem.older(stored) }
                try db.execute(steps[stored - baseVersion])
                try db.query("UPDATE meta SET value = $1 WHERE key = 'schema_version'", [String(stored + 1)])
                return stored + 1
            }
        }
        return (from, current)
    }

    /// The advisory lock key that serialises schema creation (`confide` in ASCII).
    static let schemaLock: Int64 = 0x636f_6e66_6964_65

    /// The tables and indexes of version 14.
    static let tables = """
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE ingest_runs (
        run_id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        started TEXT NOT NULL,
        source TEXT NOT NULL,
        mode TEXT NOT NULL DEFAULT 'snapshot',
        missing_from_snapshot BIGINT
    );
    CREATE TABLE quarantine (
        run_id BIGINT NOT NULL REFERENCES ingest_runs(run_id),
        file TEXT NOT NULL,
        line BIGINT NOT NULL,
        column_name TEXT NOT NULL,
        reason TEXT NOT NULL
    );
    CREATE TABLE releases (
        period TEXT PRIMARY KEY,
        created TEXT NOT NULL,
        mode TEXT NOT NULL,
        epsilon DOUBLE PRECISION NOT NULL,
        delta DOUBLE PRECISION NOT NULL,
        data_hash TEXT NOT NULL,
        payload TEXT NOT NULL
    );
    CREATE TABLE ledger (
        entry_id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        period TEXT NOT NULL,
        period_start TEXT NOT NULL,
        epsilon DOUBLE PRECISION NOT NULL,
        delta DOUBLE PRECISION NOT NULL,
        created TEXT NOT NULL,
        note TEXT NOT NULL,
        epsilon_events TEXT NOT NULL DEFAULT '{}',
        events_per_year BIGINT NOT NULL DEFAULT 0
    );
    CREATE TABLE runs (
        run_id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        started TEXT NOT NULL,
        finished TEXT,
        command TEXT NOT NULL,
        period TEXT,
        outcome TEXT NOT NULL,
        exit_code BIGINT NOT NULL,
        detail TEXT NOT NULL
    );
    CREATE TABLE supervision_releases (
        period TEXT PRIMARY KEY,
        last_week TEXT NOT NULL,
        created TEXT NOT NULL,
        mode TEXT NOT NULL,
        epsilon DOUBLE PRECISION NOT NULL,
        delta DOUBLE PRECISION NOT NULL,
        data_hash TEXT NOT NULL,
        payload TEXT NOT NULL
    );
    CREATE TABLE forgotten (
        tombstone TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('client', 'referral'))
    );
    CREATE TABLE expired (
        tombstone TEXT PRIMARY KEY
    );
    CREATE TABLE ingest_files (
        run_id BIGINT NOT NULL REFERENCES ingest_runs(run_id),
        file TEXT NOT NULL,
        read BIGINT NOT NULL,
        inserted BIGINT NOT NULL,
        updated BIGINT NOT NULL,
        unchanged BIGINT NOT NULL,
        quarantined BIGINT NOT NULL,
        dropped_columns TEXT NOT NULL,
        expired BIGINT NOT NULL DEFAULT 0,
        forgotten BIGINT NOT NULL DEFAULT 0,
        restricted BIGINT NOT NULL DEFAULT 0,
        PRIMARY KEY (run_id, file),
        CHECK (read = inserted + updated + unchanged + quarantined + expired + forgotten)
    );
    CREATE TABLE case_lists (
        period TEXT NOT NULL,
        therapist TEXT NOT NULL,
        created TEXT NOT NULL,
        payload TEXT NOT NULL,
        PRIMARY KEY (period, therapist)
    );
    CREATE TABLE pending_appointments (
        appointment_id BYTEA PRIMARY KEY,
        referral_id BYTEA NOT NULL,
        therapist_id TEXT NOT NULL,
        date TEXT NOT NULL,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        modality TEXT NOT NULL,
        delivery TEXT NOT NULL,
        duration_minutes BIGINT,
        deferred_run BIGINT NOT NULL,
        line BIGINT NOT NULL
    );
    CREATE INDEX pending_appointments_referral ON pending_appointments(referral_id);
    CREATE TABLE pending_measures (
        referral_id BYTEA NOT NULL,
        date TEXT NOT NULL,
        instrument TEXT NOT NULL,
        score BIGINT NOT NULL,
        deferred_run BIGINT NOT NULL,
        line BIGINT NOT NULL,
        PRIMARY KEY (referral_id, date, instrument)
    );
    CREATE TABLE referrals (
        referral_id BYTEA NOT NULL,
        client_id BYTEA NOT NULL,
        received_date TEXT NOT NULL,
        age BIGINT,
        gender TEXT NOT NULL,
        ethnicity TEXT NOT NULL,
        postcode_district TEXT,
        referral_source TEXT NOT NULL,
        presenting_problem TEXT NOT NULL,
        end_date TEXT,
        end_reason TEXT,
        seen_run BIGINT NOT NULL DEFAULT 0,
        restricted BIGINT NOT NULL DEFAULT 0,
        row_digest BIGINT,
        row_fallbacks BIGINT NOT NULL DEFAULT 0,
        referral_key BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY
    );
    CREATE UNIQUE INDEX referrals_id ON referrals(referral_id);
    CREATE INDEX referrals_client ON referrals(client_id);
    CREATE INDEX referrals_received ON referrals(received_date);
    CREATE INDEX referrals_ended ON referrals(end_date) WHERE end_date IS NOT NULL;
    CREATE INDEX referrals_restricted ON referrals(client_id) WHERE restricted = 1;
    CREATE TABLE appointments (
        appointment_id BYTEA NOT NULL,
        referral_key BIGINT NOT NULL REFERENCES referrals(referral_key),
        therapist_id TEXT NOT NULL,
        date TEXT NOT NULL,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        modality TEXT NOT NULL,
        delivery TEXT NOT NULL,
        duration_minutes BIGINT,
        seen_run BIGINT NOT NULL DEFAULT 0,
        row_digest BIGINT,
        row_fallbacks BIGINT NOT NULL DEFAULT 0,
        PRIMARY KEY (date, appointment_id)
    );
    CREATE UNIQUE INDEX appointments_id ON appointments(appointment_id);
    CREATE INDEX appointments_referral ON appointments(referral_key, date, appointment_id, kind, therapist_id, modality, delivery, status);
    CREATE TABLE measures (
        referral_key BIGINT NOT NULL REFERENCES referrals(referral_key),
        date TEXT NOT NULL,
        instrument TEXT NOT NULL,
        score BIGINT NOT NULL,
        seen_run BIGINT NOT NULL DEFAULT 0,
        row_digest BIGINT,
        row_fallbacks BIGINT NOT NULL DEFAULT 0,
        PRIMARY KEY (referral_key, date, instrument)
    );
    CREATE TABLE referral_progress (
        referral_key BIGINT PRIMARY KEY,
        first_treatment TEXT,
        second_treatment TEXT,
        last_date TEXT NOT NULL,
        last_kind TEXT NOT NULL,
        last_therapist TEXT NOT NULL,
        last_modality TEXT NOT NULL,
        last_delivery TEXT NOT NULL
    );
    CREATE TABLE referral_progress_stale (
        referral_key BIGINT PRIMARY KEY
    );
    """

    /// ``Schema/referralProgressRefresh`` in PostgreSQL's SQL: run at the end of every
    /// transaction that writes contacts (PostgreSQL has no hook before a commit), it computes
    /// again the progress rows of the referrals the triggers noted, and clears the note. The
    /// latest attended contact is the last by date, then pseudonym (SQLite's
    /// `max(date || hex(appointment_id))`), read backwards from the end of the referral's
    /// stretch of `appointments_referral` (a join and sort of every attended contact took
    /// three times as long for a week's delta). Whether a stale referral has any attended
    /// contact left is asked the same way, a referral at a time: as an anti-join the planner
    /// (which knows nothing of the note table's rows) scanned every attended contact.
    public static let referralProgressRefresh = """
    INSERT INTO referral_progress (referral_key, first_treatment, second_treatment, last_date, last_kind,
                                   last_therapist, last_modality, last_delivery)
    SELECT latest.referral_key, (\(treatmentSessions) LIMIT 1), (\(treatmentSessions) LIMIT 1 OFFSET 1),
           latest.date, latest.kind, latest.therapist_id, latest.modality, latest.delivery
    FROM referral_progress_stale AS s CROSS JOIN LATERAL (
        SELECT a.referral_key, a.date, a.kind, a.therapist_id, a.modality, a.delivery FROM appointments a
        WHERE a.referral_key = s.referral_key AND a.status IN ('attended', 'attended_late')
        ORDER BY a.date DESC, a.appointment_id DESC LIMIT 1) AS latest
    ON CONFLICT (referral_key) DO UPDATE SET first_treatment = excluded.first_treatment, second_treatment = excluded.second_treatment,
        last_date = excluded.last_date, last_kind = excluded.last_kind, last_therapist = excluded.last_therapist,
        last_modality = excluded.last_modality, last_delivery = excluded.last_delivery;
    DELETE FROM referral_progress AS p USING referral_progress_stale AS s
    WHERE p.referral_key = s.referral_key
        AND (SELECT count(*) FROM (SELECT 1 FROM appointments a
                                   WHERE a.referral_key = s.referral_key AND a.status IN ('attended', 'attended_late') LIMIT 1) AS attended) = 0;
    DELETE FROM referral_progress_stale;
    """

    /// The dates of the attended treatment sessions of the referral `latest.referral_key`, in order.
    private static let treatmentSessions = """
        SELECT t.date FROM appointments t
        WHERE t.referral_key = latest.referral_key AND t.status IN ('attended', 'attended_late') AND t.kind = 'treatment'
        ORDER BY t.date, t.appointment_id
        """

    /// ``Schema/referralProgressTriggers`` in PL/pgSQL, trigger for trigger: an insert, delete
    /// or change of an attended contact notes its referral (the old one too when a contact
    /// moves); a change to columns the progress rows are not computed from notes nothing.
    static let progressTriggers = """
    CREATE FUNCTION appointments_progress_note() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_ARGV[0] = 'new' THEN
            INSERT INTO referral_progress_stale (referral_key) VALUES (NEW.referral_key) ON CONFLICT DO NOTHING;
        ELSE
            INSERT INTO referral_progress_stale (referral_key) VALUES (OLD.referral_key) ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
    END
    $$;
    CREATE TRIGGER appointments_progress_insert AFTER INSERT ON appointments
        FOR EACH ROW WHEN (NEW.status IN ('attended', 'attended_late')) EXECUTE FUNCTION appointments_progress_note('new');
    CREATE TRIGGER appointments_progress_delete AFTER DELETE ON appointments
        FOR EACH ROW WHEN (OLD.status IN ('attended', 'attended_late')) EXECUTE FUNCTION appointments_progress_note('old');
    CREATE TRIGGER appointments_progress_update
        AFTER UPDATE OF referral_key, date, kind, status, therapist_id, modality, delivery ON appointments
        FOR EACH ROW WHEN ((OLD.status IN ('attended', 'attended_late') OR NEW.status IN ('attended', 'attended_late'))
            AND (OLD.referral_key, OLD.date, OLD.kind, OLD.status, OLD.therapist_id, OLD.modality, OLD.delivery)
                IS DISTINCT FROM (NEW.referral_key, NEW.date, NEW.kind, NEW.status, NEW.therapist_id, NEW.modality, NEW.delivery))
        EXECUTE FUNCTION appointments_progress_note('new');
    CREATE TRIGGER appointments_progress_move AFTER UPDATE OF referral_key ON appointments
        FOR EACH ROW WHEN (OLD.referral_key IS DISTINCT FROM NEW.referral_key AND OLD.status IN ('attended', 'attended_late'))
        EXECUTE FUNCTION appointments_progress_note('old');
    """
}
