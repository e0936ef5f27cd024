#!/usr/bin/env python3
"""Writes N records (default 1,000,000) of ARX's Adult schema: adult.csv repeated, then the
`age` column (a quasi-identifier) shuffled across all records with a seeded generator, so the
copies do not all fall into the same classes. Same header, `;` separator and CRLF as adult.csv.

usage: adult_million.py ADULT.csv OUT.csv [--records N] [--seed S] [--column age]
"""
import argparse
import random

parser = argparse.ArgumentParser()
parser.add_argument("adult")
parser.add_argument("out")
parser.add_argument("--records", type=int, default=1_000_000)
parser.add_argument("--seed", type=int, default=15)
parser.add_argument("--column", default="age")
args = parser.parse_args()

with open(args.adult, newline="") as source:
    lines = source.read().split("\r\n")
header, rows = lines[0], [line.split(";") for line in lines[1:] if line]
column = header.split(";").index(args.column)
records = [rows[index % len(rows)] for index in range(args.records)]
values = [record[column] for record in records]
random.Random(args.seed).shuffle(values)
with open(args.out, "w", newline="") as out:
    out.write(header + "\r\n")
    for record, value in zip(records, values):
        fields = list(record)
        fields[column] = value
        out.write(";".join(fields) + "\r\n")
