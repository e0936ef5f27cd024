public import ConfideStore

/// The staging schema of the confide store.
///
/// Only canonical, allowlisted fields have a column. Identifiers are HMAC-SHA256 pseudonyms
/// (the first 128 bits, a 16-byte BLOB since version 10; hex text before); dates are ISO
/// `YYYY-MM-DD` in the practice's time zone.
/// Quarantine rows carry file, line, column and a reason code, never a value.
public enum Schema {
    /// The version that stores pseudonyms as BLOBs (``version10``): a store upgraded across it
    /// is compacted once afterwards, since the rebuild frees pages as large as its tables.
    public static let compactLayoutVersion = 10

    /// The migrator that brings a store to the current schema.
    public static let migrator = Migrator(steps: [version1, version2, version3, version4, version5, version6, version7, version8, version9, version10, version11, version12, version13,
                                                   version14],
                                          prepare: { db in try db.defineHexDecoder(named: "confide_unhex") },
                                          finish: { db in db.beforeCommit = referralProgressRefresh })

    static let version1 = """
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) STRICT;
    CREATE TABLE referrals (
        referral_id TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        received_date TEXT NOT NULL,
        age INTEGER,
        gender TEXT NOT NULL,
        ethnicity TEXT NOT NULL,
        postcode_district TEXT,
        referral_source TEXT NOT NULL,
        presenting_problem TEXT NOT NULL,
        end_date TEXT,
        end_reason TEXT,
        seen_run INTEGER NOT NULL DEFAULT 0
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX referrals_client ON referrals(client_id);
    CREATE INDEX referrals_received ON referrals(received_date);
    CREATE TABLE appointments (
        appointment_id TEXT PRIMARY KEY,
        referral_id TEXT NOT NULL REFERENCES referrals(referral_id),
        therapist_id TEXT NOT NULL,
        date TEXT NOT NULL,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        modality TEXT NOT NULL,
        delivery TEXT NOT NULL,
        duration_minutes INTEGER,
        seen_run INTEGER NOT NULL DEFAULT 0
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX appointments_referral ON appointments(referral_id);
    CREATE INDEX appointments_date ON appointments(date);
    CREATE TABLE measures (
        referral_id TEXT NOT NULL REFERENCES referrals(referral_id),
        date TEXT NOT NULL,
        instrument TEXT NOT NULL,
        score INTEGER NOT NULL,
        seen_run INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (referral_id, date, instrument)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE ingest_runs (
        run_id INTEGER PRIMARY KEY,
        started TEXT NOT NULL,
        source TEXT NOT NULL
    ) STRICT;
    CREATE TABLE ingest_files (
        run_id INTEGER NOT NULL REFERENCES ingest_runs(run_id),
        file TEXT NOT NULL,
        read INTEGER NOT NULL,
        inserted INTEGER NOT NULL,
        updated INTEGER NOT NULL,
        unchanged INTEGER NOT NULL,
        quarantined INTEGER NOT NULL,
        dropped_columns TEXT NOT NULL,
        PRIMARY KEY (run_id, file),
        CHECK (read = inserted + updated + unchanged + quarantined)
    ) STRICT;
    CREATE TABLE quarantine (
        run_id INTEGER NOT NULL REFERENCES ingest_runs(run_id),
        file TEXT NOT NULL,
        line INTEGER NOT NULL,
        column_name TEXT NOT NULL,
        reason TEXT NOT NULL
    ) STRICT;
    CREATE TABLE releases (
        period TEXT PRIMARY KEY,
        created TEXT NOT NULL,
        mode TEXT NOT NULL,
        epsilon REAL NOT NULL,
        delta REAL NOT NULL,
        data_hash TEXT NOT NULL,
        payload TEXT NOT NULL
    ) STRICT;
    CREATE TABLE ledger (
        entry_id INTEGER PRIMARY KEY,
        period TEXT NOT NULL,
        period_start TEXT NOT NULL,
        epsilon REAL NOT NULL,
        delta REAL NOT NULL,
        created TEXT NOT NULL,
        note TEXT NOT NULL
    ) STRICT;
    CREATE TABLE runs (
        run_id INTEGER PRIMARY KEY,
        started TEXT NOT NULL,
        finished TEXT,
        command TEXT NOT NULL,
        period TEXT,
        outcome TEXT NOT NULL,
        exit_code INTEGER NOT NULL,
        detail TEXT NOT NULL
    ) STRICT;
    """

