#!/usr/bin/env python3
"""Baseline: differentially private counts and means per (therapist, week) with OpenDP.

The same release as pipelinedp_counts.py, written with the OpenDP library:

- the count of attended appointments (status attended or attended_late) per (therapist, ISO week),
  over every week of the data;
- the mean of duration_minutes of those appointments per (therapist, ISO week), bounded to
  [0, 120] minutes (60 + noisy sum of clamped minutes minus 60 / noisy count).

Privacy unit: one client in one ISO week. Contribution bounding, done with pandas before OpenDP
sees the data (OpenDP's core library has no grouped bounding): each client-week keeps the
therapist of its first attended appointment and at most its first 2 appointments with that
therapist. After that, adding or removing one client-week changes at most 2 rows, one partition.

The counts are an OpenDP chain: make_count_by_categories over the public partitions (every
therapist in the data times every ISO week from the first to the last appointment), then discrete
Laplace noise, with d_in = 2 rows. The sums of clamped minutes minus 60 are a vector with L1
sensitivity 2 × 60, with discrete Laplace noise. --epsilon is split evenly between the two, and OpenDP's own
privacy map checks each half.

Appointments without a duration (the synthetic practice has none) are left out of both.

Usage: opendp_counts.py EXPORTS_DIR [--epsilon 1.0]

Prints one JSON object: seconds (reading, bounding and noise), read_seconds, dp_seconds,
peak_rss_mib (of that part), rows, partitions, and count_mae and mean_mae against the exact
per-partition figures (before bounding) computed afterwards with pandas.
"""

import numpy as np
import opendp.prelude as dp
import pandas as pd

from dp_baseline import MAX_MINUTES, run

dp.enable_features("contrib")

PER_CLIENT_WEEK = 2


def bound(attended):
    """One therapist and at most PER_CLIENT_WEEK appointments per client-week."""
    rows = attended.sort_values(["client_id", "week", "date", "appointment_id"])
    first_therapist = rows.groupby(["client_id", "week"])["therapist_id"].transform("first")
    rows = rows[rows["therapist_id"] == first_therapist]
    return rows[rows.groupby(["client_id", "week"]).cumcount() < PER_CLIENT_WEEK]


def laplace_for(space, d_in, epsilon):
    """A discrete Laplace measurement on `space` whose privacy loss at d_in is epsilon."""
    measurement = dp.binary_search_chain(lambda scale: space >> dp.m.then_laplace(scale), d_in=d_in, d_out=epsilon)
    assert measurement.map(d_in) <= epsilon + 1e-9
    return measurement


def dp_release(attended, weeks, epsilon):
    therapists = sorted(attended["therapist_id"].unique())
    partitions = [f"{t}|{w}" for t in therapists for w in weeks]
    bounded = bound(attended)
    keys = (bounded["therapist_id"] + "|" + bounded["week"]).tolist()

    # Counts: OpenDP counts the bounded rows by public category, then adds noise.
    count_space = (dp.vector_domain(dp.atom_domain(T=str)), dp.symmetric_distance())
    count_by_partition = dp.t.make_count_by_categories(*count_space, categories=partitions, null_category=False)
    count_release = laplace_for(count_by_partition.output_space, PER_CLIENT_WEEK, epsilon / 2)
    noisy_counts = np.array(count_release(count_by_partition(keys)), dtype=float)

    # Sums per partition of the clamped minutes centred on the middle of the bounds (each row in
    # [-60, 60], as PipelineDP's mean does): a vector with L1 sensitivity 2 × 60, then noise.
    middle = MAX_MINUTES // 2
    centred = bounded["duration_minutes"].clip(0, MAX_MINUTES).round().astype(int) - middle
    sums = centred.groupby(keys).sum().reindex(partitions, fill_value=0)
    sum_space = (dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int))
    sum_release = laplace_for(sum_space, PER_CLIENT_WEEK * middle, epsilon / 2)
    noisy_sums = np.array(sum_release([int(x) for x in sums]), dtype=float)

    # Post-processing: the mean is the middle + noisy centred sum / noisy count, within the bounds.
    means = np.clip(middle + noisy_sums / np.maximum(noisy_counts, 1), 0, MAX_MINUTES)
    split = [p.split("|") for p in partitions]
    return pd.DataFrame({"therapist_id": [s[0] for s in split], "week": [s[1] for s in split],
                         "dp_count": noisy_counts, "dp_mean": means})


if __name__ == "__main__":
    run(__doc__.split("\n\n")[0], "opendp", getattr(dp, "__version__", None) or __import__("opendp").__version__, dp_release, with_appointment_id=True)
