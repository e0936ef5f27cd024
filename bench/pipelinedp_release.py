#!/usr/bin/env python3
"""confide against PipelineDP on the same weekly release: the error of the seven practice-wide
weekly caseload counts (docs/privacy.md, Defaults and Utility) at the same guarantee.

The same guarantee: a client's worst case over 52 weeks of weekly releases, --annual (default
77.2, the weekly part of confide's defaults; supervision releases are not compared). confide reaches it with lifetime accounting (52 × epsilon_per_week +
referrals_per_client_year × epsilon_per_referral, the defaults scaled by --annual / 77.2);
PipelineDP, which accounts per release, gets --annual / 52 for each weekly release.

The seven counts: referrals_received, entered_treatment, appointments_attended,
appointments_dna, active_caseload, waiting_list, referrals_ended, practice-wide, for each of
the last WEEKS complete ISO weeks of the demo practice.

How it works:
1. `confide synth` writes the demo practice exactly as bench/privacy_utility.py does (3,000
   clients, 104 weeks, seed 2026, 12 therapists, the last day the Sunday that ends the last
   complete ISO week).
2. confide publishes the same weeks once in dp mode at --epsilon with min_clients 1, and each
   week's Reports/<week>/manifest.json gives the release's budget slots: every entry of
   `tables.<table>.measures` (`measure_id` such as `appointments/practice`, `epsilon_exact` as a
   fraction p/q, else `epsilon`, and `contribution_cap`). The script checks that the slots are
   the same every week and that their ε add up to the release's ε.
3. The exact (contribution-bounded) figures come from a workspace with epsilon_per_release
   100000 and min_clients 1, as in privacy_utility.py. They are the truth every error is
   measured against, for confide and for PipelineDP alike.
4. confide's own errors: --repeats fresh workspaces publish the weeks at --epsilon with
   min_clients 1 (privacy_utility.py's `publish`). min_clients 1 rather than the reports'
   default 5 so that confide and PipelineDP publish the same thing: every count, never
   suppressed for being small. A confide count suppressed there (noisy value below 1) is read as
   0, which is what clamping PipelineDP's noisy count at 0 gives too.
5. PipelineDP (LocalBackend, Laplace noise, δ = 0) computes the seven counts from the rows
   that bench/baselines/pandas_metrics.py counts: its `compute` runs unchanged, with its
   `count` wrapped for the call to keep each measure's rows (the wrapper still calls the
   original, so the baseline's own figures are unchanged), and each row gets the client_id of
   its referral. Privacy unit: client_id, in one weekly release (each week has its own
   accountant, as each confide release is ε-DP on its own week). Bounds: one public partition
   "all", max_partitions_contributed 1, max_contributions_per_partition = the cap of the
   measure's confide slot (2 for appointments, else 1). PipelineDP's noise is continuous
   Laplace (PyDP) on a float; its count is rounded to a whole number and a negative one
   published as 0 (confide's counts are whole numbers, clamped at 0 the same way). Two budget
   policies:

   (a) "same release": one NaiveBudgetAccountant per week with total ε = the release's ε and
       PipelineDP's default equal weights, over one aggregation per budget slot of the
       manifest, except that a slot shared by several of the seven counts becomes one
       aggregation per count: flows/practice (referrals_received, entered_treatment and
       referrals_ended), appointments/practice (appointments_attended and appointments_dna)
       and open_referrals/practice (active_caseload and waiting_list). So N = slots + 4
       aggregations (44 for the default 40 slots), each at ε/N. Why not one: PipelineDP bounds
       contributions per partition (L∞) and by partition count (L0) and calibrates to
       L1 = L0·L∞; it has no joint cap over a client's classes as confide's histograms do. One
       aggregation over the partitions {attended, dna} would need L0 = 2, L∞ = 2, so
       sensitivity 4 at ε/N, worse than two aggregations of sensitivity 2 at ε/(N+1) each (for
       open referrals, L0 = 2, L∞ = 1: scale 2N/ε against (N+1)/ε); and L0 = 1 instead would
       drop a client's second class, a bias (the flows are the exception where confide does
       exactly that: its cap of 1 a client-week keeps one of a client's flows when a week
       has two; the definitions check below shows whether any week of the data has such a
       client). Every other slot (breakdowns, outcomes, waits,
       sessions...) is counted as ONE aggregation, although confide draws several classes
       and publishes several measures from it: that is the fewest aggregations a PipelineDP
       user could get away with, so the split favours PipelineDP. The N - 7 aggregations that
       are not compared are registered with the accountant for real (DPEngine.aggregate, a
       COUNT over the week's appointment rows with the slot's cap, so they request their
       budget), but never evaluated: LocalBackend is lazy and only their budget matters.
       The script checks that the accountant gave each of the seven exactly ε/N.
   (b) "same per-slot ε": each of the seven counts gets its own accountant with total ε = the
       ε confide's manifest gives its slot (both counts of a shared slot get the slot's ε, as
       each class cell does in confide). This compares the mechanisms alone and checks the
       harness: the error should equal confide's for one-class counts and be lower for counts
       confide sums from two noisy class cells (active_caseload and waiting_list; see
       `CONFIDE_CELLS`).
6. --repeats independent draws per policy. Per measure and pooled over the seven (the mean of
   the per-measure figures, as privacy_utility.py pools): mean absolute error and mean relative
   error (|error| / exact, exact > 0), then the ratio PipelineDP error / confide error. Also a
   definitions check (the exact figures against pandas_metrics.py's unbounded ones and against
   PipelineDP's bounding, Σ min(rows, cap) per client) and the MAE and relative error expected
   from the noise scales alone (confide: the sum of its discrete Laplace class cells;
   PipelineDP: E|Laplace(b)| = b; no sampling error, no rounding or clamping at 0), pooled and
   as a ratio. --json prints one JSON object.

Usage (from the repository root; Python 3.11 with bench/baselines/requirements.txt):
    swift build --scratch-path .build-pdp
    .venv-bench/bin/python bench/pipelinedp_release.py --bin .build-pdp/debug/confide --repeats 8
"""
import argparse
import contextlib
import json
import math
import os
import shutil
import statistics
import sys
import tempfile
import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction
from pathlib import Path