    /// Version 2 (ingest for real practices): rows waiting for their referral, held exactly as
    /// they would be stored (pseudonymised, allowlisted columns only), and the export mode and
    /// snapshot reconciliation of each ingest run.
    static let version2 = """
    CREATE TABLE pending_appointments (
        appointment_id TEXT PRIMARY KEY,
        referral_id TEXT NOT NULL,
        therapist_id TEXT NOT NULL,
        date TEXT NOT NULL,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        modality TEXT NOT NULL,
        delivery TEXT NOT NULL,
        duration_minutes INTEGER,
        deferred_run INTEGER NOT NULL,
        line INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX pending_appointments_referral ON pending_appointments(referral_id);
    CREATE TABLE pending_measures (
        referral_id TEXT NOT NULL,
        date TEXT NOT NULL,
        instrument TEXT NOT NULL,
        score INTEGER NOT NULL,
        deferred_run INTEGER NOT NULL,
        line INTEGER NOT NULL,
        PRIMARY KEY (referral_id, date, instrument)
    ) STRICT, WITHOUT ROWID;
    ALTER TABLE ingest_runs ADD COLUMN mode TEXT NOT NULL DEFAULT 'snapshot';
    ALTER TABLE ingest_runs ADD COLUMN missing_from_snapshot INTEGER;
    """

    /// Version 3 (metrics at 1,000,000 clients): indexes that answer a week's metrics without
    /// a row lookup per appointment. The therapists seen in 13 weeks come from the date index
    /// alone, and a referral's attended contacts from a partial index that holds every column
    /// the metrics read (a week's open-referral contacts at 1,000,000 clients: 4.7 s to 2.1 s;
    /// the therapists: 1.8 s to 0.08 s; docs/performance.md).
    static let version3 = """
    DROP INDEX appointments_date;
    CREATE INDEX appointments_date ON appointments(date, therapist_id);
    CREATE INDEX appointments_attended ON appointments(referral_id, date, kind, therapist_id, modality, delivery)
        WHERE status IN ('attended', 'attended_late');
    """

    /// Version 4 (lifetime accounting): a charge's per-event part. `epsilon` is now what the
    /// release charges every client (its state slots); `epsilon_events` the ε of one event of
    /// each kind (`{"finished": 3.5, ...}`) and `events_per_year` the bound on a client's events
    /// of a kind in any 52 weeks. Rows written before were charged wholly per release, which
    /// their defaults say.
    static let version4 = """
    ALTER TABLE ledger ADD COLUMN epsilon_events TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE ledger ADD COLUMN events_per_year INTEGER NOT NULL DEFAULT 0;
    """

    /// Version 5 (supervision periods): the stored therapist releases, one per supervision
    /// period (`period` is `YYYY-Www/YYYY-Www`, `last_week` the week whose run released it),
    /// kept apart from the weekly releases so that a window of weeks never mixes the two.
    static let version5 = """
    CREATE TABLE supervision_releases (
        period TEXT PRIMARY KEY,
        last_week TEXT NOT NULL,
        created TEXT NOT NULL,
        mode TEXT NOT NULL,
        epsilon REAL NOT NULL,
        delta REAL NOT NULL,
        data_hash TEXT NOT NULL,
        payload TEXT NOT NULL
    ) STRICT;
    """

    /// Version 6 (retention and erasure, issue 16):
    ///
    /// - `forgotten`: the clients a practice asked to be erased (`confide forget`) and their
    ///   referrals, each as a *tombstone*: a keyed HMAC of the stored pseudonym in a domain of
    ///   its own, so the table matches none of the pseudonyms the store held (in this file or in
    ///   a backup) and holds no raw id; a re-ingest skips their rows (`forgotten`).
    /// - `expired`: the tombstones of referrals deleted when their retention period passed
    ///   (`confide purge`); a re-ingest skips their rows (`expired`).
    /// - `ingest_files` gains the two counts and a reconciliation that includes them
    ///   (read = inserted + updated + unchanged + quarantined + expired + forgotten), and the
    ///   count of referral rows marked `restricted`; the table is rebuilt for the new check.
    /// - `referrals.restricted`: 1 when the practice marked the client as needing more
    ///   protection (excluded from supervision-level figures and case lists).
    static let version6 = """
    CREATE TABLE forgotten (
        tombstone TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('client', 'referral'))
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE expired (
        tombstone TEXT PRIMARY KEY
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE ingest_files_v6 (
        run_id INTEGER NOT NULL REFERENCES ingest_runs(run_id),
        file TEXT NOT NULL,
        read INTEGER NOT NULL,
        inserted INTEGER NOT NULL,
        updated INTEGER NOT NULL,
        unchanged INTEGER NOT NULL,
        quarantined INTEGER NOT NULL,
        dropped_columns TEXT NOT NULL,
        expired INTEGER NOT NULL DEFAULT 0,
        forgotten INTEGER NOT NULL DEFAULT 0,
        restricted INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (run_id, file),
        CHECK (read = inserted + updated + unchanged + quarantined + expired + forgotten)
    ) STRICT;
    INSERT INTO ingest_files_v6 (run_id, file, read, inserted, updated, unchanged, quarantined, dropped_columns)
        SELECT run_id, file, read, inserted, updated, unchanged, quarantined, dropped_columns FROM ingest_files;
    DROP TABLE ingest_files;
    ALTER TABLE ingest_files_v6 RENAME TO ingest_files;
    ALTER TABLE referrals ADD COLUMN restricted INTEGER NOT NULL DEFAULT 0;
    """

