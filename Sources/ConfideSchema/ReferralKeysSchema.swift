/// Version 14: referrals numbered in the order they arrive.
extension Schema {
    /// The version that gives every referral an integer key (``version14``): an upgrade across
    /// it copies every referral, appointment and score once and frees the old tables' pages, so
    /// the store is compacted once afterwards, as across ``appointmentsByDateVersion``.
    public static let referralKeysVersion = 14

    /// Version 14 (the weekly run at 1,000,000 clients, issue 17): each referral gets
    /// `referral_key`, an integer given in the order referrals arrive (`INTEGER PRIMARY KEY
    /// AUTOINCREMENT`: one more than the largest ever given, never reused), and the tables that
    /// hang on a referral hold that key instead of its random 16-byte pseudonym:
    ///
    /// - `appointments.referral_key` (and `appointments_referral`, the contacts by referral),
    ///   `measures` keyed by `(referral_key, date, instrument)`, `referral_progress` and
    ///   `referral_progress_stale` keyed by it. A week's contacts and scores belong to open
    ///   referrals, most of them recent, so they land on the last pages of each B-tree instead
    ///   of one page each across the whole table (at 1,000,000 clients a week's appointments
    ///   and scores were written in 22.5 s with pseudonym keys and 7.4 s with these, measured in
    ///   the `sqlite3` shell; docs/performance.md).
    /// - `referrals` becomes a table keyed by `referral_key` with a unique index of the
    ///   pseudonym (`referrals_id`), which ingest, erasure and purge look referrals up by; its
    ///   other indexes point at the 8-byte key instead of the 16-byte pseudonym.
    /// - Rows waiting for their referral (`pending_*`) keep the pseudonym: their referral has no
    ///   key yet.
    ///
    /// The upgrade numbers the stored referrals by received date (then pseudonym), copies the
    /// child tables with the key looked up (a contact or score whose referral is not stored
    /// fails the upgrade, `NOT NULL`, rather than being dropped), and builds the indexes,
    /// triggers and progress rows again. Column order is unchanged; `referral_key` is the
    /// last column of `referrals`.
    static let version14 = """
    CREATE TABLE referrals_v14 (
        referral_id BLOB NOT NULL,
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
        row_fallbacks INTEGER NOT NULL DEFAULT 0,
        referral_key INTEGER PRIMARY KEY AUTOINCREMENT
    ) STRICT;
    INSERT INTO referrals_v14 (referral_id, client_id, received_date, age, gender, ethnicity, postcode_district, referral_source,
                               presenting_problem, end_date, end_reason, seen_run, restricted, row_digest, row_fallbacks)
        SELECT referral_id, client_id, received_date, age, gender, ethnicity, postcode_district, referral_source,
               presenting_problem, end_date, end_reason, seen_run, restricted, row_digest, row_fallbacks
        FROM referrals ORDER BY received_date, referral_id;
    CREATE UNIQUE INDEX referrals_id ON referrals_v14(referral_id);
    CREATE TABLE appointments_v14 (
        appointment_id BLOB NOT NULL,
        referral_key INTEGER NOT NULL REFERENCES referrals_v14(referral_key),
        therapist_id TEXT NOT NULL,
        date TEXT NOT NULL,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        modality TEXT NOT NULL,
        delivery TEXT NOT NULL,
        duration_minutes INTEGER,
        seen_run INTEGER NOT NULL DEFAULT 0,
        row_digest INTEGER,
        row_fallbacks INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (date, appointment_id)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO appointments_v14 (appointment_id, referral_key, therapist_id, date, kind, status, modality, delivery,
                                  duration_minutes, seen_run, row_digest, row_fallbacks)
        SELECT a.appointment_id, (SELECT r.referral_key FROM referrals_v14 r WHERE r.referral_id = a.referral_id),
               a.therapist_id, a.date, a.kind, a.status, a.modality, a.delivery, a.duration_minutes, a.seen_run, a.row_digest,
               a.row_fallbacks
        FROM appointments a ORDER BY a.date, a.appointment_id;
    CREATE TABLE measures_v14 (
        referral_key INTEGER NOT NULL REFERENCES referrals_v14(referral_key),
        date TEXT NOT NULL,
        instrument TEXT NOT NULL,
        score INTEGER NOT NULL,
        seen_run INTEGER NOT NULL DEFAULT 0,
        row_digest INTEGER,
        row_fallbacks INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (referral_key, date, instrument)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO measures_v14 (referral_key, date, instrument, score, seen_run, row_digest, row_fallbacks)
        SELECT r.referral_key, m.date, m.instrument, m.score, m.seen_run, m.row_digest, m.row_fallbacks
        FROM referrals_v14 r CROSS JOIN measures m ON m.referral_id = r.referral_id
        ORDER BY r.referral_key, m.date, m.instrument;
    DROP TABLE referral_progress;
    DROP TABLE referral_progress_stale;
    CREATE TABLE referral_progress_v14 (
        referral_key INTEGER PRIMARY KEY,
        first_treatment TEXT,
        second_treatment TEXT,
        last_date TEXT NOT NULL,
        last_kind TEXT NOT NULL,
        last_therapist TEXT NOT NULL,
        last_modality TEXT NOT NULL,
        last_delivery TEXT NOT NULL
    ) STRICT;
    CREATE TABLE referral_progress_stale_v14 (
        referral_key INTEGER PRIMARY KEY
    ) STRICT;
    DROP TABLE measures;
    DROP TABLE appointments;
    DROP TABLE referrals;
    ALTER TABLE referrals_v14 RENAME TO referrals;
    ALTER TABLE appointments_v14 RENAME TO appointments;
    ALTER TABLE measures_v14 RENAME TO measures;
    ALTER TABLE referral_progress_v14 RENAME TO referral_progress;
    ALTER TABLE referral_progress_stale_v14 RENAME TO referral_progress_stale;
    CREATE INDEX referrals_client ON referrals(client_id);
    CREATE INDEX referrals_received ON referrals(received_date);
    CREATE INDEX referrals_ended ON referrals(end_date) WHERE end_date IS NOT NULL;
    CREATE INDEX referrals_restricted ON referrals(client_id) WHERE restricted = 1;
    CREATE UNIQUE INDEX appointments_id ON appointments(appointment_id);
    CREATE INDEX appointments_referral ON appointments(referral_key, date, appointment_id, kind, therapist_id, modality, delivery, status);
    \(referralProgressTriggers)
    \(referralProgressRebuild)
    """
}