import numpy as np
import pipeline_dp

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "baselines"))
import pandas_metrics  # noqa: E402  (bench/baselines)
import privacy_utility  # noqa: E402  (bench)

# A client's worst case over 52 weekly releases at confide's defaults (the supervision releases,
# which PipelineDP has no counterpart for, are left out of the comparison).
WEEKLY_YEAR = round(52 * privacy_utility.DEFAULT_WEEK + 2 * privacy_utility.DEFAULT_REFERRAL, 6)

# The seven practice-wide weekly caseload counts and the confide budget slot each is read from
# in dp mode (Sources/ConfideMetrics/MetricCatalogue.swift: referrals received, entries to
# treatment and endings from the practice's `flows`, one histogram of cap 1).
MEASURE_SLOT = {
    "referrals_received": "flows/practice",
    "entered_treatment": "flows/practice",
    "appointments_attended": "appointments/practice",
    "appointments_dna": "appointments/practice",
    "active_caseload": "open_referrals/practice",
    "waiting_list": "open_referrals/practice",
    "referrals_ended": "flows/practice",
}
MEASURES = list(MEASURE_SLOT)
# How many noisy class cells confide sums for each count (MetricCatalogue.swift): the two
# `.contact` open-referral classes (in treatment, waiting); the two `waiting.` classes. Used
# only for the expected noise-only MAE.
CONFIDE_CELLS = {"referrals_received": 1, "entered_treatment": 1, "appointments_attended": 1,
                 "appointments_dna": 1, "active_caseload": 2, "waiting_list": 2, "referrals_ended": 1}


# -- confide ---------------------------------------------------------------------------------

