#!/usr/bin/env python3
"""Utility of confide's dp mode on synthetic practices: the error of the published
practice-wide weekly counts and rates, and of the supervisors' per-therapist figures of each
supervision period, against their true values.

How it works (standard library only; the confide binary does the practice-wide counting):
1. `confide synth` writes each synthetic practice (104 weeks, 12 therapists) once: `demo`, the
   demo-sized one (3,000 clients, seed 2026), and `twelve`, the issue's "12 therapists and 30
   referrals a week" (2,960 clients, seed 7: 30.0 referrals a week over the 104 weeks; the
   output prints each practice's referrals.csv rows / 104). `--practice` picks one; both by
   default, each reported on its own.
2. The exact figures: a workspace publishes the last WEEKS weeks with epsilon_per_week,
   epsilon_per_referral and the [supervision] epsilon_per_year and epsilon_per_referral all
   100000 and min_clients 1. Its noise scale is below 0.001, so every draw is 0 and the
   published figures are the exact (contribution-bounded) ones; a count of 0 is suppressed
   there ("fewer than 1 after noise") and is read as 0.
3. For each annual budget B (a client's worst case over 52 weeks: 52 × epsilon_per_week +
   2 × epsilon_per_referral of the weekly releases, plus the supervision releases'
   epsilon_per_year + 4 × their epsilon_per_referral), all four defaults are scaled by
   B / DEFAULT_YEAR (DEFAULT_YEAR, their sum, is the defaults' worst case), and REPEATS fresh
   workspaces publish the same weeks with min_clients 5. Noise comes from the operating
   system's random source (the command line has no way to seed it), so each repeat is an
   independent draw; stored releases are never re-drawn, which is why every repeat needs its
   own workspace.
4. Practice figures, per measure: mean absolute error over published cells, mean relative
   error (|error| / exact, exact > 0), the share of cells suppressed, the coverage of the 90%
   intervals and their mean width (for the outcome rates, the newest week's: a whole 13-week
   window when WEEKS is 13). Breakdown counts (modality, age band, ...): how many cells are
   suppressed, and how many of those rest on 5 or more.
5. Supervision figures. Therapist figures are released once per supervision period
   ([supervision] period_weeks, 4: W01-W04, W05-W08, ...), by the run of the week that
   closes it, as therapist rows of that week's caseload.csv and outcomes.csv. WEEKS is
   lengthened when fewer than 3 periods would lie wholly inside the published weeks, and only
   such periods are counted. Per measure, over every therapist-period and repeat: the share
   published, the median and mean relative error (published, true > 0), the mean absolute
   error, and the coverage of the 90% intervals. The true values:
   - appointments_attended (status attended or attended_late, dated in the period) and
     clients_seen (distinct client_id of those appointments) are counted here, in Python,
     from the synthetic exports' appointments.csv and referrals.csv, without confide. They
     are also compared with the exact run's values, which are contribution-bounded (a client
     adds at most 6 appointments, of any status, to a therapist's period, and counts in one
     therapist's cells), so the gap between the two is the cost of bounding, not of noise.
   - The others (active_caseload, waiting_list and referrals_ended at or in the period,
     appointments_dna, dna_rate, and the outcomes over the window from the period's outcome
     period_start: finished_treatment and the outcome rates) take the exact run's value as the
     truth, bounded in the same way, as the practice figures do; a rate the exact run
     suppresses has no truth and counts towards the published share only.
   The targets are printed next to the results: therapist-periods published ≥ 90% (for
   appointments_attended, clients_seen and active_caseload), median relative error ≤ 10% for
   appointments_attended and clients_seen and ≤ 15% for active_caseload, and the seven
   weekly practice counts' mean relative error ≤ 5%.
`--weight SLOT=W` (repeatable) sets `[privacy.weights]` in every noisy workspace, to measure
another split of the budget (docs/privacy.md, "Budget split").

Usage (from the repository root, after `swift build -c release`):
    python3 bench/privacy_utility.py --bin .build/release/confide --budget 50 --budget 98 --budget 200
"""
import argparse
import csv
import datetime as dt
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def run(*args):
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(map(str, args))}: exit {done.returncode}: {done.stderr.strip()}")
    return done.stdout


