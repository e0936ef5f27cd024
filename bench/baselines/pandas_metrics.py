#!/usr/bin/env python3
"""Baseline: the weekly caseload and outcome figures of one ISO week, with pandas.

What an analyst would write instead of confide: read the three canonical CSV files of an export
folder and compute, for one ISO week (Monday to Sunday), practice-wide and per therapist, the same
exact counts confide computes before protecting them (no noise, no suppression):

- referrals_received: referrals received in the week (practice only: a referral has no therapist
  until it is seen, as in confide);
- entered_treatment: referrals whose first attended treatment session is in the week (therapist
  of that session);
- appointments_attended (attended + attended_late), appointments_<status> for every other status
  (attended_late, late_not_seen, dna, cancelled_by_client, cancelled_by_practice): appointments in
  the week (therapist of the appointment);
- active_caseload / open_no_contact_90_days: referrals open at the week's end (received on or
  before it, no end date or one after it) with / without an attended appointment in the 90 days
  ending on the week's end, inclusive; waiting_list, waiting_over_6_weeks, waiting_over_18_weeks:
  open referrals without an attended treatment session by the week's end, by days since referral
  (therapist of the last attended contact, if any);
- referrals_ended: referrals whose end date is in the week;
- finished_treatment, at_caseness, recovered, reliably_improved: referrals ended in the week
  with at least two attended treatment sessions, classified from PHQ-9 and GAD-7 scores on or
  before the end (caseness PHQ-9 >= 10 or GAD-7 >= 8; reliable change 6 and 4), as the national
  definitions do (therapist of the last treatment session).

Usage: pandas_metrics.py EXPORTS_DIR [--week YYYY-Www] [--figures]

Prints one JSON object: seconds (reading plus computing), read_seconds, compute_seconds,
peak_rss_mib, rows read, the week, and the practice-wide figures (with --figures, the
per-therapist ones too). The default week is the last complete ISO week in the data.
"""
import argparse
import datetime as dt
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ATTENDED = ["attended", "attended_late"]
STATUSES = ["attended", "attended_late", "late_not_seen", "dna", "cancelled_by_client", "cancelled_by_practice"]
ACTIVE_DAYS = 90
CASENESS = {"phq9": 10, "gad7": 8}
RELIABLE = {"phq9": 6, "gad7": 4}


def peak_rss_mib():
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read(folder):
    referrals = pd.read_csv(folder / "referrals.csv", usecols=["referral_id", "client_id", "received_date", "end_date"],
                            dtype={"referral_id": str, "client_id": str}, parse_dates=["received_date", "end_date"])
    appointments = pd.read_csv(folder / "appointments.csv",
                               usecols=["appointment_id", "referral_id", "therapist_id", "date", "kind", "status"],
                               dtype={"appointment_id": str, "referral_id": str, "therapist_id": str,
                                      "kind": "category", "status": "category"},
                               parse_dates=["date"])
    measures = pd.read_csv(folder / "measures.csv", dtype={"referral_id": str, "instrument": "category"},
                           parse_dates=["date"])
    return referrals, appointments, measures


def last_complete_week(referrals, appointments):
    last = max(appointments["date"].max(), referrals["received_date"].max()).date()
    sunday = last - dt.timedelta(days=(last.isoweekday() % 7))   # the last Sunday on or before `last`
    year, week, _ = sunday.isocalendar()
    return f"{year}-W{week:02d}"


def week_days(week):
    monday = pd.Timestamp(dt.date.fromisocalendar(int(week[:4]), int(week[6:]), 1))
    return monday, monday + pd.Timedelta(days=6)


def count(frame, name, figures):
    """Adds a practice-wide count and counts per therapist (rows with a therapist) of `frame`."""
    figures["practice"][name] = int(len(frame))
    if "therapist_id" in frame:
        for therapist, n in frame["therapist_id"].dropna().value_counts().items():
            figures["therapist"].setdefault(therapist, {})[name] = int(n)