def manifest_slots(binary, work, exports, annual, weeks):
    """Publishes the weeks once at the annual budget `annual` (min_clients 1) and reads each
    week's manifest.

    Returns (PipelineDP's ε per release, {slot id: (ε, cap)}), checking that every week has the
    same slots."""
    workspace = work / "manifest"
    privacy_utility.run(binary, "init", workspace)
    scale = float(annual) / WEEKLY_YEAR
    privacy_utility.configure(workspace / "confide.toml", {
        ("source", "path"): json.dumps(str(exports)),
        ("privacy", "epsilon_per_week"): f"{privacy_utility.DEFAULT_WEEK * scale:.6f}",
        ("privacy", "epsilon_per_referral"): f"{privacy_utility.DEFAULT_REFERRAL * scale:.6f}",
        ("privacy", "min_clients"): "1",
        ("privacy", "epsilon_cap_per_year"): "1000000000",
    })
    privacy_utility.run(binary, "run", "--config", workspace / "confide.toml", "--backfill", weeks[0], "--quiet")
    found = None
    for week in weeks:
        manifest = json.loads((workspace / "Reports" / week / "manifest.json").read_text())
        privacy = manifest["privacy"]
        if privacy["mode"] != "dp":
            sys.exit(f"{week}: manifest mode {privacy['mode']}, expected dp")
        release = Fraction(str(annual)) / 52
        slots = {}
        for table in sorted(manifest["tables"]):
            for entry in manifest["tables"][table]["measures"]:
                eps = Fraction(str(entry.get("epsilon_exact", entry["epsilon"])))
                slots[entry["measure_id"]] = (eps, int(entry["contribution_cap"]))
        if found is None:
            found = (release, slots)
        elif found != (release, slots):
            sys.exit(f"{week}: the manifest's budget slots differ from {weeks[0]}'s")
    shutil.rmtree(workspace)
    release, slots = found
    missing = set(MEASURE_SLOT.values()) - set(slots)
    if missing:
        sys.exit(f"manifest has no slot {sorted(missing)}")
    return release, slots


def practice_counts(rows, weeks):
    """{measure: [value per week]} of the seven counts in privacy_utility.publish rows; a
    suppressed count (noisy value below min_clients) is read as 0."""
    values = {}
    for measure in MEASURES:
        values[measure] = []
        for week in weeks:
            row = rows[(week, measure, "practice", "all")]
            values[measure].append(float(row["value"]) if row["status"] == "published" else 0.0)
    return values


def suppressed_count(rows, weeks):
    return sum(rows[(w, m, "practice", "all")]["status"] != "published" for w in weeks for m in MEASURES)


# -- the rows pandas_metrics.py counts -------------------------------------------------------

@contextlib.contextmanager
def recording_counts():
    """While active, pandas_metrics.count also keeps each measure's frame (and still counts)."""
    frames, original = {}, pandas_metrics.count

    def record(frame, name, figures):
        frames[name] = frame
        original(frame, name, figures)

    pandas_metrics.count = record
    try:
        yield frames
    finally:
        pandas_metrics.count = original


def week_clients(exports, weeks):
    """{week: {measure: [client_id per counted row]}} and {week: {measure: pandas count}}."""
    referrals, appointments, measures = pandas_metrics.read(exports)
    client_of_referral = referrals.set_index("referral_id")["client_id"]
    clients, counts = {}, {}
    for week in weeks:
        with recording_counts() as frames:
            figures = pandas_metrics.compute(referrals, appointments, measures, week)
        clients[week] = {}
        for measure in MEASURES:
            frame = frames[measure]
            if "client_id" in frame.columns:             # open referrals (merged with referrals)
                ids = frame["client_id"]
            elif "referral_id" in frame.columns:         # appointments
                ids = frame["referral_id"].map(client_of_referral)
            else:                                        # referrals[...][[]]: the index is referrals'
                ids = referrals.loc[frame.index, "client_id"]
            if ids.isna().any() or len(ids) != figures["practice"][measure]:
                sys.exit(f"{week} {measure}: rows without a client")
            clients[week][measure] = [str(c) for c in ids]
        counts[week] = {m: figures["practice"][m] for m in MEASURES}
    return clients, counts, appointments.merge(referrals[["referral_id", "client_id"]], on="referral_id")