def configure(config, settings, may_add=("supervision",)):
    """Sets `key = value` in the [section]s of a confide.toml written by `confide init`. A key
    of a section in `may_add` that the file lacks is added (under its section's header, or in
    a new section at the end); any other missing key is an error."""
    section, lines, done, headers = None, [], set(), {}
    for line in config.read_text().splitlines():
        header = re.match(r"^\[(\w+)\]", line)
        if header:
            section = header.group(1)
            headers[section] = len(lines)
        key = line.split("=", 1)[0].strip() if "=" in line and not line.lstrip().startswith("#") else None
        if (section, key) in settings:
            line = f"{key} = {settings[(section, key)]}"
            done.add((section, key))
        lines.append(line)
    missing = set(settings) - done
    if any(s not in may_add for s, _ in missing):
        sys.exit(f"not found in {config}: {missing}")
    for (section, key) in sorted(missing, reverse=True):
        if section in headers:
            lines.insert(headers[section] + 1, f"{key} = {settings[(section, key)]}")
    new = sorted({s for s, _ in missing if s not in headers})
    for section in new:
        lines += ["", f"[{section}]"] + [f"{k} = {settings[(s, k)]}" for s, k in sorted(missing) if s == section]
    config.write_text("\n".join(lines) + "\n")


# The seven weekly caseload counts a practice lead reads first.
SEVEN = ["referrals_received", "entered_treatment", "appointments_attended", "appointments_dna",
         "active_caseload", "waiting_list", "referrals_ended"]
# The default budgets (docs/privacy.md, "Lifetime accounting"): the weekly releases' ε per week
# and per referral, the supervision releases' ε per year and per referral event.
DEFAULT_WEEK, DEFAULT_REFERRAL = 1.1, 10.0
DEFAULT_SUPERVISION_YEAR, DEFAULT_SUPERVISION_REFERRAL = 19.8, 0.25
# A client's worst case over 52 weeks at the defaults: 52 weekly releases, the events of 2
# referrals in them, a year of supervision releases and 4 events in those (with periods of
# more than one week, the periods closing in 52 weeks hold up to 2 × 2 events of a kind).
DEFAULT_YEAR = round(52 * DEFAULT_WEEK + 2 * DEFAULT_REFERRAL + DEFAULT_SUPERVISION_YEAR + 4 * DEFAULT_SUPERVISION_REFERRAL, 6)   # 98

# Supervision periods, as confide's default ([supervision] period_weeks, set explicitly in every
# workspace so that the periods counted here are confide's), and how many must lie wholly
# inside the published weeks.
PERIOD_WEEKS = 4
MIN_PERIODS = 3
# The therapist figures of a supervision release, in the order printed. The first two are
# counted here from the exports; the others are read from the exact run.
SUPERVISION_MEASURES = ["clients_seen", "appointments_attended", "appointments_dna", "dna_rate", "active_caseload",
                        "waiting_list", "referrals_ended", "finished_treatment", "recovery_rate",
                        "reliable_improvement_rate", "reliable_deterioration_rate"]
FROM_EXPORTS = ["appointments_attended", "clients_seen"]
# The supervision targets of the issue: published share, median relative error per measure.
TARGET_PUBLISHED = 0.90
TARGET_PUBLISHED_MEASURES = ["appointments_attended", "clients_seen", "active_caseload"]
TARGET_MEDIAN_RELATIVE = {"appointments_attended": 0.10, "clients_seen": 0.10, "active_caseload": 0.15}
TARGET_SEVEN = 0.05

