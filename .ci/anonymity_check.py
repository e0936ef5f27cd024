#!/usr/bin/env python3
"""Checks outputs of `confide anonymize` with pycanon, an independent implementation.

usage: anonymity_check.py OUT.csv K [--sensitive COLUMN --l L [--entropy]] [--sep ,] --qi COLUMN...

Suppressed records (every QI `*`) are dropped before checking (privacy-algorithms.md §7.4,
gotcha 5), and the frame is given a RangeIndex (gotcha 2). pycanon's entropy l-diversity rounds
exp(min H) down (gotcha 3), so entropy l is checked here as min H >= ln l - 1e-9.
"""
import argparse
import math
import sys

import pandas as pd
from pycanon import anonymity

parser = argparse.ArgumentParser()
parser.add_argument("out")
parser.add_argument("k", type=int)
parser.add_argument("--qi", action="append", required=True)
parser.add_argument("--sensitive")
parser.add_argument("--l", type=int)
parser.add_argument("--entropy", action="store_true")
parser.add_argument("--sep", default=";")
args = parser.parse_args()

frame = pd.read_csv(args.out, sep=args.sep, dtype=str, keep_default_na=False)
suppressed = (frame[args.qi] == "*").all(axis=1)
kept = frame[~suppressed].reset_index(drop=True)
failures = []
k = anonymity.k_anonymity(kept, args.qi)
print(f"{args.out}: {len(frame)} records, {int(suppressed.sum())} suppressed; pycanon k = {k}", end="")
if k < args.k:
    failures.append(f"k = {k} < {args.k}")
if args.l:
    if args.entropy:
        entropies = []
        for _, group in kept.groupby(args.qi):
            shares = group[args.sensitive].value_counts(normalize=True)
            entropies.append(-sum(p * math.log(p) for p in shares))
        smallest = min(entropies)
        print(f"; smallest class entropy {smallest:.12f} (ln {args.l} = {math.log(args.l):.12f})", end="")
        if smallest < math.log(args.l) - 1e-9:
            failures.append(f"entropy l-diversity below ln {args.l}")
    else:
        l = anonymity.l_diversity(kept, args.qi, [args.sensitive])
        print(f"; pycanon l = {l}", end="")
        if l < args.l:
            failures.append(f"l = {l} < {args.l}")
print()
if failures:
    print("anonymity-check: FAILED: " + "; ".join(failures), file=sys.stderr)
    sys.exit(1)
