"""`attachsim export`: a results file as tidy CSV tables with a column dictionary (docs/export.md).

Usage: python3 -m attachsim.export FILE [-o DIR]     (attachsim export runs this)

A run file gives
  metrics.csv      one row per arm, dyad and record: time_days, age_months and every metric (and
                   per-record model data such as figures/<name>/trust)
  per_dyad.csv     one row per arm and dyad: the drawn parameters (param/<key>) and every
                   per-dyad model dataset (ssp/age_12mo/class, observed/sensitivity_6mo, ...)
a sweep file gives
  sweep.csv        one row per arm, point and replicate: the swept values, the seed, each metric's
                   mean over dyads at the last record, the class shares
and both give
  dictionary.csv   table, column, units, description and codes of every column
  provenance.csv   the file's version, build, creation time, seed and command line

Each file is written under a temporary name and renamed when complete. Exit 2 with a message
naming the file and dataset when the input is not a valid attachsim results file.

attachsim illustrates published findings about populations; it does not assess or predict any
real child or parent.
"""

import argparse
import os
import sys
from pathlib import Path

import h5py
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import attachsim  # noqa: E402


def write_csv(frame, path):
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        frame.to_csv(tmp, index=False, float_format="%.9g")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def export(source, out_dir):
    with h5py.File(source, "r") as f:
        is_sweep = "sweep" in f and "scenarios" not in f
    tables = {}
    if is_sweep:
        sweep = attachsim.load_sweep(source)
        tables["sweep.csv"] = sweep.table
        dictionary, provenance = sweep.dictionary, dict(sweep.provenance, design=sweep.design)
    else:
        run = attachsim.load_run(source)
        tables["metrics.csv"] = run.metrics
        tables["per_dyad.csv"] = run.per_dyad
        dictionary, provenance = run.dictionary, run.provenance
    tables["dictionary.csv"] = dictionary
    tables["provenance.csv"] = pd.DataFrame(sorted(provenance.items()), columns=["key", "value"])
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        write_csv(frame, out_dir / name)
    return tables


def main():
    parser = argparse.ArgumentParser(prog="attachsim export",
                                     description="A results file as tidy CSV tables.")
    parser.add_argument("file")
    parser.add_argument("-o", "--output", help="directory (default: FILE without .h5, + _csv)")
    args = parser.parse_args()
    out_dir = Path(args.output) if args.output else Path(args.file).with_suffix("").with_name(
        Path(args.file).stem + "_csv")
    if out_dir.exists() and not out_dir.is_dir():
        print(f"attachsim export: error: '{out_dir}' exists and is not a directory",
              file=sys.stderr)
        return 2
    try:
        attachsim._open(args.file).close()  # the same checks as the loaders, before any output
        tables = export(args.file, out_dir)
    except attachsim.ResultsFileError as e:
        print(f"attachsim export: error: {e}", file=sys.stderr)
        return 2
    except (KeyError, ValueError, OSError) as e:  # a damaged file h5py could not read
        print(f"attachsim export: error: '{args.file}' could not be read: {e}", file=sys.stderr)
        return 2
    for name, frame in tables.items():
        print(f"{out_dir / name}: {len(frame)} rows x {len(frame.columns)} columns")
    print("attachsim illustrates published findings about populations; it does not assess or "
          "predict any real child or parent.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
