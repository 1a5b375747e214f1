#!/usr/bin/python3
"""The researcher's path from a sweep's TOML to a pandas plot, with documented commands only
(docs/export.md), and the run export checked against the HDF5 file it came from (ctest `export`).

1. `attachsim run grid.toml -o grid.h5` (a 3 x 2 grid, 2 replicates), `attachsim export grid.h5`;
   `attachsim.load_sweep` gives one row per point and replicate whose values equal the file's;
   sweep.csv holds the same table; a main-effect plot is drawn with pandas/matplotlib.
2. `attachsim run magic-of-repair` (small), `attachsim export`: metrics.csv has a row per arm,
   dyad and record and its values equal /scenarios/<arm>/metrics/<metric>; per_dyad.csv's class
   labels are the stored codes mapped through the `codes` attribute; every column has a
   dictionary entry with units.
   The R example reads both exports (base R, Rscript).
3. A file that is not a results file, and a damaged one, are exit 2 with a message.

Usage: export_test.py ATTACHSIM_BINARY ANALYSIS_DIR WORK_DIR
"""

import subprocess
import sys
from pathlib import Path

import h5py
import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

GRID = """
[scenario]
name = "grid-example"
dyads = 60
months = 12.5
seed = 3
[assessment]
strange_situation_months = [12]
sensitivity_months = [6]
[[arm]]
name = "community"
[sweep]
design = "grid"
replicates = 2
[[sweep.parameter]]
key = "population.responsiveness.mean"
values = [0.4, 0.6, 0.8]
[[sweep.parameter]]
key = "population.repair_probability.mean"
values = [0.2, 0.8]
"""


def run(binary, *args, expect=0):
    r = subprocess.run([binary, *args], capture_output=True, text=True)
    if r.returncode != expect:
        raise SystemExit(f"attachsim {' '.join(args)} exited {r.returncode}, expected {expect}:\n"
                         f"{r.stderr}")
    return r


