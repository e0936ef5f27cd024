#!/usr/bin/env bash
# The floor of issue 18's ingest target on PostgreSQL: `COPY` of an export's raw CSV files into
# unindexed tables of text columns, one per file, with nothing of confide's work (no parsing
# beyond CSV, no checks, no HMAC, no keys). Issue 18 asks confide's ingest into PostgreSQL to
# reach at least half of these rows per second.
#
# Usage: postgres_copy_floor.sh EXPORTS [URL]
#   EXPORTS: a folder with referrals.csv, appointments.csv and measures.csv (canonical headers;
#            for example a benchmark practice's base/ folder).
#   URL:     a database to load into (libpq finds its password); without it, a server is started
#            on loopback for the run (.ci/postgres-servers, fsync on) and stopped after.
# Each file is copied in its own transaction into a new table (dropped afterwards), timed by
# psql (`\timing`, the server's round trip). Prints one JSON object: rows, seconds,
# rows_per_second, and per file rows and seconds.
set -euo pipefail

if [ $# -lt 1 ] || [ ! -d "$1" ]; then
  echo "usage: $0 EXPORTS [URL]" >&2
  exit 64
fi
exports=$(cd "$1" && pwd)
command -v psql >/dev/null || { echo "$0: psql is not installed (apt-get install postgresql-client)" >&2; exit 69; }
url=${2:-}
if [ -z "$url" ]; then
  here=$(cd "$(dirname "$0")/.." && pwd)
  servers=$(mktemp -d)
  trap '"$here/.ci/postgres-servers" stop "$servers"; rm -rf "$servers"' EXIT
  url=$(CONFIDE_PG_FSYNC=on "$here/.ci/postgres-servers" start "$servers" 1)
  export PGPASSFILE="$servers/pgpass"
fi

total_rows=0
total_ms=0
parts=()
for file in referrals appointments measures; do
  csv="$exports/$file.csv"
  [ -f "$csv" ] || { echo "$0: $csv is missing" >&2; exit 66; }
  header=$(head -1 "$csv" | tr -d '\r')
  columns=$(echo "$header" | tr ',' '\n' | sed 's/.*/"&" text/' | paste -sd, -)
  table="floor_$file"
  output=$(psql "$url" -X -q -v ON_ERROR_STOP=1 <<SQL
SET client_min_messages = warning;
DROP TABLE IF EXISTS $table;
CREATE TABLE $table ($columns);
\\timing on
\\copy $table FROM '$csv' WITH (FORMAT csv, HEADER true)
\\timing off
SELECT 'rows=' || count(*) FROM $table;
DROP TABLE $table;
SQL
)
  ms=$(echo "$output" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | head -1)
  rows=$(echo "$output" | sed -n 's/^ *rows=\([0-9]*\)/\1/p')
  total_rows=$((total_rows + rows))
  total_ms=$(echo "$total_ms + $ms" | bc)
  parts+=("\"$file\": {\"rows\": $rows, \"seconds\": $(printf '%.3f' "$(echo "scale=3; $ms / 1000" | bc)")}")
done
seconds=$(printf '%.3f' "$(echo "scale=3; $total_ms / 1000" | bc)")
rate=$(echo "$total_rows * 1000 / $total_ms" | bc)
printf '{"rows": %s, "seconds": %s, "rows_per_second": %s, "files": {%s}}\n' "$total_rows" "$seconds" "$rate" "$(IFS=,; echo "${parts[*]}")"