def bounded(ids, cap):
    """What PipelineDP's contribution bounding keeps of a count: Σ over clients of min(rows, cap)."""
    per_client = {}
    for c in ids:
        per_client[c] = per_client.get(c, 0) + 1
    return sum(min(n, cap) for n in per_client.values())


# -- PipelineDP ------------------------------------------------------------------------------

EXTRACTORS = pipeline_dp.DataExtractors(partition_extractor=lambda client: "all",
                                        privacy_id_extractor=lambda client: client,
                                        value_extractor=lambda client: 0)


def count_params(cap):
    return pipeline_dp.AggregateParams(metrics=[pipeline_dp.Metrics.COUNT],
                                       noise_kind=pipeline_dp.NoiseKind.LAPLACE,
                                       max_partitions_contributed=1,
                                       max_contributions_per_partition=cap)


def result_count(result):
    (partition, metrics), = list(result)
    assert partition == "all"
    # PipelineDP adds continuous Laplace noise (PyDP, to a float): the count is published as a
    # whole number, and a negative one as 0 (confide's post-processing of its integer counts).
    return float(max(0, round(metrics.count)))


def mechanism_epsilons(accountant):
    """ε of every mechanism the accountant gave out (a private attribute: a check only)."""
    return [m.mechanism_spec.eps for m in getattr(accountant, "_mechanisms", [])]


def same_release(clients, slots, release_eps, dummy_rows):
    """Policy (a): one week's seven counts, in a release of N = slots + 4 equal aggregations."""
    covered = set(MEASURE_SLOT.values())
    others = sorted(s for s in slots if s not in covered)
    n = len(MEASURES) + len(others)
    accountant = pipeline_dp.NaiveBudgetAccountant(total_epsilon=float(release_eps), total_delta=0,
                                                   num_aggregations=n)
    engine = pipeline_dp.DPEngine(accountant, pipeline_dp.LocalBackend())
    results = {m: engine.aggregate(clients[m], count_params(slots[MEASURE_SLOT[m]][1]), EXTRACTORS,
                                   public_partitions=["all"]) for m in MEASURES}
    for slot in others:   # registered with the accountant (budget requested), never evaluated
        engine.aggregate(dummy_rows, count_params(slots[slot][1]), EXTRACTORS, public_partitions=["all"])
    accountant.compute_budgets()
    given = mechanism_epsilons(accountant)
    if given and not all(math.isclose(e, float(release_eps) / n) for e in given):
        sys.exit(f"PipelineDP gave ε {sorted(set(given))}, expected {float(release_eps) / n} each")
    return {m: result_count(r) for m, r in results.items()}, n


def same_slot_epsilon(clients, slots):
    """Policy (b): each count alone, at its confide slot's ε."""
    values = {}
    for m in MEASURES:
        eps, cap = slots[MEASURE_SLOT[m]]
        accountant = pipeline_dp.NaiveBudgetAccountant(total_epsilon=float(eps), total_delta=0, num_aggregations=1)
        engine = pipeline_dp.DPEngine(accountant, pipeline_dp.LocalBackend())
        result = engine.aggregate(clients[m], count_params(cap), EXTRACTORS, public_partitions=["all"])
        accountant.compute_budgets()
        values[m] = result_count(result)
    return values


# -- errors ----------------------------------------------------------------------------------

def expected_abs_sum(scale, cells):
    """E|X| for X the sum of `cells` independent discrete Laplace draws of scale `scale`
    (pmf ∝ exp(-|x|/scale)), before clamping at 0."""
    a = math.exp(-1 / scale)
    half = int(math.ceil(60 * scale * math.sqrt(cells))) + 10
    support = np.arange(-half, half + 1)
    one = (1 - a) / (1 + a) * a ** np.abs(support)
    pmf = one
    for _ in range(cells - 1):
        pmf = np.convolve(pmf, one)
    values = np.arange(len(pmf)) - (len(pmf) - 1) // 2
    return float(np.sum(np.abs(values) * pmf))


