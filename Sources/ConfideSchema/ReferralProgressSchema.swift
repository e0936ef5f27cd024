import ConfideStore

/// `referral_progress`, the per-referral summary the weekly metrics read (versions 11 and 12),
/// and what keeps it: the triggers on `appointments`, the refresh before each commit and the
/// one-pass rebuild after a first load.
extension Schema {
    /// The version that adds `referral_progress` (``version11``): an upgrade across it reads
    /// every attended contact once.
    public static let progressVersion = 11

    /// The commands that bring `referral_progress` up to date at the end of a write transaction
    /// (version 12): the rows of the referrals whose attended contacts changed in it, noted by
    /// the triggers in `referral_progress_stale`, computed again in key order; then the note is
    /// cleared. The migrator puts it in ``Database/beforeCommit`` of every store it opens.
    public static let referralProgressRefresh = """
    \(progressRows("INSERT OR REPLACE", key: "referral_key", latest: """
        SELECT s.referral_key, max(a.date || hex(a.appointment_id)), a.date, a.kind, a.therapist_id, a.modality, a.delivery
              FROM referral_progress_stale s JOIN appointments a ON a.referral_key = s.referral_key
              WHERE a.status IN ('attended', 'attended_late') GROUP BY s.referral_key
        """))
    DELETE FROM referral_progress WHERE referral_key IN (SELECT referral_key FROM referral_progress_stale)
        AND NOT EXISTS (SELECT 1 FROM appointments a
                        WHERE a.referral_key = referral_progress.referral_key AND a.status IN ('attended', 'attended_late'));
    DELETE FROM referral_progress_stale;
    """

    /// Version 11 (a week's metrics at 1,000,000 clients, issue 17): `referral_progress`, one
    /// row per referral with an attended contact, kept by triggers on `appointments` in the
    /// same transaction as every write to it (ingest, snapshot deletes, erasure, purge):
    ///
    /// - `first_treatment`, `second_treatment`: the dates of its first two attended treatment
    ///   sessions (by date, then appointment id), NULL when it has fewer;
    /// - `last_*`: its latest attended contact of any kind (by date, then appointment id).
    ///
    /// The weekly metrics read it instead of every open referral's history: the first two
    /// sessions never change when later rows arrive, and the latest contact is the latest on or
    /// before a week's end whenever its date is not after it (a week computed later than its
    /// end reads the history of the few referrals seen since). A load into an empty
    /// `appointments` drops the triggers with the indexes and fills the table in one pass
    /// afterwards (``referralProgressRebuild``), as this step does.
    ///
    /// `appointments_attended` is built again with the appointment id after the date, so that a
    /// referral's contacts come out of it in that order (date, then appointment id) without a
    /// sort, for the triggers and for the metrics' loader.
    static let version11 = """
    DROP INDEX appointments_attended;
    CREATE INDEX appointments_attended ON appointments(referral_id, date, appointment_id, kind, therapist_id, modality, delivery, status)
        WHERE status IN ('attended', 'attended_late');
    CREATE TABLE referral_progress (
        referral_id BLOB PRIMARY KEY,
        first_treatment TEXT,
        second_treatment TEXT,
        last_date TEXT NOT NULL,
        last_kind TEXT NOT NULL,
        last_therapist TEXT NOT NULL,
        last_modality TEXT NOT NULL,
        last_delivery TEXT NOT NULL
    ) STRICT, WITHOUT ROWID;
    \(version11Triggers)
    \(progressRebuild(key: "referral_id"))
    """

    /// Version 12 (the weekly run at 1,000,000 clients, issue 17): `referral_progress` is
    /// brought up to date once a transaction instead of once a row. The triggers only note the
    /// referral whose attended contacts changed (`referral_progress_stale`, one short row per
    /// referral the transaction touched, a few megabytes for a week at 1,000,000 clients);
    /// ``referralProgressRefresh`` computes those rows again in key order just before the
    /// transaction commits, so each page of `referral_progress` is written once per transaction
    /// instead of once per contact, and the table is never out of date in a committed state. A
    /// change that touches none of the columns the table is computed from (a duration,
    /// `seen_run`) notes nothing.
    static let version12 = """
    CREATE TABLE referral_progress_stale (
        referral_id BLOB PRIMARY KEY
    ) STRICT, WITHOUT ROWID;
    DROP TRIGGER appointments_progress_insert;
    DROP TRIGGER appointments_progress_delete;
    DROP TRIGGER appointments_progress_update;
    DROP TRIGGER appointments_progress_move;
    \(progressTriggers(key: "referral_id"))
    """

