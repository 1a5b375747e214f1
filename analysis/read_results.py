#!/usr/bin/python3
"""Read an attachsim results file (layout: docs/output-format.md) with h5py and numpy.

Usage: analysis/read_results.py RESULTS.h5

Prints the provenance, then per arm each metric's mean over dyads at the last record, computed
from the per-dyad data and checked against the stored summary/<metric>/mean. Ends by showing how
to get one metric as a dyads x records array with its time axis.
"""

import sys

import h5py
import numpy as np

SCHEMA_VERSION = 2


def mean_at_last_record(metric):
    """Mean over dyads of the last column of a dyads x records array, skipping NaN.

    The writer summarises in double precision, so convert the float32 data first; like the writer,
    a record where every dyad is NaN gives NaN.
    """
    last = metric[:, -1].astype(np.float64)
    last = last[~np.isnan(last)]
    return last.mean() if last.size else np.nan


def print_arm(name, arm):
    print(f"\n{name}: {arm.attrs['description']}")
    print(f"  scenario {arm.attrs['scenario']!r}, arm {arm.attrs['arm']!r}, "
          f"{arm.attrs['n_dyads']} dyads, {arm.attrs['n_records']} records, "
          f"seed {arm.attrs['seed']}")
    time_days = arm["time_days"][:]
    if time_days.size == 0:
        return
    width = max([len("metric")] + [len(m) for m in arm["metrics"]])
    print(f"  mean over dyads at day {time_days[-1]:g}:")
    print(f"  {'metric':<{width}} {'mean':>12} {'stored':>12}  units")
    for metric_name, dataset in arm["metrics"].items():
        mean = mean_at_last_record(dataset[...])
        stored = arm["summary"][metric_name]["mean"][-1]
        # Same numbers; only the summation order may differ (numpy sums pairwise).
        ok = np.isclose(mean, stored, rtol=1e-9, atol=0.0, equal_nan=True)
        print(f"  {metric_name:<{width}} {mean:>12.6g} {stored:>12.6g}  {dataset.attrs['units']}")
        if not ok:
            raise SystemExit(f"{name}/{metric_name}: summary mean {stored} != {mean}")


def main(argv):
    if len(argv) != 2:
        raise SystemExit(f"usage: {argv[0]} RESULTS.h5")
    with h5py.File(argv[1], "r") as f:
        if "schema_version" not in f.attrs or f.attrs["schema_version"] > SCHEMA_VERSION:
            raise SystemExit(f"{argv[1]}: not an attachsim results file this script understands")
        print(f"attachsim {f.attrs['attachsim_version']} (schema {f.attrs['schema_version']})")
        print(f"created {f.attrs['created_utc']}, seed {f.attrs['seed']}")
        print(f"command: {f.attrs['command_line']}")
        # f.attrs["config"] is the fully resolved TOML configuration of the run.

        arms = f["scenarios"]
        for name, arm in arms.items():  # in run order (the file tracks creation order)
            print_arm(name, arm)

        # One metric as a numpy array: rows are dyads, columns are records ending at time_days.
        for name, arm in arms.items():
            for metric_name, dataset in arm["metrics"].items():
                values = dataset[...]              # float32, shape (n_dyads, n_records)
                time_days = arm["time_days"][...]  # float64, shape (n_records,)
                print(f"\nexample: {name}/metrics/{metric_name}: {values.dtype} "
                      f"{values.shape} ({dataset.attrs['units']}), "
                      f"records end at days {time_days[:3]}...")
                print(f"  dyad 0, first records: {values[0, :3]}")
                return


if __name__ == "__main__":
    main(sys.argv)
