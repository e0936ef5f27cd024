"""What the PipelineDP and OpenDP baselines share: reading the attended appointments, the public
weeks, the errors against exact figures, and the JSON report. Each script supplies only its
`dp_release(attended, weeks, epsilon)`."""
import argparse
import json
import resource
import sys
import time
from pathlib import Path

import pandas as pd

ATTENDED = ["attended", "attended_late"]
MAX_MINUTES = 120


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read_attended(folder, with_appointment_id=False):
    """Attended appointments with a duration, with their client and ISO week."""
    ids = ["appointment_id"] if with_appointment_id else []
    referrals = pd.read_csv(folder / "referrals.csv", usecols=["referral_id", "client_id"], dtype=str)
    appointments = pd.read_csv(folder / "appointments.csv",
                               usecols=ids + ["referral_id", "therapist_id", "date", "status", "duration_minutes"],
                               dtype={c: str for c in ids + ["referral_id", "therapist_id", "status"]},
                               parse_dates=["date"])
    attended = appointments[appointments["status"].isin(ATTENDED) & appointments["duration_minutes"].notna()]
    attended = attended.merge(referrals, on="referral_id", how="inner")
    iso = attended["date"].dt.isocalendar()
    attended = attended.assign(week=iso["year"].astype(str) + "-W" + iso["week"].astype(str).str.zfill(2))
    return attended[ids + ["therapist_id", "week", "client_id", "duration_minutes", "date"]]


def all_weeks(first, last):
    """Every ISO week from the week of `first` to the week of `last`."""
    mondays = pd.date_range(first - pd.Timedelta(days=first.weekday()), last, freq="7D")
    return [f"{d.isocalendar().year}-W{d.isocalendar().week:02d}" for d in mondays]


def errors(attended, released):
    """Mean absolute errors of the released counts and means against the exact ones."""
    exact = (attended.groupby(["therapist_id", "week"])["duration_minutes"]
             .agg(exact_count="size", exact_mean="mean").reset_index())
    both = released.merge(exact, on=["therapist_id", "week"], how="left")
    both["exact_count"] = both["exact_count"].fillna(0)
    count_mae = float((both["dp_count"] - both["exact_count"]).abs().mean())
    seen = both[both["exact_count"] > 0]
    mean_mae = float((seen["dp_mean"] - seen["exact_mean"]).abs().mean())
    return count_mae, mean_mae


def run(description, tool, version, dp_release, with_appointment_id=False):
    """Parses the command line, times reading and the DP release, and prints the JSON report."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("exports", type=Path, help="folder with referrals.csv and appointments.csv")
    parser.add_argument("--epsilon", type=float, default=1.0, help="ε of the release (count and mean together)")
    args = parser.parse_args()

    started = time.perf_counter()
    attended = read_attended(args.exports, with_appointment_id)
    read_done = time.perf_counter()
    weeks = all_weeks(attended["date"].min(), attended["date"].max())
    released = dp_release(attended, weeks, args.epsilon)
    done = time.perf_counter()
    peak = peak_rss_mib()

    count_mae, mean_mae = errors(attended, released)
    json.dump({
        "tool": tool,
        "version": version,
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
