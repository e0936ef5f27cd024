#!/usr/bin/env bash
# A probe for issue 18's ingest on PostgreSQL: how long the set-based merge of one week's delta
# takes on a PostgreSQL store, before confide's PostgreSQL ingest exists. Not confide's ingest:
# the rows are taken already validated and pseudonymised from two SQLite stores of the same
# practice, so this times what the planned ingest's database side will do (docs/architecture.md,
# "PostgreSQL"): the delta COPYed into staging tables, then one INSERT ... ON CONFLICT a table
# (referral numbers looked up by pseudonym, new referrals numbered by the identity column), the
# progress rows of the referrals whose attended contacts changed computed again, and the commit.
#
# Usage: postgres_merge_probe.sh STORE URL
#   STORE: an SQLite store after a week's delta ingest (for example the benchmark's
#          run/confide.sqlite after its weekly stage): the rows its latest ingest run saw are the
#          delta; the store as it was before (the base) is a copy without the run's new rows
#          (new referrals are the run's `inserted` count of largest referral numbers, which
#          arrive in order) and with the end dates of its updated referrals cleared (a week's
#          referral updates are end dates being set);
#   URL:   an empty PostgreSQL database; the base is loaded into it first
#          (confide-bench postgres-load-stage, release build).
set -euo pipefail

