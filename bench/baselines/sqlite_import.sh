#!/usr/bin/env bash
# Baseline: the sqlite3 shell's `.import --csv` of an export folder.
#
# What a user would do instead of `confide ingest`: load referrals.csv, appointments.csv and
# measures.csv into plain tables (created by .import from each header: TEXT columns, no keys, no
# indexes, no checks) of a new database in a temporary folder, with the shell's defaults.
#
# Usage: sqlite_import.sh EXPORTS_DIR
#
# Prints one JSON object: seconds (the whole sqlite3 run), rows (data rows loaded, from the
# tables), rows_per_second, peak_rss_mib (of the sqlite3 process, when GNU time is installed at
# /usr/bin/time, else null) and the sqlite3 version. The temporary database is removed.
set -euo pipefail

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
  echo "usage: $0 EXPORTS_DIR" >&2
  exit 64
fi
exports=$(cd "$1" && pwd)
for file in referrals appointments measures; do
  if [ ! -r "$exports/$file.csv" ]; then
    echo "$0: $exports/$file.csv is missing" >&2
    exit 66
  fi
done
case "$exports" in
  *\'*) echo "$0: the folder's path must not contain a single quote" >&2; exit 64 ;;
esac
command -v sqlite3 >/dev/null || { echo "$0: the sqlite3 shell is not installed" >&2; exit 69; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/import.sqlite"

cat >"$work/import.sql" <<SQL
.import --csv '$exports/referrals.csv' referrals
.import --csv '$exports/appointments.csv' appointments
.import --csv '$exports/measures.csv' measures
SQL

start=$(date +%s.%N)
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f '%M' -o "$work/rss" sqlite3 -bail "$db" <"$work/import.sql"
  peak_kib=$(tail -n 1 "$work/rss")
else
  sqlite3 -bail "$db" <"$work/import.sql"
  peak_kib=""
fi
end=$(date +%s.%N)

rows=$(sqlite3 "$db" "SELECT (SELECT count(*) FROM referrals) + (SELECT count(*) FROM appointments) + (SELECT count(*) FROM measures);")
version=$(sqlite3 --version | cut -d' ' -f1)

awk -v start="$start" -v end="$end" -v rows="$rows" -v peak="$peak_kib" -v version="$version" 'BEGIN {
  seconds = end - start
  rss = (peak == "") ? "null" : sprintf("%.1f", peak / 1024)
  printf "{\"tool\": \"sqlite3 .import\", \"version\": \"%s\", \"seconds\": %.4f, \"rows\": %d, \"rows_per_second\": %.0f, \"peak_rss_mib\": %s}\n",
         version, seconds, rows, rows / seconds, rss
}'