def main(binary, analysis, work):
    sys.path.insert(0, analysis)
    import attachsim

    work = Path(work)
    work.mkdir(parents=True, exist_ok=True)
    failures = []

    # 1. The grid sweep.
    (work / "grid.toml").write_text(GRID)
    run(binary, "run", str(work / "grid.toml"), "-o", str(work / "grid.h5"), "--no-progress")
    run(binary, "export", str(work / "grid.h5"), "-o", str(work / "grid_csv"))
    sweep = attachsim.load_sweep(str(work / "grid.h5"))
    table = sweep.table
    if len(table) != 6 * 2 or sweep.parameters != ["population.responsiveness.mean",
                                                   "population.repair_probability.mean"]:
        failures.append(f"sweep table {table.shape}, parameters {sweep.parameters}")
    with h5py.File(work / "grid.h5", "r") as f:
        mean = f["sweep/arms/community/summary/trust/mean"][...]
        shares = f["sweep/arms/community/ssp/age_12mo/class_share"][...]
        points = f["sweep/points"][...]
    if not np.array_equal(table["trust"].to_numpy(), mean[:, :, -1].reshape(-1)):
        failures.append("sweep trust differs from /sweep/arms/community/summary/trust/mean")
    if not np.array_equal(table["share_B_12mo"].to_numpy(), shares[:, :, 1].reshape(-1)):
        failures.append("sweep share_B_12mo differs from the file's class_share")
    if not np.array_equal(table["population.responsiveness.mean"].to_numpy(),
                          np.repeat(points[:, 0], 2)):
        failures.append("swept values differ from /sweep/points")
    csv = pd.read_csv(work / "grid_csv" / "sweep.csv")
    if not np.allclose(csv["trust"], table["trust"], rtol=1e-8, atol=0):  # %.9g in the CSV
        failures.append("sweep.csv differs from load_sweep")
    dictionary = pd.read_csv(work / "grid_csv" / "dictionary.csv")
    missing = set(csv.columns) - set(dictionary["column"])
    if missing:
        failures.append(f"sweep columns without a dictionary entry: {sorted(missing)}")
    effect = csv.groupby("population.responsiveness.mean")["share_B_12mo"].mean()
    ax = effect.plot(marker="o", title="main effect of responsiveness on B at 12 months")
    ax.figure.savefig(work / "main_effect.png")
    if (work / "main_effect.png").stat().st_size < 5_000:
        failures.append("no main-effect plot")

    # 2. A run file.
    run(binary, "run", "magic-of-repair", "--dyads", "30", "--months", "12.5", "--no-progress",
        "-o", str(work / "run.h5"))
    run(binary, "export", str(work / "run.h5"), "-o", str(work / "run_csv"))
    metrics = pd.read_csv(work / "run_csv" / "metrics.csv")
    per_dyad = pd.read_csv(work / "run_csv" / "per_dyad.csv")
    dictionary = pd.read_csv(work / "run_csv" / "dictionary.csv")
    with h5py.File(work / "run.h5", "r") as f:
        for arm_name, arm in f["scenarios"].items():
            n, r = int(arm.attrs["n_dyads"]), int(arm.attrs["n_records"])
            rows = metrics[metrics["arm"] == arm_name]
            if len(rows) != n * r:
                failures.append(f"{arm_name}: {len(rows)} metric rows, expected {n} x {r}")
                continue
            stored = arm["metrics/felt_security"][...].astype(np.float64).reshape(-1)
            if not np.allclose(rows["felt_security"].to_numpy(), stored, rtol=1e-8, atol=0,
                               equal_nan=True):
                failures.append(f"{arm_name}: metrics.csv felt_security differs from the file")
            codes = dict(item.split("=") for item in
                         arm["ssp/age_12mo/class"].attrs["codes"].split(","))
            expected = [codes[str(v)] for v in arm["ssp/age_12mo/class"][...]]
            got = per_dyad[per_dyad["arm"] == arm_name]["ssp/age_12mo/class"].tolist()
            if got != expected:
                failures.append(f"{arm_name}: per_dyad class labels differ from the stored codes")
    for frame, name in ((metrics, "metrics"), (per_dyad, "per_dyad")):
        missing = set(frame.columns) - set(dictionary["column"])
        if missing:
            failures.append(f"{name} columns without a dictionary entry: {sorted(missing)[:5]}")
    if dictionary.loc[dictionary["column"] == "trust", "units"].tolist() != ["probability"]:
        failures.append("the dictionary lacks trust's units")

    # The R example (analysis/export_example.R) on both exports, with base R.
    example = Path(analysis) / "export_example.R"
    for folder, expected in (("run_csv", "units of trust: probability"),
                             ("grid_csv", "swept: population.responsiveness.mean")):
        r = subprocess.run(["Rscript", str(example), str(work / folder)], capture_output=True,
                           text=True)
        if r.returncode != 0 or expected not in r.stdout:
            failures.append(f"Rscript export_example.R {folder}: exit {r.returncode}, "
                            f"{(r.stdout + r.stderr)[-400:]!r}")

    # 3. Bad inputs.
    (work / "not.h5").write_text("not hdf5")
    r = run(binary, "export", str(work / "not.h5"), expect=2)
    if "not an HDF5 file" not in r.stderr:
        failures.append(f"not-HDF5 message: {r.stderr!r}")
    with h5py.File(work / "damaged.h5", "w") as f:
        f.attrs["attachsim_version"] = "0.1.0"
        f.attrs["schema_version"] = 2
        g = f.create_group("scenarios/a")
        g.attrs["n_dyads"], g.attrs["n_records"] = 3, 2
        g["time_days"] = np.array([7.0, 14.0])
        g["metrics/trust"] = np.zeros((3, 5), dtype=np.float32)  # 5 records, not 2
    r = run(binary, "export", str(work / "damaged.h5"), "-o", str(work / "damaged_csv"),
            expect=2)
    if "/scenarios/a/metrics/trust" not in r.stderr:
        failures.append(f"damaged-file message does not name the dataset: {r.stderr!r}")
    if (work / "damaged_csv" / "metrics.csv").exists():
        failures.append("a damaged file left a metrics.csv")

    if failures:
        print("FAIL\n  " + "\n  ".join(failures))
        return 1
    print(f"export: sweep {table.shape}, run metrics {metrics.shape}, per_dyad {per_dyad.shape}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
