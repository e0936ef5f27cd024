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

import pandas as pd
import pipeline_dp

from dp_baseline import MAX_MINUTES, run


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


if __name__ == "__main__":
    run(__doc__.split("\n\n")[0], "pipelinedp", getattr(pipeline_dp, "__version__", "unknown"), dp_release)