    /// Case lists (`[supervision] case_lists`): each therapist's protected list of a period,
    /// made with the period's release and re-published from here, never re-made.
    static let version7 = """
    CREATE TABLE case_lists (
        period TEXT NOT NULL,
        therapist TEXT NOT NULL,
        created TEXT NOT NULL,
        payload TEXT NOT NULL,
        PRIMARY KEY (period, therapist)
    ) STRICT;
    """

    /// Version 8 (`version8_weekly`: a week's metrics at 1,000,000 clients, issue 17): two
    /// partial indexes the weekly metrics read instead of scanning every referral.
    ///
    /// - `referrals_ended`: referrals by end date, for the week's endings and finished courses
    ///   (`r.end_date BETWEEN …`, a scan of the whole table before). Open referrals, most of
    ///   them, have no entry.
    /// - `referrals_restricted`: the referrals marked `restricted`, by client, so the restricted
    ///   clients are read once per computation instead of by a subquery for every row.
    /// - `appointments_attended` again, with `status` as its last column. SQLite (3.40) does not
    ///   count a partial index as covering when the query names a column the index lacks, even
    ///   one its `WHERE` fixes, so version 3's index cost a row lookup per attended contact
    ///   (`SEARCH … USING INDEX`, not `COVERING INDEX`). Rebuilding it reads every appointment
    ///   once (about 2 s of CPU per 100,000 clients).
    static let version8 = """
    CREATE INDEX referrals_ended ON referrals(end_date) WHERE end_date IS NOT NULL;
    CREATE INDEX referrals_restricted ON referrals(client_id) WHERE restricted = 1;
    DROP INDEX appointments_attended;
    CREATE INDEX appointments_attended ON appointments(referral_id, date, kind, therapist_id, modality, delivery, status)
        WHERE status IN ('attended', 'attended_late');
    """

    /// Version 9 (snapshot re-ingest at national scale, issue 17): each stored row keeps the
    /// keyed digest of the source record it was loaded from (`row_digest`: SipHash-2-4 under a
    /// key derived from the practice key and the file's mapping, 64 bits; without the key it
    /// cannot be linked to any source value) and the fields whose value fell back to a
    /// vocabulary's fallback (`row_fallbacks`, a bit per position in the file's canonical
    /// fields). A snapshot ingest reads the digests once and counts a record it recognises as
    /// unchanged without parsing it or writing to the store. Rows stored before this version
    /// have no digest: the next ingest compares them as before and fills it in.
    static let version9 = """
    ALTER TABLE referrals ADD COLUMN row_digest INTEGER;
    ALTER TABLE referrals ADD COLUMN row_fallbacks INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE appointments ADD COLUMN row_digest INTEGER;
    ALTER TABLE appointments ADD COLUMN row_fallbacks INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE measures ADD COLUMN row_digest INTEGER;
    ALTER TABLE measures ADD COLUMN row_fallbacks INTEGER NOT NULL DEFAULT 0;
    """

