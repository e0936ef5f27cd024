#!/usr/bin/env python3
"""Baseline: differentially private counts and means per (therapist, week) with PipelineDP.

The same release confide's benchmark measures, written with PipelineDP (local backend):

- the count of attended appointments (status attended or attended_late) per (therapist, ISO week),
  over every week of the data;
- the mean of duration_minutes of those appointments per (therapist, ISO week), bounded to
  [0, 120] minutes.

Privacy unit: one client in one ISO week (a weekly release protects each client's week, as each
of confide's weekly releases does). Contribution bounding: at most 1 therapist per client per
week (max_partitions_contributed = 1) and at most 2 appointments per client per week
(max_contributions_per_partition = 2). Partitions are public: every therapist in the data times
every ISO week from the first to the last appointment (no partition selection, delta = 0).
Laplace noise; --epsilon is split evenly between the count and the mean.

Appointments without a duration (the synthetic practice has none) are left out of both.

Usage: pipelinedp_counts.py EXPORTS_DIR [--epsilon 1.0]

Prints one JSON object: seconds (reading, bounding and noise), read_seconds, dp_seconds,
peak_rss_mib (of that part), rows, partitions, and count_mae and mean_mae against the exact
per-partition figures computed afterwards with pandas.
"""
import argparse
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pipeline_dp

ATTENDED = ["attended", "attended_late"]
MAX_MINUTES = 120


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read_attended(folder):
    """Attended appointments with their client and ISO week."""
    referrals = pd.read_csv(folder / "referrals.csv", usecols=["referral_id", "client_id"], dtype=str)
    appointments = pd.read_csv(folder / "appointments.csv",
                               usecols=["referral_id", "therapist_id", "date", "status", "duration_minutes"],
                               dtype={"referral_id": str, "therapist_id": str, "status": str}, parse_dates=["date"])
    attended = appointments[appointments["status"].isin(ATTENDED) & appointments["duration_minutes"].notna()]
    attended = attended.merge(referrals, on="referral_id", how="inner")
    iso = attended["date"].dt.isocalendar()
    attended = attended.assign(week=iso["year"].astype(str) + "-W" + iso["week"].astype(str).str.zfill(2))
    return attended[["therapist_id", "week", "client_id", "duration_minutes", "date"]]


def all_weeks(first, last):
    """Every ISO week from the week of `first` to the week of `last`."""
    mondays = pd.date_range(first - pd.Timedelta(days=first.weekday()), last, freq="7D")
    return [f"{d.isocalendar().year}-W{d.isocalendar().week:02d}" for d in mondays]


def dp_release(attended, weeks, epsilon):
    therapists = sorted(attended["therapist_id"].unique())
    public_partitions = [(t, w) for t in therapists for w in weeks]
    rows = list(zip(attended["therapist_id"], attended["week"], attended["client_id"],
                    attended["duration_minutes"].astype(float)))

    accountant = pipeline_dp.NaiveBudgetAccountant(total_epsilon=epsilon, total_delta=0)
    engine = pipeline_dp.DPEngine(accountant, pipeline_dp.LocalBackend())
    params = pipeline_dp.AggregateParams(
        metrics=[pipeline_dp.Metrics.COUNT, pipeline_dp.Metrics.MEAN],
        noise_kind=pipeline_dp.NoiseKind.LAPLACE,
        max_partitions_contributed=1,        # one therapist per client-week
        max_contributions_per_partition=2,   # two appointments per client-week
        min_value=0, max_value=MAX_MINUTES)
    extractors = pipeline_dp.DataExtractors(
        partition_extractor=lambda r: (r[0], r[1]),
        privacy_id_extractor=lambda r: (r[2], r[1]),   # the client in that week
        value_extractor=lambda r: r[3])
    result = engine.aggregate(rows, params, extractors, public_partitions=public_partitions)
    accountant.compute_budgets()
    return pd.DataFrame([(key[0], key[1], metrics.count, metrics.mean) for key, metrics in result],
                        columns=["therapist_id", "week", "dp_count", "dp_mean"])


def errors(attended, released):
    exact = (attended.groupby(["therapist_id", "week"])["duration_minutes"]
             .agg(exact_count="size", exact_mean="mean").reset_index())
    both = released.merge(exact, on=["therapist_id", "week"], how="left")
    both["exact_count"] = both["exact_count"].fillna(0)
    count_mae = float((both["dp_count"] - both["exact_count"]).abs().mean())
    seen = both[both["exact_count"] > 0]
    mean_mae = float((seen["dp_mean"] - seen["exact_mean"]).abs().mean())
    return count_mae, mean_mae


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("exports", type=Path, help="folder with referrals.csv and appointments.csv")
    parser.add_argument("--epsilon", type=float, default=1.0, help="ε of the release (count and mean together)")
    args = parser.parse_args()

    started = time.perf_counter()
    attended = read_attended(args.exports)
    read_done = time.perf_counter()
    weeks = all_weeks(attended["date"].min(), attended["date"].max())
    released = dp_release(attended, weeks, args.epsilon)
    done = time.perf_counter()
    peak = peak_rss_mib()

    count_mae, mean_mae = errors(attended, released)
    json.dump({
        "tool": "pipelinedp",
        "version": getattr(pipeline_dp, "__version__", "unknown"),
        "epsilon": args.epsilon,
        "seconds": round(done - started, 4),
        "read_seconds": round(read_done - started, 4),
        "dp_seconds": round(done - read_done, 4),
        "peak_rss_mib": round(peak, 1),
        "rows": len(attended),
        "partitions": len(released),
        "count_mae": round(count_mae, 4),
        "mean_mae": round(mean_mae, 4),
    }, sys.stdout)
    print()


if __name__ == "__main__":
    main()
