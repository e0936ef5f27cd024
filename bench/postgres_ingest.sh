#!/usr/bin/env bash
# Issue 18's ingest side by side: the same synthetic practice ingested by `confide ingest` into
# an SQLite store and into a PostgreSQL store, first load (base/, snapshot) then the weekly
# delta (delta/), each timed from the command line, with the raw `COPY` floor of the same base
# files (bench/postgres_copy_floor.sh) for the target (at least half its rows per second).
#
# Usage: postgres_ingest.sh PRACTICE [URL]
#   PRACTICE: a confide-bench practice folder (base/ and delta/, e.g. .build-bench/practice-100000).
#   URL:      a database to use (libpq finds its password; it must be empty); without it a server
#             is started on loopback for the run (.ci/postgres-servers, fsync on) and stopped after.
# Prints one JSON object: rows and seconds per engine and step, and the floor.
set -euo pipefail
shopt -s inherit_errexit

if [ $# -lt 1 ] || [ ! -d "$1/base" ] || [ ! -d "$1/delta" ]; then
  echo "usage: $0 PRACTICE [URL]   (PRACTICE holds base/ and delta/)" >&2
  exit 64
fi
practice=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")/.." && pwd)
confide=${CONFIDE_BIN:-$here/.build/release/confide}
[ -x "$confide" ] || { echo "$0: $confide is not built (swift build -c release --product confide)" >&2; exit 69; }
work=$(mktemp -d)
url=${2:-}
if [ -z "$url" ]; then
  servers=$(mktemp -d)
  trap '"$here/.ci/postgres-servers" stop "$servers"; rm -rf "$servers" "$work"' EXIT
  url=$(CONFIDE_PG_FSYNC=on "$here/.ci/postgres-servers" start "$servers" 1)
  export PGPASSFILE="$servers/pgpass"
else
  trap 'rm -rf "$work"' EXIT
fi

"$confide" init "$work/postgres" --store-url "$url" >/dev/null
"$confide" init "$work/sqlite" >/dev/null
cp "$work/postgres/confide.key" "$work/sqlite/confide.key"
rows=0
for file in referrals appointments measures; do rows=$((rows + $(wc -l < "$practice/base/$file.csv") - 1)); done
delta_rows=0
for file in referrals appointments measures; do delta_rows=$((delta_rows + $(wc -l < "$practice/delta/$file.csv") - 1)); done

# Seconds of one `confide ingest` with the source at FOLDER in MODE.
ingest() {
  local engine=$1 folder=$2 mode=$3 config="$work/$1/confide.toml"
  # The first `path` and `mode` lines are [source]'s.
  sed -i -e "0,/^path = /s|^path = .*|path = \"$folder\"|" -e "0,/^mode = /s|^mode = .*|mode = \"$mode\"|" "$config"
  local start end
  start=$(date +%s.%N)
  "$confide" ingest --json --config "$config" > "$work/$engine-$mode.json"
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

sqlite_first=$(ingest sqlite "$practice/base" snapshot)
postgres_first=$(ingest postgres "$practice/base" snapshot)
sqlite_week=$(ingest sqlite "$practice/delta" delta)
postgres_week=$(ingest postgres "$practice/delta" delta)
cmp -s "$work/sqlite-snapshot.json" "$work/postgres-snapshot.json" || { echo "$0: the first loads' reconciliations differ" >&2; exit 70; }
cmp -s "$work/sqlite-delta.json" "$work/postgres-delta.json" || { echo "$0: the weekly loads' reconciliations differ" >&2; exit 70; }
floor=$("$here/bench/postgres_copy_floor.sh" "$practice/base" "$url")
printf '{"rows": %d, "delta_rows": %d, "sqlite": {"first_load_seconds": %.2f, "weekly_seconds": %.2f}, "postgres": {"first_load_seconds": %.2f, "weekly_seconds": %.2f}, "copy_floor": %s}\n' \
  "$rows" "$delta_rows" "$sqlite_first" "$sqlite_week" "$postgres_first" "$postgres_week" "$floor"