def compute(referrals, appointments, measures, week):
    start, end = week_days(week)
    figures = {"practice": {}, "therapist": {}}

    # Referrals received (practice only).
    count(referrals[referrals["received_date"].between(start, end)][[]], "referrals_received", figures)

    # Appointments in the week, by status, with their own therapist.
    in_week = appointments[appointments["date"].between(start, end)]
    count(in_week[in_week["status"].isin(ATTENDED)], "appointments_attended", figures)
    for status in STATUSES[1:]:
        count(in_week[in_week["status"] == status], f"appointments_{status}", figures)

    # Attended contacts up to the week's end, in date order (the last one gives the therapist).
    attended = appointments[appointments["status"].isin(ATTENDED) & (appointments["date"] <= end)]
    attended = attended.sort_values(["referral_id", "date", "appointment_id"])
    treatment = attended[attended["kind"] == "treatment"]

    # Entering treatment: the first attended treatment session falls in the week.
    first_treatment = treatment.drop_duplicates("referral_id", keep="first")
    count(first_treatment[first_treatment["date"] >= start], "entered_treatment", figures)

    # Open referrals at the week's end, with their last attended contact.
    is_open = (referrals["received_date"] <= end) & (referrals["end_date"].isna() | (referrals["end_date"] > end))
    last_contact = attended.drop_duplicates("referral_id", keep="last")[["referral_id", "date", "therapist_id"]]
    open_referrals = referrals[is_open].merge(last_contact, on="referral_id", how="left")
    seen = open_referrals["date"] > end - pd.Timedelta(days=ACTIVE_DAYS)
    count(open_referrals[seen], "active_caseload", figures)
    count(open_referrals[~seen], "open_no_contact_90_days", figures)

    in_treatment = open_referrals["referral_id"].isin(treatment["referral_id"])
    waiting = open_referrals[~in_treatment]
    waited = (end - waiting["received_date"]).dt.days
    count(waiting, "waiting_list", figures)
    count(waiting[waited > 42], "waiting_over_6_weeks", figures)
    count(waiting[waited > 126], "waiting_over_18_weeks", figures)

    # Endings in the week.
    ended = referrals[referrals["end_date"].between(start, end)]
    count(ended[[]], "referrals_ended", figures)

    # Finished courses: ended in the week with at least two attended treatment sessions by the end.
    sessions = treatment.merge(ended[["referral_id", "end_date"]], on="referral_id")
    sessions = sessions[sessions["date"] <= sessions["end_date"]]
    per_course = sessions.groupby("referral_id").agg(sessions=("date", "size"), therapist_id=("therapist_id", "last"))
    finished = per_course[per_course["sessions"] >= 2]
    count(finished, "finished_treatment", figures)

    # Outcomes: first and last score of each instrument on or before the end.
    scores = measures[measures["referral_id"].isin(finished.index)].merge(
        ended[["referral_id", "end_date"]], on="referral_id")
    scores = scores[scores["date"] <= scores["end_date"]].sort_values(["referral_id", "instrument", "date"])
    ends = scores.groupby(["referral_id", "instrument"], observed=True).agg(
        first=("score", "first"), last=("score", "last"), first_date=("date", "first"), last_date=("date", "last"))
    ends = ends.reset_index()
    ends["caseness"] = ends["instrument"].map(CASENESS).astype(float)
    ends["reliable"] = ends["instrument"].map(RELIABLE).astype(float)
    ends = ends.dropna(subset=["caseness"])          # instruments other than PHQ-9 and GAD-7
    ends["paired"] = ends["first_date"] != ends["last_date"]
    ends["start_case"] = ends["first"] >= ends["caseness"]
    ends["end_case"] = ends["last"] >= ends["caseness"]
    ends["improved"] = ends["first"] - ends["last"] >= ends["reliable"]
    ends["deteriorated"] = ends["last"] - ends["first"] >= ends["reliable"]
    course = ends.groupby("referral_id").agg(
        paired=("paired", "all"), at_caseness=("start_case", "any"), still_case=("end_case", "any"),
        improved=("improved", "any"), deteriorated=("deteriorated", "any"))
    course = course.join(finished[["therapist_id"]])
    at_caseness = course[course["at_caseness"]]
    count(at_caseness, "at_caseness", figures)
    count(at_caseness[at_caseness["paired"] & ~at_caseness["still_case"]], "recovered", figures)
    count(course[course["paired"] & course["improved"] & ~course["deteriorated"]], "reliably_improved", figures)
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("exports", type=Path, help="folder with referrals.csv, appointments.csv and measures.csv")
    parser.add_argument("--week", help="ISO week YYYY-Www (default: the last complete week in the data)")
    parser.add_argument("--figures", action="store_true", help="print the per-therapist figures too")
    args = parser.parse_args()

    started = time.perf_counter()
    referrals, appointments, measures = read(args.exports)
    read_done = time.perf_counter()
    week = args.week or last_complete_week(referrals, appointments)
    figures = compute(referrals, appointments, measures, week)
    done = time.perf_counter()

    result = {
        "tool": "pandas",
        "version": pd.__version__,
        "week": week,
        "seconds": round(done - started, 4),
        "read_seconds": round(read_done - started, 4),
        "compute_seconds": round(done - read_done, 4),
        "peak_rss_mib": round(peak_rss_mib(), 1),
        "rows": len(referrals) + len(appointments) + len(measures),
        "therapists": len(figures["therapist"]),
        "practice": figures["practice"],
    }
    if args.figures:
        result["therapist"] = dict(sorted(figures["therapist"].items()))
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