def errors(estimates, truth):
    """Per measure: MAE and mean relative error of estimates [draw][measure][week] against truth."""
    out = {}
    for m in MEASURES:
        absolute, relative = [], []
        for draw in estimates:
            for value, true in zip(draw[m], truth[m]):
                absolute.append(abs(value - true))
                if true > 0:
                    relative.append(abs(value - true) / true)
        out[m] = {"mae": statistics.fmean(absolute),
                  "mean_relative_error": statistics.fmean(relative) if relative else None}
    out["pooled"] = {f: statistics.fmean(out[m][f] for m in MEASURES) for f in ("mae", "mean_relative_error")}
    return out


def ratio(a, b):
    return a / b if a is not None and b else None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=".build/debug/confide", help="the confide binary")
    parser.add_argument("--annual", default="77.2", help="a client's worst case over 52 weekly releases (default 77.2, the weekly part of confide's defaults)")
    parser.add_argument("--repeats", type=int, default=8, help="independent draws per policy and of confide (default 8)")
    parser.add_argument("--weeks", type=int, default=13, help="weeks, ending with the last complete one (default 13)")
    parser.add_argument("--clients", type=int, default=3000, help="synthetic clients (default 3000, as confide demo)")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the synthetic data only (default 2026)")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                        help="confide workspaces published at once (default 2)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    binary = Path(args.bin).resolve()

    work = Path(tempfile.mkdtemp(prefix="confide-pipelinedp-"))
    try:
        exports = work / "exports"
        last = privacy_utility.last_complete_week()
        privacy_utility.run(binary, "synth", "--out", exports, "--clients", args.clients, "--weeks", 104,
                            "--seed", args.seed, "--last-day", last.isoformat(), "--therapists", 12)
        weeks = [privacy_utility.iso_week(last - dt.timedelta(weeks=k)) for k in reversed(range(args.weeks))]
        release_eps, slots = manifest_slots(binary, work, exports, args.annual, weeks)
        # privacy_utility scales all four defaults by budget / DEFAULT_YEAR: the budget whose weekly
        # part is --annual.
        budget = float(args.annual) * privacy_utility.DEFAULT_YEAR / WEEKLY_YEAR
        jobs = [("exact", None)] + [(f"confide-{r}", budget) for r in range(args.repeats)]
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            published = pool.map(lambda j: privacy_utility.publish(binary, work, exports, j[0], j[1], 1, weeks)[0], jobs)
            # PipelineDP runs here while confide publishes.
            clients, pandas_counts, appointment_rows = week_clients(exports, weeks)
            pdp = {"same_release": [], "same_slot_epsilon": []}
            aggregations = None
            for _ in range(args.repeats):
                a, b = {m: [] for m in MEASURES}, {m: [] for m in MEASURES}
                for week in weeks:
                    in_week = appointment_rows[appointment_rows["date"].between(*pandas_metrics.week_days(week))]
                    values, aggregations = same_release(clients[week], slots, release_eps,
                                                        [str(c) for c in in_week["client_id"]])
                    for m in MEASURES:
                        a[m].append(values[m])
                    values = same_slot_epsilon(clients[week], slots)
                    for m in MEASURES:
                        b[m].append(values[m])
                pdp["same_release"].append(a)
                pdp["same_slot_epsilon"].append(b)
            results = dict(zip([j[0] for j in jobs], published))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    truth = practice_counts(results.pop("exact"), weeks)
    confide_draws = [practice_counts(rows, weeks) for rows in results.values()]
    confide_suppressed = sum(suppressed_count(rows, weeks) for rows in results.values())
    confide_err = errors(confide_draws, truth)
    pdp_err = {policy: errors(draws, truth) for policy, draws in pdp.items()}

    per_aggregation = release_eps / aggregations
    measures = {}
    for m in MEASURES:
        slot_eps, cap = slots[MEASURE_SLOT[m]]
        pdp_bounded = [bounded(clients[w][m], cap) for w in weeks]
        measures[m] = {
            "slot": MEASURE_SLOT[m], "contribution_cap": cap, "confide_cells": CONFIDE_CELLS[m],
            "mean_exact": statistics.fmean(truth[m]),
            "definitions": {"confide_exact": truth[m], "pandas_unbounded": [pandas_counts[w][m] for w in weeks],
                            "pipelinedp_bounded": pdp_bounded},
            "confide": {"epsilon": str(slot_eps), "noise_scale": float(cap / slot_eps),
                        "expected_mae": expected_abs_sum(float(cap / slot_eps), CONFIDE_CELLS[m]), **confide_err[m]},
            "same_release": {"epsilon": float(per_aggregation), "noise_scale": float(cap / per_aggregation),
                             "expected_mae": float(cap / per_aggregation),   # E|Laplace(b)| = b
                             **pdp_err["same_release"][m],
                             "mae_ratio": ratio(pdp_err["same_release"][m]["mae"], confide_err[m]["mae"]),
                             "relative_error_ratio": ratio(pdp_err["same_release"][m]["mean_relative_error"],
                                                           confide_err[m]["mean_relative_error"])},
            "same_slot_epsilon": {"epsilon": float(slot_eps), "noise_scale": float(cap / slot_eps),
                                  "expected_mae": float(cap / slot_eps),
                                  **pdp_err["same_slot_epsilon"][m],
                                  "mae_ratio": ratio(pdp_err["same_slot_epsilon"][m]["mae"], confide_err[m]["mae"]),
                                  "relative_error_ratio": ratio(pdp_err["same_slot_epsilon"][m]["mean_relative_error"],
                                                                confide_err[m]["mean_relative_error"])},
        }
    # The same figures from the noise scales alone (no sampling error; no clamping at 0).
    for v in measures.values():
        positive = [t for t in v["definitions"]["confide_exact"] if t > 0]
        for side in ("confide", "same_release", "same_slot_epsilon"):
            v[side]["expected_relative_error"] = statistics.fmean(v[side]["expected_mae"] / t for t in positive)
    expected = {side: {"mae": statistics.fmean(v[side]["expected_mae"] for v in measures.values()),
                       "mean_relative_error": statistics.fmean(v[side]["expected_relative_error"]
                                                               for v in measures.values())}
                for side in ("confide", "same_release", "same_slot_epsilon")}
    for side in pdp:
        expected[side]["mae_ratio"] = ratio(expected[side]["mae"], expected["confide"]["mae"])
        expected[side]["relative_error_ratio"] = ratio(expected[side]["mean_relative_error"],
                                                       expected["confide"]["mean_relative_error"])
    pooled = {"confide": confide_err["pooled"]}
    for policy in pdp:
        p = pdp_err[policy]["pooled"]
        pooled[policy] = {**p, "mae_ratio": ratio(p["mae"], confide_err["pooled"]["mae"]),
                          "relative_error_ratio": ratio(p["mean_relative_error"],
                                                        confide_err["pooled"]["mean_relative_error"])}
    summary = {
        "clients": args.clients, "weeks": weeks, "repeats": args.repeats,
        "epsilon_per_release": str(release_eps), "annual_budget": str(args.annual), "budget_slots": len(slots),
        "slot_epsilons": {s: str(e) for s, (e, _) in slots.items()},
        "pipelinedp_version": pipeline_dp.__version__,
        "same_release_aggregations": aggregations, "same_release_epsilon_each": float(per_aggregation),
        "confide_suppressed_read_as_0": confide_suppressed,
        "measures": measures, "pooled": pooled, "expected_pooled": expected,
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return

    print(f"{args.clients} clients, weeks {weeks[0]}..{weeks[-1]}, annual budget {args.annual}: PipelineDP ε = {float(release_eps):.4f} per release, "
          f"{args.repeats} draws per policy; PipelineDP {pipeline_dp.__version__}")
    print(f"confide: {len(slots)} budget slots (ε split by weights); "
          f"(a) same release: {aggregations} PipelineDP aggregations at ε/{aggregations} = {float(per_aggregation):.4f}; "
          f"(b) each count at its confide slot's ε")
    print(f"confide counts suppressed (noisy < 1, read as 0): {confide_suppressed} of {len(MEASURES) * len(weeks) * args.repeats}")
    print("\ndefinitions: mean weekly value (confide exact | pandas_metrics unbounded | PipelineDP bounding)")
    for m, v in measures.items():
        d = v["definitions"]
        print(f"  {m:<24} {statistics.fmean(d['confide_exact']):8.1f} {statistics.fmean(d['pandas_unbounded']):8.1f} "
              f"{statistics.fmean(d['pipelinedp_bounded']):8.1f}   max |confide - PipelineDP bounding| "
              f"{max(abs(x - y) for x, y in zip(d['confide_exact'], d['pipelinedp_bounded'])):.0f}")
    header = (f"\n{'measure':<24} {'exact':>6} | {'confide ε':>9} {'MAE':>6} {'rel':>6} | "
              f"{'(a) ε':>7} {'MAE':>6} {'rel':>6} {'ratio':>6} | {'(b) MAE':>7} {'rel':>6} {'ratio':>6}")
    print(header)
    for m, v in measures.items():
        c, a, b = v["confide"], v["same_release"], v["same_slot_epsilon"]
        print(f"{m:<24} {v['mean_exact']:6.1f} | {float(Fraction(c['epsilon'])):9.4f} {c['mae']:6.2f} {c['mean_relative_error']:6.1%} | "
              f"{a['epsilon']:7.4f} {a['mae']:6.2f} {a['mean_relative_error']:6.1%} {a['mae_ratio']:6.2f} | "
              f"{b['mae']:7.2f} {b['mean_relative_error']:6.1%} {b['mae_ratio']:6.2f}")
    c, a, b = pooled["confide"], pooled["same_release"], pooled["same_slot_epsilon"]
    print(f"{'pooled (mean of the 7)':<24} {'':>6} | {'':>9} {c['mae']:6.2f} {c['mean_relative_error']:6.1%} | "
          f"{'':>7} {a['mae']:6.2f} {a['mean_relative_error']:6.1%} {a['mae_ratio']:6.2f} | "
          f"{b['mae']:7.2f} {b['mean_relative_error']:6.1%} {b['mae_ratio']:6.2f}")
    print(f"\nratio PipelineDP / confide, pooled: (a) same release MAE {a['mae_ratio']:.2f}, relative error "
          f"{a['relative_error_ratio']:.2f}; (b) same per-slot ε MAE {b['mae_ratio']:.2f}, relative error "
          f"{b['relative_error_ratio']:.2f}")
    print("\nexpected MAE from the noise scales alone (no rounding or clamping at 0): confide | (a) | (b)")
    for m, v in measures.items():
        print(f"  {m:<24} {v['confide']['expected_mae']:6.2f} | {v['same_release']['expected_mae']:6.2f} | "
              f"{v['same_slot_epsilon']['expected_mae']:6.2f}")
    e = expected
    print(f"  {'pooled (mean of the 7)':<24} {e['confide']['mae']:6.2f} | {e['same_release']['mae']:6.2f} | "
          f"{e['same_slot_epsilon']['mae']:6.2f}")
    print(f"expected ratio PipelineDP / confide, pooled: (a) MAE {e['same_release']['mae_ratio']:.2f}, relative error "
          f"{e['same_release']['relative_error_ratio']:.2f}; (b) MAE {e['same_slot_epsilon']['mae_ratio']:.2f}, "
          f"relative error {e['same_slot_epsilon']['relative_error_ratio']:.2f}")


if __name__ == "__main__":
    main()