    /// The triggers that note in `referral_progress_stale` each referral whose attended
    /// contacts an insert, delete or change of `appointments` alters (the old referral too when
    /// a contact moves); rows that are not attended before or after never note one.
    public static let referralProgressTriggers = progressTriggers(key: "referral_key")

    /// The triggers of ``referralProgressTriggers`` over the referral column `key` (version 12's
    /// `referral_id`, version 14's `referral_key`).
    static func progressTriggers(key: String) -> String {
        """
        CREATE TRIGGER appointments_progress_insert AFTER INSERT ON appointments
        WHEN NEW.status IN ('attended', 'attended_late') BEGIN
            INSERT OR IGNORE INTO referral_progress_stale (\(key)) VALUES (NEW.\(key));
        END;
        CREATE TRIGGER appointments_progress_delete AFTER DELETE ON appointments
        WHEN OLD.status IN ('attended', 'attended_late') BEGIN
            INSERT OR IGNORE INTO referral_progress_stale (\(key)) VALUES (OLD.\(key));
        END;
        CREATE TRIGGER appointments_progress_update
        AFTER UPDATE OF \(key), date, kind, status, therapist_id, modality, delivery ON appointments
        WHEN (OLD.status IN ('attended', 'attended_late') OR NEW.status IN ('attended', 'attended_late'))
            AND (OLD.\(key) IS NOT NEW.\(key) OR OLD.date IS NOT NEW.date OR OLD.kind IS NOT NEW.kind
                 OR OLD.status IS NOT NEW.status OR OLD.therapist_id IS NOT NEW.therapist_id
                 OR OLD.modality IS NOT NEW.modality OR OLD.delivery IS NOT NEW.delivery) BEGIN
            INSERT OR IGNORE INTO referral_progress_stale (\(key)) VALUES (NEW.\(key));
        END;
        CREATE TRIGGER appointments_progress_move AFTER UPDATE OF \(key) ON appointments
        WHEN OLD.\(key) IS NOT NEW.\(key) AND OLD.status IN ('attended', 'attended_late') BEGIN
            INSERT OR IGNORE INTO referral_progress_stale (\(key)) VALUES (OLD.\(key));
        END;
        """
    }

    /// The progress row of the referral `key` (an SQL expression) computed again from its
    /// attended contacts, each query a walk of the referral's contacts index in its own order
    /// (by date, then appointment id: no sort); with `mayEmpty`, removed when none is left.
    /// Version 11's triggers only.
    private static func progressRefresh(_ key: String, mayEmpty: Bool) -> String {
        let attended = "referral_id = \(key) AND status IN ('attended', 'attended_late')"
        let treatment = treatmentSessions(of: key)
        let refresh = """
            INSERT OR REPLACE INTO referral_progress (referral_id, first_treatment, second_treatment, last_date, last_kind,
                                                      last_therapist, last_modality, last_delivery)
                SELECT referral_id, (\(treatment) LIMIT 1), (\(treatment) LIMIT 1 OFFSET 1),
                       date, kind, therapist_id, modality, delivery
                FROM appointments WHERE \(attended) ORDER BY date DESC, appointment_id DESC LIMIT 1;
        """
        guard mayEmpty else { return refresh }
        return refresh + """

            DELETE FROM referral_progress WHERE referral_id = \(key) AND NOT EXISTS (SELECT 1 FROM appointments WHERE \(attended));
        """
    }

    /// The names of the triggers in ``referralProgressTriggers`` (and version 11's).
    public static let referralProgressTriggerNames: Set<String> = [
        "appointments_progress_insert", "appointments_progress_delete", "appointments_progress_update", "appointments_progress_move",
    ]

