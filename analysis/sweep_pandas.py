#!/usr/bin/python3
"""Load an attachsim sweep into pandas and plot a response surface (docs/sweeps.md).

Usage: analysis/sweep_pandas.py SWEEP.h5 [surface.png] [--metric trust] [--arm NAME]

Builds one row per (point, replicate) with the swept parameters' values, the seed, and the mean of
the metric over dyads at the last record, plus the class shares at the first Strange Situation if
the sweep ran one. Prints the table's head and the mean over replicates per point, and draws the
metric over the first two parameters (a filled contour through the points) with matplotlib.
attachsim illustrates published findings about populations; it does not assess or predict any
real child or parent.
"""

import argparse

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402


def load(path, metric="trust", arm=None):
    """One row per (point, replicate): parameters, seed, metric at the last record, class shares."""
    with h5py.File(path, "r") as f:
        sweep = f["sweep"]
        columns = sweep["points"].attrs["columns"].split(",")
        points = sweep["points"][...]
        seeds = sweep["seeds"][...]
        arms = sweep["arms"]
        group = arms[arm] if arm else next(iter(arms.values()))
        mean = group["summary"][metric]["mean"][...]  # [points, replicates, records]
        n_points, replicates = seeds.shape
        rows = {
            "point": np.repeat(np.arange(n_points), replicates),
            "replicate": np.tile(np.arange(replicates), n_points),
            "seed": seeds.reshape(-1),
            metric: mean[:, :, -1].reshape(-1),
        }
        for i, name in enumerate(columns):
            rows[name] = np.repeat(points[:, i], replicates)
        if "ssp" in group:
            age = next(iter(group["ssp"]))
            shares = group["ssp"][age]["class_share"][...]  # [points, replicates, 4]
            for code, label in enumerate("ABCD"):
                rows[f"share_{label}_{age[4:]}"] = shares[:, :, code].reshape(-1)
    return pd.DataFrame(rows), columns


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