if [ $# -ne 2 ] || [ ! -f "$1" ]; then
  echo "usage: $0 STORE URL" >&2
  exit 64
fi
delta=$1; url=$2
here=$(cd "$(dirname "$0")/.." && pwd)
bench="$here/.build/release/confide-bench"
[ -x "$bench" ] || { echo "$0: build it first: swift build -c release --product confide-bench" >&2; exit 69; }

umask 077
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run=$(sqlite3 "$delta" "SELECT max(run_id) FROM ingest_runs")
new=$(sqlite3 "$delta" "SELECT inserted FROM ingest_files WHERE run_id = $run AND file LIKE 'referrals%'")
base="$work/base.sqlite"
sqlite3 "$delta" ".backup '$base'"
sqlite3 "$base" "PRAGMA foreign_keys = OFF;
    DELETE FROM appointments WHERE seen_run = $run; DELETE FROM measures WHERE seen_run = $run;
    DELETE FROM referrals WHERE referral_key IN (SELECT referral_key FROM referrals ORDER BY referral_key DESC LIMIT $new);
    UPDATE referrals SET end_date = NULL, end_reason = NULL WHERE seen_run = $run;"
"$bench" postgres-load-stage --store "$base" --url "$url" >"$work/load.json"

sqlite3 -csv "$delta" "SELECT hex(referral_id), hex(client_id), received_date, age, gender, ethnicity, postcode_district, referral_source,
    presenting_problem, end_date, end_reason, seen_run, restricted, row_digest, row_fallbacks FROM referrals WHERE seen_run = $run" >"$work/referrals.csv"
sqlite3 -csv "$delta" "SELECT hex(a.appointment_id), hex(r.referral_id), a.therapist_id, a.date, a.kind, a.status, a.modality, a.delivery,
    a.duration_minutes, a.seen_run, a.row_digest, a.row_fallbacks FROM appointments a JOIN referrals r ON r.referral_key = a.referral_key
    WHERE a.seen_run = $run" >"$work/appointments.csv"
sqlite3 -csv "$delta" "SELECT hex(r.referral_id), m.date, m.instrument, m.score, m.seen_run, m.row_digest, m.row_fallbacks
    FROM measures m JOIN referrals r ON r.referral_key = m.referral_key WHERE m.seen_run = $run" >"$work/measures.csv"
rows=$(cat "$work"/referrals.csv "$work"/appointments.csv "$work"/measures.csv | wc -l)

treatment() {
  echo "SELECT t.date FROM appointments t WHERE t.referral_key = $1 AND t.status IN ('attended', 'attended_late')
        AND t.kind = 'treatment' ORDER BY t.date, t.appointment_id"
}

psql "$url" -X -q -v ON_ERROR_STOP=1 >"$work/timing.txt" <<SQL
SET client_min_messages = warning;
\\timing on
BEGIN;
CREATE TEMP TABLE stage_referrals (referral_id text, client_id text, received_date text, age bigint, gender text, ethnicity text,
    postcode_district text, referral_source text, presenting_problem text, end_date text, end_reason text, seen_run bigint,
    restricted bigint, row_digest bigint, row_fallbacks bigint) ON COMMIT DROP;
CREATE TEMP TABLE stage_appointments (appointment_id text, referral_id text, therapist_id text, date text, kind text, status text,
    modality text, delivery text, duration_minutes bigint, seen_run bigint, row_digest bigint, row_fallbacks bigint) ON COMMIT DROP;
CREATE TEMP TABLE stage_measures (referral_id text, date text, instrument text, score bigint, seen_run bigint, row_digest bigint,
    row_fallbacks bigint) ON COMMIT DROP;
\\echo step copy
\\copy stage_referrals FROM '$work/referrals.csv' WITH (FORMAT csv)
\\copy stage_appointments FROM '$work/appointments.csv' WITH (FORMAT csv)
\\copy stage_measures FROM '$work/measures.csv' WITH (FORMAT csv)
\\echo step referrals
INSERT INTO referrals (referral_id, client_id, received_date, age, gender, ethnicity, postcode_district, referral_source,
                       presenting_problem, end_date, end_reason, seen_run, restricted, row_digest, row_fallbacks)
    SELECT decode(referral_id, 'hex'), decode(client_id, 'hex'), received_date, age, gender, ethnicity, postcode_district,
           referral_source, presenting_problem, end_date, end_reason, seen_run, restricted, row_digest, row_fallbacks
    FROM stage_referrals ORDER BY received_date, referral_id
    ON CONFLICT (referral_id) DO UPDATE SET client_id = excluded.client_id, received_date = excluded.received_date,
        age = excluded.age, gender = excluded.gender, ethnicity = excluded.ethnicity, postcode_district = excluded.postcode_district,
        referral_source = excluded.referral_source, presenting_problem = excluded.presenting_problem, end_date = excluded.end_date,
        end_reason = excluded.end_reason, seen_run = excluded.seen_run, restricted = excluded.restricted,
        row_digest = excluded.row_digest, row_fallbacks = excluded.row_fallbacks;
\\echo step appointments
INSERT INTO appointments (appointment_id, referral_key, therapist_id, date, kind, status, modality, delivery, duration_minutes,
                          seen_run, row_digest, row_fallbacks)
    SELECT decode(s.appointment_id, 'hex'), r.referral_key, s.therapist_id, s.date, s.kind, s.status, s.modality, s.delivery,
           s.duration_minutes, s.seen_run, s.row_digest, s.row_fallbacks
    FROM stage_appointments s JOIN referrals r ON r.referral_id = decode(s.referral_id, 'hex') ORDER BY s.date, s.appointment_id
    ON CONFLICT (appointment_id) DO UPDATE SET referral_key = excluded.referral_key, therapist_id = excluded.therapist_id,
        date = excluded.date, kind = excluded.kind, status = excluded.status, modality = excluded.modality,
        delivery = excluded.delivery, duration_minutes = excluded.duration_minutes, seen_run = excluded.seen_run,
        row_digest = excluded.row_digest, row_fallbacks = excluded.row_fallbacks;
\\echo step measures
INSERT INTO measures (referral_key, date, instrument, score, seen_run, row_digest, row_fallbacks)
    SELECT r.referral_key, s.date, s.instrument, s.score, s.seen_run, s.row_digest, s.row_fallbacks
    FROM stage_measures s JOIN referrals r ON r.referral_id = decode(s.referral_id, 'hex') ORDER BY 1, 2, 3
    ON CONFLICT (referral_key, date, instrument) DO UPDATE SET score = excluded.score, seen_run = excluded.seen_run,
        row_digest = excluded.row_digest, row_fallbacks = excluded.row_fallbacks;
\\echo step progress
INSERT INTO referral_progress (referral_key, first_treatment, second_treatment, last_date, last_kind, last_therapist,
                               last_modality, last_delivery)
    SELECT latest.referral_key, ($(treatment latest.referral_key) LIMIT 1), ($(treatment latest.referral_key) LIMIT 1 OFFSET 1),
           latest.date, latest.kind, latest.therapist_id, latest.modality, latest.delivery
    FROM (SELECT DISTINCT ON (a.referral_key) a.referral_key, a.date, a.kind, a.therapist_id, a.modality, a.delivery
          FROM referral_progress_stale s JOIN appointments a ON a.referral_key = s.referral_key
          WHERE a.status IN ('attended', 'attended_late')
          ORDER BY a.referral_key, a.date DESC, a.appointment_id DESC) latest
    ON CONFLICT (referral_key) DO UPDATE SET first_treatment = excluded.first_treatment,
        second_treatment = excluded.second_treatment, last_date = excluded.last_date, last_kind = excluded.last_kind,
        last_therapist = excluded.last_therapist, last_modality = excluded.last_modality, last_delivery = excluded.last_delivery;
DELETE FROM referral_progress_stale;
\\echo step commit
COMMIT;
\\timing off
SQL

# Each step's time: the sum of psql's "Time:" lines between its marker and the next.
python3 - "$work/timing.txt" "$work/load.json" "$rows" <<'PY'
import json, re, sys
steps, current = {}, None
for line in open(sys.argv[1]):
    if line.startswith("step "):
        current = line.split()[1]; steps[current] = 0.0
    m = re.match(r"Time: ([0-9.]+) ms", line)
    if m and current: steps[current] += float(m.group(1)) / 1000
load = [json.loads(l) for l in open(sys.argv[2]) if l.startswith("{")]
total = sum(steps.values())
print(json.dumps({"delta_rows": int(sys.argv[3]), "merge_seconds": round(total, 3),
                  "steps": {k: round(v, 3) for k, v in steps.items()},
                  "base_load_seconds": round(load[-1]["seconds"], 2)}))
PY
