#!/usr/bin/python3
"""Load an attachsim sweep into pandas and plot a response surface (docs/sweeps.md).

Usage: analysis/sweep_pandas.py SWEEP.h5 [surface.png] [--metric trust] [--arm NAME]

Loads the sweep with the attachsim module (analysis/attachsim: one row per point and replicate with
the swept parameters' values, the seed, every metric's mean over dyads at the last record and the
class shares). Prints the table's head and the mean over replicates per point, and draws the
metric over the first two parameters (a filled contour through the points) with matplotlib.
attachsim illustrates published findings about populations; it does not assess or predict any
real child or parent.
"""

import argparse
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import attachsim  # noqa: E402


def load(path, metric="trust", arm=None):
    """One row per (point, replicate) of one arm: parameters, seed, outputs (attachsim.load_sweep)."""
    sweep = attachsim.load_sweep(path)
    table = sweep.table
    table = table[table["arm"] == (arm or table["arm"].iloc[0])]
    if metric not in table:
        raise SystemExit(f"no metric '{metric}' in {path}")
    return table, sweep.parameters


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sweep")
    parser.add_argument("png", nargs="?", default="surface.png")
    parser.add_argument("--metric", default="trust")
    parser.add_argument("--arm")
    args = parser.parse_args()
    table, columns = load(args.sweep, args.metric, args.arm)
    print(table.head().to_string(index=False))
    per_point = table.groupby(columns, as_index=False)[args.metric].mean()
    print(f"\n{len(per_point)} distinct points; {args.metric} (mean over replicates) from "
          f"{per_point[args.metric].min():.3f} to {per_point[args.metric].max():.3f}")
    if len(columns) >= 2 and len(per_point) >= 4:
        x, y = columns[0], columns[1]
        fig, ax = plt.subplots(figsize=(5, 4))
        surface = ax.tricontourf(per_point[x], per_point[y], per_point[args.metric], levels=12)
        ax.plot(per_point[x], per_point[y], "k.", ms=2)
        fig.colorbar(surface, label=f"{args.metric} at the last record")
        ax.set_xlabel(x)
        ax.set_ylabel(y)
        ax.set_title(f"{args.metric} over the sweep (other parameters vary)")
        fig.tight_layout()
        fig.savefig(args.png, dpi=120)
        print(f"response surface: {args.png}")


if __name__ == "__main__":
    main()