    /// Version 11's triggers, as that step created them: any insert, delete or content change
    /// of an attended contact computed its referral's row again at once (the old referral's too
    /// when a contact moved). Replaced by version 12's ``referralProgressTriggers``.
    private static let version11Triggers = """
    CREATE TRIGGER appointments_progress_insert AFTER INSERT ON appointments
    WHEN NEW.status IN ('attended', 'attended_late') BEGIN
    \(progressRefresh("NEW.referral_id", mayEmpty: false))
    END;
    CREATE TRIGGER appointments_progress_delete AFTER DELETE ON appointments
    WHEN OLD.status IN ('attended', 'attended_late') BEGIN
    \(progressRefresh("OLD.referral_id", mayEmpty: true))
    END;
    CREATE TRIGGER appointments_progress_update
    AFTER UPDATE OF referral_id, date, kind, status, therapist_id, modality, delivery ON appointments
    WHEN OLD.status IN ('attended', 'attended_late') OR NEW.status IN ('attended', 'attended_late') BEGIN
    \(progressRefresh("NEW.referral_id", mayEmpty: true))
    END;
    CREATE TRIGGER appointments_progress_move AFTER UPDATE OF referral_id ON appointments
    WHEN OLD.referral_id IS NOT NEW.referral_id AND OLD.status IN ('attended', 'attended_late') BEGIN
    \(progressRefresh("OLD.referral_id", mayEmpty: true))
    END;
    """

    /// Fills `referral_progress` from every attended contact in one walk of the contacts index
    /// by referral (`appointments_attended`, `appointments_referral` since version 13),
    /// replacing what it held: each referral's latest contact is the row holding the greatest
    /// date and appointment id (SQLite takes a `max()` query's other columns from the row that
    /// holds the maximum; the date has a fixed width, so the text orders as the pair), and its
    /// first two treatment sessions are two seeks into the same index, in its order. 0.7 s at
    /// 100,000 clients, against 4.5 s for the same rows numbered with window functions.
    public static let referralProgressRebuild = progressRebuild(key: "referral_key")

    /// ``referralProgressRebuild`` over the referral column `key` (version 11's `referral_id`).
    static func progressRebuild(key: String) -> String {
        """
        DELETE FROM referral_progress;
        \(progressRows("INSERT", key: key, latest: """
            SELECT \(key), max(date || hex(appointment_id)), date, kind, therapist_id, modality, delivery
                  FROM appointments WHERE status IN ('attended', 'attended_late') GROUP BY \(key)
            """))
        """
    }

    /// Writes (`verb`: `INSERT` or `INSERT OR REPLACE`) the progress rows of the referrals that
    /// `latest` returns, one row each holding the referral's latest attended contact (its key,
    /// the `max()` that picks the row, then date, kind, therapist, modality, delivery); their
    /// first two treatment sessions are two seeks into the contacts index. The rebuild and the
    /// refresh before each commit differ only in `latest`; `key` names the referral column.
    private static func progressRows(_ verb: String, key: String, latest: String) -> String {
        """
        \(verb) INTO referral_progress (\(key), first_treatment, second_treatment, last_date, last_kind,
                                           last_therapist, last_modality, last_delivery)
                SELECT \(key), (\(treatmentSessions(of: "latest.\(key)", key: key)) LIMIT 1),
                       (\(treatmentSessions(of: "latest.\(key)", key: key)) LIMIT 1 OFFSET 1),
                       date, kind, therapist_id, modality, delivery
                FROM (\(latest)) AS latest;
        """
    }

    /// The dates of the attended treatment sessions of the referral `referral` (an SQL
    /// expression over the column `key`), in order: a walk of the contacts index by referral (`appointments_attended`,
    /// `appointments_referral` since version 13).
    private static func treatmentSessions(of referral: String, key: String = "referral_id") -> String {
        """
        SELECT t.date FROM appointments t
        WHERE t.\(key) = \(referral) AND t.status IN ('attended', 'attended_late') AND t.kind = 'treatment'
        ORDER BY t.date, t.appointment_id
        """
    }
}
