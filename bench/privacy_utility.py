#!/usr/bin/env python3
"""Utility of confide's dp mode on the synthetic practice: the error of the published
practice-wide weekly counts and rates against their exact values.

How it works (standard library only, the confide binary does all the counting):
1. `confide synth` writes the demo-sized synthetic practice (3,000 clients, 12 therapists,
   104 weeks) once.
2. The exact figures: a workspace publishes the last WEEKS weeks with epsilon_per_week and
   epsilon_per_referral 100000 and min_clients 1. Its noise scale is below 0.001, so every
   draw is 0 and the published figures are the exact (contribution-bounded) ones; a count of 0
   is suppressed there ("fewer than 1 after noise") and is read as 0.
3. For each annual budget B (a client's worst case over 52 weeks of weekly runs, 52 ×
   epsilon_per_week + referrals_per_client_year × epsilon_per_referral), the defaults' two
   budgets are scaled by B / 86.4 (86.4 is the default), and REPEATS fresh workspaces publish
   the same weeks with min_clients 5. Noise comes
   from the operating system's random source (the command line has no way to seed it), so
   each repeat is an independent draw; stored releases are never re-drawn, which is why
   every repeat needs its own workspace.
4. Per measure: mean absolute error over published cells, mean relative error (|error| /
   exact, exact > 0), the share of cells suppressed, the coverage of the 90% intervals and
   their mean width (for the outcome rates, the newest week's: a whole 13-week window when
   WEEKS is 13).
5. For supervisors, the therapist figures of a few caseload measures: the same errors over
   each therapist's weekly cells, and how many cells of an exact value of 5 or more are
   suppressed. `--weight SLOT=W` (repeatable) sets `[privacy.weights]` in every workspace, to
   measure another split of the budget (docs/privacy.md, "Budget split").

Usage (from the repository root, after `swift build -c release`):
    python3 bench/privacy_utility.py --bin .build/release/confide --budget 25 --budget 50 --budget 100 --budget 200
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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def run(*args):
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(map(str, args))}: exit {done.returncode}: {done.stderr.strip()}")
    return done.stdout


def configure(config, settings):
    """Sets `key = value` in the [section]s of a confide.toml written by `confide init`."""
    section, lines, done = None, [], set()
    for line in config.read_text().splitlines():
        header = re.match(r"^\[(\w+)\]", line)
        if header:
            section = header.group(1)
        key = line.split("=", 1)[0].strip() if "=" in line and not line.lstrip().startswith("#") else None
        if (section, key) in settings:
            line = f"{key} = {settings[(section, key)]}"
            done.add((section, key))
        lines.append(line)
    missing = set(settings) - done
    if missing:
        sys.exit(f"not found in {config}: {missing}")
    config.write_text("\n".join(lines) + "\n")


# The seven weekly caseload counts a practice lead reads first.
SEVEN = ["referrals_received", "entered_treatment", "appointments_attended", "appointments_dna",
         "active_caseload", "waiting_list", "referrals_ended"]
# The default budgets and the annual worst case they give (docs/privacy.md, "Lifetime accounting").
DEFAULT_WEEK, DEFAULT_REFERRAL, DEFAULT_YEAR = 1.2, 12.0, 86.4

# The caseload measures a clinical supervisor reads by therapist.
SUPERVISION_MEASURES = ["active_caseload", "appointments_attended", "entered_treatment", "appointments_dna"]


def last_complete_week():
    """The Sunday that ends the last complete ISO week (confide's default week)."""
    today = dt.date.today()
    return today - dt.timedelta(days=today.isoweekday())


def iso_week(day):
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def publish(binary, work, exports, name, budget, min_clients, weeks, weights=None):
    """Publishes `weeks` (oldest first) in a fresh workspace at the annual budget `budget`
    (None: the exact figures); returns every published row by (week, measure, group type, group)."""
    workspace = work / name
    run(binary, "init", workspace)
    scale = budget / DEFAULT_YEAR if budget else None
    configure(workspace / "confide.toml", {
        ("source", "path"): json.dumps(str(exports)),
        ("privacy", "epsilon_per_week"): f"{DEFAULT_WEEK * scale:.6f}" if scale else "100000",
        ("privacy", "epsilon_per_referral"): f"{DEFAULT_REFERRAL * scale:.6f}" if scale else "100000",
        ("privacy", "min_clients"): str(min_clients),
        ("privacy", "epsilon_cap_per_year"): "1000000000",   # a measurement, not a real budget
    })
    if weights:
        with open(workspace / "confide.toml", "a") as f:
            f.write("\n[privacy.weights]\n" + "".join(f'"{slot}" = {w}\n' for slot, w in weights.items()))
    run(binary, "run", "--config", workspace / "confide.toml", "--backfill", weeks[0], "--quiet")
    rows = {}
    for week in weeks:
        for table in ("caseload", "outcomes"):
            with open(workspace / "Reports" / week / f"{table}.csv", newline="") as f:
                for row in csv.DictReader(f):
                    rows[(week, row["measure_id"], row["group_type"], row["group"])] = row
    shutil.rmtree(workspace)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=".build/debug/confide", help="the confide binary")
    parser.add_argument("--budget", action="append", type=float,
                        help="a client's annual worst case (repeatable; default 86.4, the defaults)")
    parser.add_argument("--repeats", type=int, default=4, help="independent releases per ε (default 4)")
    parser.add_argument("--weeks", type=int, default=13, help="weeks published, ending with the last complete one (default 13)")
    parser.add_argument("--clients", type=int, default=3000, help="synthetic clients (default 3000, as confide demo)")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the synthetic data only (default 2026, as confide demo)")
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

    work = Path(tempfile.mkdtemp(prefix="confide-utility-"))
    try:
        exports = work / "exports"
        last = last_complete_week()
        run(binary, "synth", "--out", exports, "--clients", args.clients, "--weeks", 104, "--seed", args.seed,
            "--last-day", last.isoformat(), "--therapists", 12)
        weeks = [iso_week(last - dt.timedelta(weeks=k)) for k in reversed(range(args.weeks))]
        jobs = [("exact", None, 1)] + [(f"eps{e}-{r}", e, 5) for e in epsilons for r in range(args.repeats)]
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            results = dict(zip([j[0] for j in jobs],
                               pool.map(lambda j: publish(binary, work, exports, j[0], j[1], j[2], weeks,
                                                          weights if j[0] != "exact" else None), jobs)))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    exact = results["exact"]
    def truth(key):
        row = exact.get(key)
        if row is None:
            return None
        if row["status"] == "published":
            return float(row["value"])
        return 0.0 if not key[1].endswith("_rate") and not key[1].startswith("mean_") else None

    summary = {"weeks": weeks, "clients": args.clients, "repeats": args.repeats, "by_epsilon": {}}
    for e in epsilons:
        per_measure = {}
        for name, rows in results.items():
            if not name.startswith(f"eps{e}-"):
                continue
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
        # Breakdown counts (therapist, modality, ...): how many are suppressed, and how many of
        # those rest on at least 5 (exact) in the bounded data.
        breakdown = {"cells": 0, "suppressed": 0, "exact_at_least_5": 0, "suppressed_exact_at_least_5": 0}
        for name, rows in results.items():
            if not name.startswith(f"eps{e}-"):
                continue
            for key, row in rows.items():
                kind_is_count = not key[1].endswith("_rate") and not key[1].startswith("mean_")
                if key[2] == "practice" or not kind_is_count:
                    continue
                true = truth(key) or 0.0
                breakdown["cells"] += 1
                breakdown["suppressed"] += row["status"] != "published"
                breakdown["exact_at_least_5"] += true >= 5
                breakdown["suppressed_exact_at_least_5"] += true >= 5 and row["status"] != "published"
        # Therapist figures of the caseload measures a supervisor reads.
        therapist = {}
        for name, rows in results.items():
            if not name.startswith(f"eps{e}-"):
                continue
            for key, row in rows.items():
                if key[2] != "therapist" or key[1] not in SUPERVISION_MEASURES:
                    continue
                true = truth(key) or 0.0
                t = therapist.setdefault(key[1], {"truth": [], "errors": [], "relative": [], "cells": 0,
                                                   "exact_at_least_5": 0, "suppressed_exact_at_least_5": 0})
                t["cells"] += 1
                t["truth"].append(true)
                t["exact_at_least_5"] += true >= 5
                if row["status"] != "published":
                    t["suppressed_exact_at_least_5"] += true >= 5
                    continue
                t["errors"].append(abs(float(row["value"]) - true))
                if true > 0:
                    t["relative"].append(abs(float(row["value"]) - true) / true)
        summary["by_epsilon"][str(e)] = {
            "therapist": {m: {"mean_exact": statistics.fmean(t["truth"]) if t["truth"] else None,
                              "mae": statistics.fmean(t["errors"]) if t["errors"] else None,
                              "mean_relative_error": statistics.fmean(t["relative"]) if t["relative"] else None,
                              "cells": t["cells"], "exact_at_least_5": t["exact_at_least_5"],
                              "suppressed_exact_at_least_5": t["suppressed_exact_at_least_5"]}
                          for m, t in therapist.items()},
            "breakdown_counts": breakdown,
            "measures": table,
            "counts": {f: pooled("count", f) for f in ("mae", "mean_relative_error", "suppressed", "coverage")},
            "seven_counts_mean_relative_error": statistics.fmean(
                [table[m]["mean_relative_error"] for m in SEVEN if m in table and table[m]["mean_relative_error"] is not None] or [float("nan")]),
            "rates": {f: pooled("rate", f) for f in ("mae", "suppressed", "coverage")},
        }

    if args.json:
        print(json.dumps(summary, indent=2, sort_keys=True))
        return
    print(f"{args.clients} clients, weeks {weeks[0]}..{weeks[-1]}, {args.repeats} releases per budget, min_clients 5"
          + (f", weights {weights}" if weights else ", default weights"))
    for e, s in summary["by_epsilon"].items():
        c, r = s["counts"], s["rates"]
        print(f"\nannual budget {e} (ε per week {DEFAULT_WEEK * float(e) / DEFAULT_YEAR:.3f}, per referral {DEFAULT_REFERRAL * float(e) / DEFAULT_YEAR:.2f}): "
              f"seven weekly counts {s['seven_counts_mean_relative_error']:.1%}; counts MAE {c['mae']:.2f}, mean relative error {c['mean_relative_error']:.1%}, "
              f"suppressed {c['suppressed']:.1%}, 90% coverage {c['coverage']:.1%}; "
              f"rates MAE {r['mae']:.2f} points, suppressed {r['suppressed']:.1%}, coverage {r['coverage']:.1%}")
        b = s["breakdown_counts"]
        print(f"  breakdown counts: {b['suppressed']}/{b['cells']} suppressed; of the {b['exact_at_least_5']} "
              f"with an exact value of 5 or more, {b['suppressed_exact_at_least_5']} suppressed")
        print(f"  {'measure':<40} {'exact':>8} {'MAE':>8} {'rel.':>7} {'supp.':>6} {'cover':>6} {'width':>7} {'newest':>7}")
        for measure, v in s["measures"].items():
            mae = "-" if v["mae"] is None else f"{v['mae']:.2f}"
            rel = "-" if v["mean_relative_error"] is None else f"{v['mean_relative_error']:.0%}"
            cover = "-" if v["coverage"] is None else f"{v['coverage']:.0%}"
            width = "-" if v["interval_width"] is None else f"{v['interval_width']:.1f}"
            newest = "-" if v["newest_week_interval_width"] is None else f"{v['newest_week_interval_width']:.1f}"
            print(f"  {measure:<40} {v['mean_exact']:>8.1f} {mae:>8} {rel:>7} {v['suppressed']:>6.0%} {cover:>6} {width:>7} {newest:>7}")
        print(f"  therapist figures (per therapist and week): {'exact':>8} {'MAE':>8} {'rel.':>7}  suppressed of those ≥ 5")
        for measure, v in s["therapist"].items():
            mae = "-" if v["mae"] is None else f"{v['mae']:.2f}"
            rel = "-" if v["mean_relative_error"] is None else f"{v['mean_relative_error']:.0%}"
            share = v["suppressed_exact_at_least_5"] / v["exact_at_least_5"] if v["exact_at_least_5"] else 0
            print(f"  {measure:<42} {v['mean_exact']:>8.1f} {mae:>8} {rel:>7}  "
                  f"{v['suppressed_exact_at_least_5']}/{v['exact_at_least_5']} ({share:.0%})")


if __name__ == "__main__":
    main()
