#!/usr/bin/env bash
# The floor under `confide ingest`: how fast SQLite itself loads rows that are already
# validated and pseudonymised into the store's own tables and indexes, with nothing of
# confide's per-row work (no parsing, no checks, no HMAC, no upsert logic).
#
# Why: issue 3 asks for at least half of `.import`'s rows per second. This script shows where
# the store's design puts the limit, independently of confide's code (docs/performance.md,
# "Ingest").
#
# Usage: ingest_floor.sh STORE
#   STORE: a confide store after a first `confide ingest` (for example the benchmark's
#   .build-bench/practice-100000/run/confide.sqlite).
#
# Steps, in a temporary folder (mode 0700, removed at the end):
#   1. the store's three data tables are copied into a plain database in a random row order
#      (pseudonyms arrive in random order, as they do from any export); a copy, not CSV, so
#      that the keys keep their type (16-byte BLOBs since schema version 10, which CSV and
#      the shell's .import cannot carry);
#   2. "store schema": the tables are created from the store's own CREATE statements (WITHOUT
#      ROWID, keyed by the pseudonym), loaded from that copy (INSERT ... SELECT, read in its
#      stored order) inside one transaction (journal off, the same 64 MiB cache as confide's
#      ingest), then the store's secondary indexes are created from their stored SQL, as
#      confide does after a first load;
#   3. "bulk rowid": the same rows into plain rowid tables with the same columns, the keys
#      then built as UNIQUE indexes from sorted input, and the same secondary indexes: the
#      cheapest way SQLite can hold these rows keyed.
# Prints one JSON object: rows; seconds and rows_per_second of the store-schema variant (what
# confide-bench reads as its ingest_floor baseline); and per variant seconds for the load, the
# indexes and in total.
set -euo pipefail

if [ $# -ne 1 ] || [ ! -f "$1" ]; then
  echo "usage: $0 STORE" >&2
  exit 64
fi
store=$1
command -v sqlite3 >/dev/null || { echo "$0: the sqlite3 shell is not installed" >&2; exit 69; }

umask 077
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

tables="referrals appointments measures"
# Since schema version 14 referrals carry an integer key given in the order they arrive: they
# are copied in that order (a load appends them), their appointments and scores at random.
referral_key=$(sqlite3 -bail "$store" "SELECT name FROM pragma_table_info('referrals') WHERE name = 'referral_key'")
{
  echo "PRAGMA journal_mode = OFF; ATTACH '$store' AS store;"
  for table in $tables; do
    order="random()"
    if [ "$table" = referrals ] && [ -n "$referral_key" ]; then order=referral_key; fi
    echo "CREATE TABLE $table AS SELECT * FROM store.$table ORDER BY $order;"
  done
} | sqlite3 -bail "$work/shuffled.sqlite" >/dev/null
rows=$(sqlite3 "$work/shuffled.sqlite" "SELECT (SELECT count(*) FROM referrals) + (SELECT count(*) FROM appointments) + (SELECT count(*) FROM measures)")

# The store's CREATE TABLE and CREATE INDEX statements for the three tables.
sqlite3 -bail "$store" "SELECT sql || ';' FROM sqlite_schema WHERE type = 'table' AND name IN ('referrals', 'appointments', 'measures')" >"$work/tables.sql"
sqlite3 -bail "$store" "SELECT sql || ';' FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('referrals', 'appointments', 'measures')" >"$work/indexes.sql"
# The same tables as plain rowid tables, and their keys as unique indexes.
sed -z -e 's/,[[:space:]]*PRIMARY KEY *([^)]*)//g' -e 's/ PRIMARY KEY//g' -e 's/ AUTOINCREMENT//g' -e 's/, WITHOUT ROWID//g' "$work/tables.sql" >"$work/rowid_tables.sql"
if [ -n "$referral_key" ]; then
  cat >"$work/keys.sql" <<'SQL'
CREATE UNIQUE INDEX referrals_key ON referrals(referral_key);
CREATE UNIQUE INDEX appointments_key ON appointments(appointment_id);
CREATE UNIQUE INDEX measures_key ON measures(referral_key, date, instrument);
SQL
else
  cat >"$work/keys.sql" <<'SQL'
CREATE UNIQUE INDEX referrals_key ON referrals(referral_id);
CREATE UNIQUE INDEX appointments_key ON appointments(appointment_id);
CREATE UNIQUE INDEX measures_key ON measures(referral_id, date, instrument);
SQL
fi

now() { date +%s.%N; }

# Runs one variant: $1 the CREATE TABLE file, $2 the index files; prints "load indexes".
variant() {
  local db="$work/floor.sqlite" start loaded finished
  rm -f "$db"
  {
    echo "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536;"
    cat "$1"
  } | sqlite3 -bail "$db" >/dev/null
  {
    echo "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536; ATTACH '$work/shuffled.sqlite' AS shuffled; BEGIN;"
    for table in $tables; do echo "INSERT INTO main.$table SELECT * FROM shuffled.$table;"; done
    echo "COMMIT;"
  } >"$work/load.sql"
  { echo "PRAGMA cache_size = -65536; BEGIN;"; cat "${@:2}"; echo "COMMIT;"; } >"$work/index.sql"
  start=$(now)
  sqlite3 -bail "$db" <"$work/load.sql" >/dev/null
  loaded=$(now)
  sqlite3 -bail "$db" <"$work/index.sql" >/dev/null
  finished=$(now)
  echo "$start $loaded $finished"
}

read -r s1 l1 f1 <<<"$(variant "$work/tables.sql" "$work/indexes.sql")"
read -r s2 l2 f2 <<<"$(variant "$work/rowid_tables.sql" "$work/keys.sql" "$work/indexes.sql")"

awk -v rows="$rows" -v s1="$s1" -v l1="$l1" -v f1="$f1" -v s2="$s2" -v l2="$l2" -v f2="$f2" 'BEGIN {
  printf "{\"tool\": \"ingest floor\", \"rows\": %d, \"seconds\": %.3f, \"rows_per_second\": %.0f, ", rows, f1 - s1, rows / (f1 - s1)
  printf "\"store_schema\": {\"load_seconds\": %.3f, \"index_seconds\": %.3f, \"seconds\": %.3f, \"rows_per_second\": %.0f}, ", l1 - s1, f1 - l1, f1 - s1, rows / (f1 - s1)
  printf "\"bulk_rowid\": {\"load_seconds\": %.3f, \"index_seconds\": %.3f, \"seconds\": %.3f, \"rows_per_second\": %.0f}}\n", l2 - s2, f2 - l2, f2 - s2, rows / (f2 - s2)
}'