# The synthetic practices: clients, seed, therapists. `twelve` is the issue's "12 therapists and
# 30 referrals a week": 2,960 clients give 3,121 referrals over the 104 weeks at seed 7.
PRACTICES = {"demo": (3000, 2026, 12), "twelve": (2960, 7, 12)}
SYNTH_WEEKS = 104


def last_complete_week():
    """The Sunday that ends the last complete ISO week (confide's default week)."""
    today = dt.date.today()
    return today - dt.timedelta(days=today.isoweekday())


def iso_week(day):
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_days(week):
    """The Monday and Sunday of `YYYY-Www`."""
    monday = dt.date.fromisocalendar(int(week[:4]), int(week[6:]), 1)
    return monday, monday + dt.timedelta(days=6)


def supervision_period(week, period_weeks=PERIOD_WEEKS):
    """The first and last week of the supervision period that holds `week`: blocks of
    `period_weeks` weeks from week 1 of its ISO year, a week 53 joining the year's last block
    (as confide's SupervisionPeriod)."""
    year, number = int(week[:4]), int(week[6:])
    blocks = 52 // period_weeks
    block = min((number - 1) // period_weeks, blocks - 1)
    last = dt.date(year, 12, 28).isocalendar()[1] if block == blocks - 1 else (block + 1) * period_weeks
    return f"{year}-W{block * period_weeks + 1:02d}", f"{year}-W{last:02d}"


def complete_periods(weeks):
    """The supervision periods wholly inside the (consecutive) `weeks`, as (first day, last
    day) in ISO dates: the period_start and period_end of their caseload rows."""
    periods = []
    for week in weeks:
        first, last = supervision_period(week)
        if last == week and first in weeks:
            periods.append((week_days(first)[0].isoformat(), week_days(last)[1].isoformat()))
    return periods


def published_weeks(last, count):
    """The `count` weeks ending with the week of `last`, lengthened (earlier) until at least
    MIN_PERIODS supervision periods lie wholly inside them."""
    while True:
        weeks = [iso_week(last - dt.timedelta(weeks=k)) for k in reversed(range(count))]
        if len(complete_periods(weeks)) >= MIN_PERIODS:
            return weeks
        count += 1


def exports_truth(exports, periods):
    """The true appointments_attended and clients_seen of every therapist in every period,
    straight from the exports, by (period_start, period_end, measure_id, therapist)."""
    with open(exports / "referrals.csv", newline="") as f:
        client_of = {r["referral_id"]: r["client_id"] for r in csv.DictReader(f)}
    spans = [(dt.date.fromisoformat(s), dt.date.fromisoformat(e), s, e) for s, e in periods]
    attended, seen = defaultdict(int), defaultdict(set)
    with open(exports / "appointments.csv", newline="") as f:
        for a in csv.DictReader(f):
            if a["status"] not in ("attended", "attended_late"):
                continue
            day = dt.date.fromisoformat(a["date"])
            for start, end, s, e in spans:
                if start <= day <= end:
                    attended[(s, e, a["therapist_id"])] += 1
                    seen[(s, e, a["therapist_id"])].add(client_of[a["referral_id"]])
    truth = {}
    for (s, e, therapist), n in attended.items():
        truth[(s, e, "appointments_attended", therapist)] = float(n)
        truth[(s, e, "clients_seen", therapist)] = float(len(seen[(s, e, therapist)]))
    return truth


def publish(binary, work, exports, name, budget, min_clients, weeks, weights=None):
    """Publishes `weeks` (oldest first) in a fresh workspace at the annual budget `budget`
    (None: the exact figures); returns every published row but the therapist ones by (week,
    measure, group type, group), and the therapist rows of the supervision periods closed by
    the weeks by (period_start, period_end, measure, therapist)."""
    workspace = work / name
    run(binary, "init", workspace)
    scale = budget / DEFAULT_YEAR if budget else None
    def epsilon(default):
        return f"{default * scale:.6f}" if scale else "100000"
    configure(workspace / "confide.toml", {
        ("source", "path"): json.dumps(str(exports)),
        ("privacy", "epsilon_per_week"): epsilon(DEFAULT_WEEK),
        ("privacy", "epsilon_per_referral"): epsilon(DEFAULT_REFERRAL),
        ("privacy", "min_clients"): str(min_clients),
        ("privacy", "epsilon_cap_per_year"): "1000000000",   # a measurement, not a real budget
        ("supervision", "period_weeks"): str(PERIOD_WEEKS),
        ("supervision", "epsilon_per_year"): epsilon(DEFAULT_SUPERVISION_YEAR),
        ("supervision", "epsilon_per_referral"): epsilon(DEFAULT_SUPERVISION_REFERRAL),
    })
    if weights:
        with open(workspace / "confide.toml", "a") as f:
            f.write("\n[privacy.weights]\n" + "".join(f'"{slot}" = {w}\n' for slot, w in weights.items()))
    run(binary, "run", "--config", workspace / "confide.toml", "--backfill", weeks[0], "--quiet")
    rows, therapist = {}, {}
    for week in weeks:
        for table in ("caseload", "outcomes"):
            with open(workspace / "Reports" / week / f"{table}.csv", newline="") as f:
                for row in csv.DictReader(f):
                    if row["group_type"] == "therapist":
                        therapist[(row["period_start"], row["period_end"], row["measure_id"], row["group"])] = row
                    else:
                        rows[(week, row["measure_id"], row["group_type"], row["group"])] = row
    shutil.rmtree(workspace)
    return rows, therapist


def exact_value(row, measure):
    """The truth an exact-run row gives: its value; a suppressed count is 0 (fewer than 1), a
    suppressed rate or mean has none."""
    if row is None:
        return None
    if row["status"] == "published":
        return float(row["value"])
    return 0.0 if not measure.endswith("_rate") and not measure.startswith("mean_") else None


def error_stats(pairs):
    """Errors of (published row or None, truth or None) pairs: the share published over all
    pairs, and over the published ones with a truth the median and mean relative error (truth
    > 0), the mean absolute error, the 90% intervals' coverage and mean width."""
    published, errors, relative, covered, widths, truths = 0, [], [], 0, [], []
    for row, true in pairs:
        if true is not None:
            truths.append(true)
        if row is None or row["status"] != "published":
            continue
        published += 1
        if true is None:
            continue
        low, high = float(row["interval_low"]), float(row["interval_high"])
        error = abs(float(row["value"]) - true)
        errors.append(error)
        if true > 0:
            relative.append(error / true)
        covered += low <= true <= high
        widths.append(high - low)
    return {
        "cells": len(pairs),
        "published": published / len(pairs) if pairs else None,
        "mean_true": statistics.fmean(truths) if truths else None,
        "median_relative_error": statistics.median(relative) if relative else None,
        "mean_relative_error": statistics.fmean(relative) if relative else None,
        "mae": statistics.fmean(errors) if errors else None,
        "coverage": covered / len(errors) if errors else None,
        "interval_width": statistics.fmean(widths) if widths else None,
    }


def practice_summary(results, epsilons, weeks, periods, truth_from_exports):
    """The errors of one practice's noisy releases (`results` by job name, "exact" and
    "eps{B}-{repeat}") at each budget."""
    exact, exact_therapist = results["exact"]
    def truth(key):
        return exact_value(exact.get(key), key[1])

    period_ends = {e for _, e in periods}
    # Every therapist-period of each measure: the exact run's rows of the complete periods, and
    # any therapist the exports have that the exact run lacks.
    keys = defaultdict(set)
    for key in exact_therapist:
        if key[1] in period_ends and key[2] in SUPERVISION_MEASURES:
            keys[key[2]].add(key)
    for key in truth_from_exports:
        keys[key[2]].add(key)
    def supervision_truth(key):
        if key[2] in FROM_EXPORTS:
            return truth_from_exports.get(key, 0.0)
        return exact_value(exact_therapist.get(key), key[2])

    by_epsilon = {}
    for e in epsilons:
        releases = [results[name] for name in results if name.startswith(f"eps{e}-")]
        per_measure = {}
        for rows, _ in releases:
            for key, row in rows.items():
                if key[2] != "practice":
                    continue
                true = truth(key)
                if true is None:
                    continue
                m = per_measure.setdefault(key[1], {"errors": [], "relative": [], "suppressed": 0, "cells": 0, "covered": 0, "truth": [],
                                                    "widths": [], "last_widths": []})
                m["cells"] += 1
                m["truth"].append(true)
                if row["status"] != "published":
                    m["suppressed"] += 1
                    continue
                error = abs(float(row["value"]) - true)
                m["errors"].append(error)
                if true > 0:
                    m["relative"].append(error / true)
                m["covered"] += float(row["interval_low"]) <= true <= float(row["interval_high"])
                m["widths"].append(float(row["interval_high"]) - float(row["interval_low"]))
                if key[0] == weeks[-1]:
                    m["last_widths"].append(float(row["interval_high"]) - float(row["interval_low"]))
        table = {}
        for measure, m in per_measure.items():
            table[measure] = {
                "kind": "rate" if measure.endswith("_rate") else "mean" if measure.startswith("mean_") else "count",
                "mean_exact": statistics.fmean(m["truth"]),
                "mae": statistics.fmean(m["errors"]) if m["errors"] else None,
                "mean_relative_error": statistics.fmean(m["relative"]) if m["relative"] else None,
                "suppressed": m["suppressed"] / m["cells"],
                "coverage": m["covered"] / len(m["errors"]) if m["errors"] else None,
                "interval_width": statistics.fmean(m["widths"]) if m["widths"] else None,
                "newest_week_interval_width": statistics.fmean(m["last_widths"]) if m["last_widths"] else None,
            }
        def pooled(kind, field):
            values = [v[field] for v in table.values() if v["kind"] == kind and v[field] is not None]
            return statistics.fmean(values) if values else None
        # Weekly breakdown counts (modality, age band, ...; therapists are in the supervision
        # figures): how many are suppressed, and how many of those rest on at least 5 (exact)
        # in the bounded data.
        breakdown = {"cells": 0, "suppressed": 0, "exact_at_least_5": 0, "suppressed_exact_at_least_5": 0}
        for rows, _ in releases:
            for key, row in rows.items():
                kind_is_count = not key[1].endswith("_rate") and not key[1].startswith("mean_")
                if key[2] == "practice" or not kind_is_count:
                    continue
                true = truth(key) or 0.0
                breakdown["cells"] += 1
                breakdown["suppressed"] += row["status"] != "published"
                breakdown["exact_at_least_5"] += true >= 5
                breakdown["suppressed_exact_at_least_5"] += true >= 5 and row["status"] != "published"
        # The supervision figures: every therapist-period of the complete periods, per repeat.
        supervision = {}
        for measure in SUPERVISION_MEASURES:
            measure_keys = sorted(keys[measure])
            if not measure_keys:
                continue
            stats = error_stats([(therapist.get(key), supervision_truth(key)) for _, therapist in releases for key in measure_keys])
            stats["truth"] = "exports" if measure in FROM_EXPORTS else "exact run"
            stats["therapist_periods"] = len(measure_keys)
            if measure in FROM_EXPORTS:
                bounded = error_stats([(therapist.get(key), exact_value(exact_therapist.get(key), measure))
                                       for _, therapist in releases for key in measure_keys])
                stats["bounded"] = {f: bounded[f] for f in ("mean_true", "median_relative_error", "mean_relative_error", "mae", "coverage")}
                # What bounding takes off the true values: (true - bounded) / true.
                gaps = [(truth_from_exports.get(key, 0.0) - (exact_value(exact_therapist.get(key), measure) or 0.0)) / truth_from_exports[key]
                        for key in measure_keys if truth_from_exports.get(key, 0.0) > 0]
                stats["bounding_gap"] = statistics.fmean(gaps) if gaps else None
            supervision[measure] = stats
        seven = statistics.fmean(
            [table[m]["mean_relative_error"] for m in SEVEN if m in table and table[m]["mean_relative_error"] is not None] or [float("nan")])
        targets = []
        for measure in TARGET_PUBLISHED_MEASURES:
            value = supervision.get(measure, {}).get("published")
            targets.append({"figure": f"therapist-periods published, {measure}", "measure": measure, "field": "published",
                            "value": value, "target": TARGET_PUBLISHED, "at_least": True,
                            "holds": value is not None and value >= TARGET_PUBLISHED})
        for measure, target in TARGET_MEDIAN_RELATIVE.items():
            value = supervision.get(measure, {}).get("median_relative_error")
            targets.append({"figure": f"median relative error, {measure}", "measure": measure, "field": "median_relative_error",
                            "value": value, "target": target, "at_least": False, "holds": value is not None and value <= target})
        targets.append({"figure": "seven weekly practice counts, mean relative error", "measure": None,
                        "field": "seven_counts_mean_relative_error", "value": seven, "target": TARGET_SEVEN, "at_least": False,
                        "holds": seven <= TARGET_SEVEN})
        by_epsilon[str(e)] = {
            "budgets": {"epsilon_per_week": DEFAULT_WEEK * e / DEFAULT_YEAR, "epsilon_per_referral": DEFAULT_REFERRAL * e / DEFAULT_YEAR,
                        "supervision_epsilon_per_year": DEFAULT_SUPERVISION_YEAR * e / DEFAULT_YEAR,
                        "supervision_epsilon_per_referral": DEFAULT_SUPERVISION_REFERRAL * e / DEFAULT_YEAR},
            "supervision": supervision,
            "targets": targets,
            "breakdown_counts": breakdown,
            "measures": table,
            "counts": {f: pooled("count", f) for f in ("mae", "mean_relative_error", "suppressed", "coverage")},
            "seven_counts_mean_relative_error": seven,
            "rates": {f: pooled("rate", f) for f in ("mae", "suppressed", "coverage")},
        }
    return by_epsilon


def pct(value, digits=1):
    return "-" if value is None else f"{value:.{digits}%}"


def num(value, digits=2):
    return "-" if value is None else f"{value:.{digits}f}"


def print_practice(s, weights):
    print(f"practice {s['practice']}: {s['clients']} clients (seed {s['seed']}), {s['therapists']} therapists, "
          f"{s['referrals_per_week']:.1f} referrals a week over {SYNTH_WEEKS} weeks; weeks {s['weeks'][0]}..{s['weeks'][-1]}, "
          f"{s['repeats']} releases per budget, min_clients 5" + (f", weights {weights}" if weights else ", default weights"))
    print(f"supervision periods ({PERIOD_WEEKS} weeks) inside the published weeks: "
          + ", ".join(f"{a}..{b}" for a, b in s["supervision_periods"]))
    for e, r in s["by_epsilon"].items():
        c, rates, b = r["counts"], r["rates"], r["budgets"]
        print(f"\nannual budget {e} (ε per week {b['epsilon_per_week']:.3f}, per referral {b['epsilon_per_referral']:.2f}; "
              f"supervision ε per year {b['supervision_epsilon_per_year']:.2f}, per referral {b['supervision_epsilon_per_referral']:.3f}): "
              f"seven weekly counts {r['seven_counts_mean_relative_error']:.1%}; counts MAE {c['mae']:.2f}, mean relative error {c['mean_relative_error']:.1%}, "
              f"suppressed {c['suppressed']:.1%}, 90% coverage {c['coverage']:.1%}; "
              f"rates MAE {rates['mae']:.2f} points, suppressed {rates['suppressed']:.1%}, coverage {rates['coverage']:.1%}")
        bd = r["breakdown_counts"]
        print(f"  breakdown counts: {bd['suppressed']}/{bd['cells']} suppressed; of the {bd['exact_at_least_5']} "
              f"with an exact value of 5 or more, {bd['suppressed_exact_at_least_5']} suppressed")
        print(f"  {'measure':<40} {'exact':>8} {'MAE':>8} {'rel.':>7} {'supp.':>6} {'cover':>6} {'width':>7} {'newest':>7}")
        for measure, v in r["measures"].items():
            mae = "-" if v["mae"] is None else f"{v['mae']:.2f}"
            rel = "-" if v["mean_relative_error"] is None else f"{v['mean_relative_error']:.0%}"
            cover = "-" if v["coverage"] is None else f"{v['coverage']:.0%}"
            width = "-" if v["interval_width"] is None else f"{v['interval_width']:.1f}"
            newest = "-" if v["newest_week_interval_width"] is None else f"{v['newest_week_interval_width']:.1f}"
            print(f"  {measure:<40} {v['mean_exact']:>8.1f} {mae:>8} {rel:>7} {v['suppressed']:>6.0%} {cover:>6} {width:>7} {newest:>7}")
        sup = r["supervision"]
        periods = len(s["supervision_periods"])
        print(f"  supervision figures, per therapist and {PERIOD_WEEKS}-week period ({periods} periods, {s['repeats']} releases; "
              f"true: 'exports' counted from the exports, 'exact' the exact run's; errors over published cells, relative where true > 0;"
              f" rates in points)")
        print(f"  {'measure':<28} {'true':>7} {'cells':>5} {'mean true':>9} {'publ.':>6} {'med.rel':>7} {'mean rel':>8} {'MAE':>7} {'cover':>6} {'width':>7}")
        for measure, v in sup.items():
            print(f"  {measure:<28} {'exports' if v['truth'] == 'exports' else 'exact':>7} {v['cells']:>5} {num(v['mean_true'], 1):>9} "
                  f"{pct(v['published'], 0):>6} {pct(v['median_relative_error']):>7} {pct(v['mean_relative_error']):>8} "
                  f"{num(v['mae']):>7} {pct(v['coverage'], 0):>6} {num(v['interval_width'], 1):>7}")
            if "bounded" in v:
                bv = v["bounded"]
                print(f"    {'against the bounded exact run':<34} {num(bv['mean_true'], 1):>9} {'':>6} {pct(bv['median_relative_error']):>7} "
                      f"{pct(bv['mean_relative_error']):>8} {num(bv['mae']):>7} {pct(bv['coverage'], 0):>6}   "
                      f"(bounding takes {pct(v['bounding_gap'])} off the true value)")
        print("  targets:")
        for t in r["targets"]:
            sign = "≥" if t["at_least"] else "≤"
            if t["value"] is None:
                verdict = "no value"
            elif t["holds"]:
                verdict = "holds"
            else:
                verdict = f"misses by {abs(t['value'] - t['target']) * 100:.1f} points"
            print(f"    {t['figure']:<58} {sign} {t['target']:>4.0%}   {pct(t['value']):>7}   {verdict}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=".build/debug/confide", help="the confide binary")
    parser.add_argument("--budget", action="append", type=float,
                        help=f"a client's annual worst case (repeatable; default {DEFAULT_YEAR:g}, the defaults)")
    parser.add_argument("--repeats", type=int, default=4, help="independent releases per budget (default 4)")
    parser.add_argument("--weeks", type=int, default=13,
                        help=f"weeks published, ending with the last complete one (default 13; more when fewer than {MIN_PERIODS} "
                             f"supervision periods would lie inside them)")
    parser.add_argument("--practice", choices=["demo", "twelve", "both"], default="both",
                        help="the synthetic practice: demo (3,000 clients, seed 2026), twelve (12 therapists and about 30 "
                             "referrals a week: 2,960 clients, seed 7) or both (the default), each reported on its own")
    parser.add_argument("--clients", type=int, default=PRACTICES["demo"][0], help="the demo practice's clients (default 3000, as confide demo)")
    parser.add_argument("--seed", type=int, default=PRACTICES["demo"][1], help="the demo practice's data seed (default 2026, as confide demo)")
    parser.add_argument("--weight", action="append", default=[], metavar="SLOT=W",
                        help="a [privacy.weights] entry for the noisy releases, e.g. open_referrals/therapist=12 (repeatable)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args()
    epsilons = args.budget or [DEFAULT_YEAR]
    weights = {}
    for entry in args.weight:
        slot, _, w = entry.partition("=")
        if not w.isdigit():
            sys.exit(f"--weight {entry}: expected SLOT=W, W a whole number")
        weights[slot] = int(w)
    binary = Path(args.bin).resolve()
    practices = dict(PRACTICES, demo=(args.clients, args.seed, PRACTICES["demo"][2]))
    names = ["demo", "twelve"] if args.practice == "both" else [args.practice]

    last = last_complete_week()
    weeks = published_weeks(last, args.weeks)
    periods = complete_periods(weeks)
    work = Path(tempfile.mkdtemp(prefix="confide-utility-"))
    try:
        info = {}
        for practice in names:
            clients, seed, therapists = practices[practice]
            exports = work / f"exports-{practice}"
            run(binary, "synth", "--out", exports, "--clients", clients, "--weeks", SYNTH_WEEKS, "--seed", seed,
                "--last-day", last.isoformat(), "--therapists", therapists)
            with open(exports / "referrals.csv", newline="") as f:
                referrals = sum(1 for _ in csv.DictReader(f))
            info[practice] = {"exports": exports, "referrals_per_week": referrals / SYNTH_WEEKS,
                              "truth": exports_truth(exports, periods)}
        jobs = [(practice, name, budget, k) for practice in names
                for name, budget, k in [("exact", None, 1)] + [(f"eps{e}-{r}", e, 5) for e in epsilons for r in range(args.repeats)]]
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            outputs = list(pool.map(lambda j: publish(binary, work, info[j[0]]["exports"], f"{j[0]}-{j[1]}", j[2], j[3], weeks,
                                                      weights if j[1] != "exact" else None), jobs))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    results = defaultdict(dict)
    for (practice, name, _, _), output in zip(jobs, outputs):
        results[practice][name] = output
    summaries = {}
    for practice in names:
        clients, seed, therapists = practices[practice]
        summaries[practice] = {
            "practice": practice, "clients": clients, "seed": seed, "therapists": therapists,
            "referrals_per_week": info[practice]["referrals_per_week"],
            "weeks": weeks, "repeats": args.repeats, "period_weeks": PERIOD_WEEKS,
            "supervision_periods": [list(p) for p in periods],
            "by_epsilon": practice_summary(results[practice], epsilons, weeks, periods, info[practice]["truth"]),
        }
    # The first practice's summary stays at the top level, as before practices were added.
    summary = dict(summaries[names[0]], practices=summaries, default_year=DEFAULT_YEAR,
                   default_budgets={"epsilon_per_week": DEFAULT_WEEK, "epsilon_per_referral": DEFAULT_REFERRAL,
                                    "supervision_epsilon_per_year": DEFAULT_SUPERVISION_YEAR,
                                    "supervision_epsilon_per_referral": DEFAULT_SUPERVISION_REFERRAL})

    if args.json:
        print(json.dumps(summary, indent=2, sort_keys=True))
        return
    for i, practice in enumerate(names):
        if i:
            print("\n" + "=" * 100 + "\n")
        print_practice(summaries[practice], weights)


if __name__ == "__main__":
    main()