    /// Version 10 (a smaller store, issue 17): every pseudonym (`referral_id`, `client_id`,
    /// `appointment_id`) is the 16-byte BLOB of its HMAC prefix instead of 32 hex digits, in the
    /// three data tables and the two waiting tables, and so in every index that holds one. The
    /// keys sort as before (hex keeps the byte order), so every query returns its rows in the
    /// order it did and every release is computed byte for byte as before.
    ///
    /// The tables are rebuilt in place, in one transaction: each copied into a new table with
    /// its keys decoded (`confide_unhex`, defined by ``migrator``), the old ones dropped, the new
    /// ones renamed (SQLite rewrites the foreign keys to the new names) and their indexes built
    /// again under the same names. Tombstones (`forgotten`, `expired`) keep their text: they are
    /// keyed HMACs of the hex pseudonym, compared as text.
    static let version10 = """
    CREATE TABLE referrals_v10 (
        referral_id BLOB PRIMARY KEY,
        client_id BLOB NOT NULL,
        received_date TEXT NOT NULL,
        age INTEGER,
        gender TEXT NOT NULL,
        ethnicity TEXT NOT NULL,
        postcode_district TEXT,
        referral_source TEXT NOT NULL,
        presenting_problem TEXT NOT NULL,
        end_date TEXT,
        end_reason TEXT,
        seen_run INTEGER NOT NULL DEFAULT 0,
        restricted INTEGER NOT NULL DEFAULT 0,
        row_digest INTEGER,
        row_fallbacks INTEGER NOT NULL DEFAULT 0
    ) STRICT, WITHOUT ROWID;
    INSERT INTO referrals_v10
        SELECT confide_unhex(referral_id), confide_unhex(client_id), received_date, age, gender, ethnicity, postcode_district,
               referral_source, presenting_problem, end_date, end_reason, seen_run, restricted, row_digest, row_fallbacks
        FROM referrals ORDER BY referral_id;
    CREATE TABLE appointments_v10 (
        appointment_id BLOB PRIMARY KEY,
        referral_id BLOB NOT NULL REFERENCES referrals_v10(referral_id),
        therapist_id TEXT NOT NULL,
        date TEXT NOT NULL,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        modality TEXT NOT NULL,
        delivery TEXT NOT NULL,
        duration_minutes INTEGER,
        seen_run INTEGER NOT NULL DEFAULT 0,
        row_digest INTEGER,
        row_fallbacks INTEGER NOT NULL DEFAULT 0
    ) STRICT, WITHOUT ROWID;
    INSERT INTO appointments_v10
        SELECT confide_unhex(appointment_id), confide_unhex(referral_id), therapist_id, date, kind, status, modality, delivery,
               duration_minutes, seen_run, row_digest, row_fallbacks
        FROM appointments ORDER BY appointment_id;
    CREATE TABLE measures_v10 (
        referral_id BLOB NOT NULL REFERENCES referrals_v10(referral_id),
        date TEXT NOT NULL,
        instrument TEXT NOT NULL,
        score INTEGER NOT NULL,
        seen_run INTEGER NOT NULL DEFAULT 0,
        row_digest INTEGER,
        row_fallbacks INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (referral_id, date, instrument)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO measures_v10
        SELECT confide_unhex(referral_id), date, instrument, score, seen_run, row_digest, row_fallbacks
        FROM measures ORDER BY referral_id, date, instrument;
    CREATE TABLE pending_appointments_v10 (
        appointment_id BLOB PRIMARY KEY,
        referral_id BLOB NOT NULL,
        therapist_id TEXT NOT NULL,
        date TEXT NOT NULL,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        modality TEXT NOT NULL,
        delivery TEXT NOT NULL,
        duration_minutes INTEGER,
        deferred_run INTEGER NOT NULL,
        line INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;
    INSERT INTO pending_appointments_v10
        SELECT confide_unhex(appointment_id), confide_unhex(referral_id), therapist_id, date, kind, status, modality, delivery,
               duration_minutes, deferred_run, line
        FROM pending_appointments;
    CREATE TABLE pending_measures_v10 (
        referral_id BLOB NOT NULL,
        date TEXT NOT NULL,
        instrument TEXT NOT NULL,
        score INTEGER NOT NULL,
        deferred_run INTEGER NOT NULL,
        line INTEGER NOT NULL,
        PRIMARY KEY (referral_id, date, instrument)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO pending_measures_v10
        SELECT confide_unhex(referral_id), date, instrument, score, deferred_run, line FROM pending_measures;
    DROP TABLE measures;
    DROP TABLE appointments;
    DROP TABLE pending_measures;
    DROP TABLE pending_appointments;
    DROP TABLE referrals;
    ALTER TABLE referrals_v10 RENAME TO referrals;
    ALTER TABLE appointments_v10 RENAME TO appointments;
    ALTER TABLE measures_v10 RENAME TO measures;
    ALTER TABLE pending_appointments_v10 RENAME TO pending_appointments;
    ALTER TABLE pending_measures_v10 RENAME TO pending_measures;
    CREATE INDEX referrals_client ON referrals(client_id);
    CREATE INDEX referrals_received ON referrals(received_date);
    CREATE INDEX referrals_ended ON referrals(end_date) WHERE end_date IS NOT NULL;
    CREATE INDEX referrals_restricted ON referrals(client_id) WHERE restricted = 1;
    CREATE INDEX appointments_referral ON appointments(referral_id);
    CREATE INDEX appointments_date ON appointments(date, therapist_id);
    CREATE INDEX appointments_attended ON appointments(referral_id, date, kind, therapist_id, modality, delivery, status)
        WHERE status IN ('attended', 'attended_late');
    CREATE INDEX pending_appointments_referral ON pending_appointments(referral_id);
    """
}
