#!/usr/bin/env python3
"""Reads facemirror's <stem>_{left,right}_mirrored_coded.csv as the upstream analysis reads its coded
CSVs (pandas.read_csv when pandas is installed, else the csv module): by column name, `frame`,
`action` (a movement code per frame, blank where not coded) and the 18 OpenFace AU intensities
`AU01_r` ... `AU45_r`; rows selected by their action code. Checks the columns, that every code is one
of the exam's, that the frames run 0, 1, 2, ... with one row each, and, when given, the row count.
Prints one JSON line: the reader used, the rows, and the frames per code. Exit 1 with the reason
when a check fails.

Usage: check_coded_csv.py CODED.csv [--frames N]
"""
import json
import sys

CODES = {"BL", "RE", "ES", "ET", "BK", "FR", "WN", "SS", "BS", "SO", "SE", "PL", "BC", "LT"}
AUS = ["AU01", "AU02", "AU04", "AU05", "AU06", "AU07", "AU09", "AU10", "AU12", "AU14",
       "AU15", "AU16", "AU17", "AU20", "AU23", "AU25", "AU26", "AU45"]


def read(path):
    """(reader, columns, rows as dicts of text; blank action as '')."""
    try:
        import pandas as pd
    except ImportError:
        import csv
        with open(path, newline="") as f:
            r = csv.DictReader(f)
            return "csv", list(r.fieldnames or []), list(r)
    df = pd.read_csv(path, keep_default_na=False, dtype={"action": str})
    return "pandas " + pd.__version__, list(df.columns), df.astype(str).to_dict("records")


def main():
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        sys.exit(__doc__)
    path, expected = args[0], None
    if "--frames" in args:
        expected = int(args[args.index("--frames") + 1])
    reader, columns, rows = read(path)
    problems = []
    wanted = ["frame", "action"] + [a + "_r" for a in AUS]
    if columns != wanted:
        problems.append(f"columns {columns}; expected {wanted}")
    codes = {}
    for n, row in enumerate(rows):
        code = row.get("action", "").strip()
        if code and code not in CODES:
            problems.append(f"row {n + 2}: action {code!r} is not an exam code")
        codes[code or "(blank)"] = codes.get(code or "(blank)", 0) + 1
        if str(row.get("frame")) != str(n):
            problems.append(f"row {n + 2}: frame {row.get('frame')!r}, expected {n}")
            break
        for a in AUS:
            value = row.get(a + "_r", "")
            try:
                float(value)
            except ValueError:
                problems.append(f"row {n + 2}: {a}_r {value!r} is not a number")
                break
    if expected is not None and len(rows) != expected:
        problems.append(f"{len(rows)} rows; expected {expected}")
    if problems:
        sys.exit(f"{path}: " + "; ".join(problems[:5]))
    print(json.dumps({"reader": reader, "rows": len(rows), "frames_per_code": codes}, sort_keys=True))


if __name__ == "__main__":
    main()
