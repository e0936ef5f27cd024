#!/usr/bin/env bash
# Times `confide anonymize` (release build, whole command, wall clock and peak memory from
# /usr/bin/time -v) on ARX's Adult data (k = 5, 5 % suppression, loss) and on 1,000,000 records
# of the same schema (bench/adult_million.py: Adult repeated, the age column shuffled with seed 15).
# Figures are recorded in docs/performance.md ("Anonymize").
#
# usage: bench/anonymize.sh [RUNS]        (default 3 runs of each; the best and the worst are printed)
# Environment: ADULT (default ../shared/data/adult), CONFIDE_BIN (default .build/release/confide,
# built when missing), BENCH_DIR (default a temporary folder, for the generated file and outputs).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
adult=${ADULT:-$(pwd)/../shared/data/adult}
bin=${CONFIDE_BIN:-.build/release/confide}
work=${BENCH_DIR:-$(mktemp -d)}
if [ ! -x "$bin" ]; then swift build -c release --product confide; fi
qi=()
for column in sex age race marital-status education native-country workclass occupation salary-class; do
  qi+=(--qi "$column=$adult/adult_hierarchy_$column.csv")
done
if [ ! -f "$work/adult-1m.csv" ]; then python3 bench/adult_million.py "$adult/adult.csv" "$work/adult-1m.csv"; fi

measure() { # name input metric suppression k
  local name=$1 input=$2 metric=$3 suppression=$4 k=$5 best="" worst="" rss=0
  for _ in $(seq "$runs"); do
    /usr/bin/time -v -o "$work/time.txt" "$bin" anonymize "$input" "${qi[@]}" --k "$k" --max-suppression "$suppression" \
      --metric "$metric" --out "$work/out.csv" --json > "$work/result.json"
    local seconds kb
    seconds=$(awk -F': ' '/Elapsed \(wall clock\)/ {split($2, t, ":"); print t[1] * 60 + t[2]}' "$work/time.txt")
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
    if [ -z "$best" ] || awk "BEGIN {exit !($seconds < $best)}"; then best=$seconds; fi
    if [ -z "$worst" ] || awk "BEGIN {exit !($seconds > $worst)}"; then worst=$seconds; fi
    if [ "$kb" -gt "$rss" ]; then rss=$kb; fi
  done
  local summary
  summary=$(python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print(j['transformation'], 'suppressed', j['suppressed'], 'classes', j['classes'], j['metric'], j['loss'], 'evaluated', j['evaluated'])" "$work/result.json")
  printf '%-34s best %6.2f s  worst %6.2f s  peak %5d MiB  %s\n' "$name" "$best" "$worst" $((rss / 1024)) "$summary"
}

echo "confide anonymize, $runs runs each, $(nproc) cores, $bin"
measure "adult k=5 5% loss" "$adult/adult.csv" loss 0.05 5
measure "adult k=5 0% loss" "$adult/adult.csv" loss 0 5
measure "adult k=5 5% dm" "$adult/adult.csv" dm 0.05 5
measure "adult k=5 0% entropy" "$adult/adult.csv" entropy 0 5
measure "1,000,000 k=5 5% loss" "$work/adult-1m.csv" loss 0.05 5
measure "1,000,000 k=5 0% loss" "$work/adult-1m.csv" loss 0 5
measure "1,000,000 k=5 5% dm" "$work/adult-1m.csv" dm 0.05 5
