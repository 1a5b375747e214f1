#!/usr/bin/python3
"""Global sensitivity of the community's class shares to every assumption (docs/calibration.md).

Writes a Saltelli sweep of the community population over every registry parameter whose source is
an assumption (the same list as analysis/robustness.py), each from x0.5 to x2 of its default
(a population parameter's mean; probabilities and shares capped where a Beta with the default sd
would stop being valid), runs it with `attachsim run`, computes first-order and total Sobol
indices of the A, B, C and D shares at 12 months with `attachsim analyze`, and prints a Markdown
table of the parameters whose total index for B or D has a lower 95% bound more than 0.05 above
that share's noise floor. The floor: every Jansen total index includes the binomial noise of a
point's share over the share's variance across the points, as if each parameter had that much
effect (`attachsim analyze` warns of it; tests/test_sensitivity.cpp checks the estimator does so).

Usage: analysis/global_sensitivity.py [BINARY] [--samples 16] [--dyads 600] [--out DIR] [--reuse]
(--reuse: analyse DIR's finished sweep again instead of running it)
attachsim illustrates published findings about populations; it does not assess or predict any
real child or parent.
"""

import argparse
import os
import subprocess
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from robustness import is_assumption, is_probability, registry, scaled  # noqa: E402


def ranges(binary):
    out = []
    for key, mean, sd, lo, hi, family, source in registry(binary):
        if not is_assumption(source) or mean == 0.0:
            continue
        a, b = (scaled(mean, lo, hi, family, f) for f in (0.5, 2.0))
        if is_probability(lo, hi, family) and sd:
            # keep sd^2 < m (1 - m) (span 0-1) with room: m within (1 -+ sqrt(1 - 4.4 sd^2)) / 2
            m_hi = 0.5 * (1 + (1 - min(0.99, 4.4 * sd * sd)) ** 0.5)
            a, b = max(a, 1 - m_hi), min(b, m_hi)
        if b <= a:
            continue
        out.append((f"{key}.mean" if sd is not None else key, a, b))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary", nargs="?", default="build/release/apps/attachsim")
    ap.add_argument("--samples", type=int, default=16)
    ap.add_argument("--dyads", type=int, default=600)
    ap.add_argument("--out", default="build/global-sensitivity")
    ap.add_argument("--reuse", action="store_true")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    base = open(os.path.join(os.path.dirname(__file__), "..", "scenarios", "community.toml")).read()
    base = base.replace('name = "community"', 'name = "community-assumptions"', 1)
    params = ranges(a.binary)
    toml = [base.split("[assessment]")[0],
            "[assessment]\nstrange_situation_months = [12]\nsensitivity_months = [6]\n"
            "sensitivity_window_days = 7\n",
            base[base.index("[[arm]]"):],
            f"\n[sweep]\ndesign = \"saltelli\"\nsamples = {a.samples}\nreplicates = 1\n"]
    for key, lo, hi in params:
        toml.append(f"\n[[sweep.parameter]]\nkey = \"{key}\"\nmin = {lo:.6g}\nmax = {hi:.6g}\n")
    path = os.path.join(a.out, "assumptions.toml")
    with open(path, "w") as f:
        f.write("".join(toml))
    result = os.path.join(a.out, "assumptions.h5")
    if not (a.reuse and os.path.exists(result)):
        subprocess.run([a.binary, "run", path, "--dyads", str(a.dyads), "--months", "12.5",
                        "--no-progress", "-o", result], check=True, stdout=subprocess.DEVNULL)
    outs = ["class_A", "class_B", "class_C", "class_D"]
    cmd = [a.binary, "analyze", result]
    for o in outs:
        cmd += ["--output", o]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    with h5py.File(result) as f:
        names = f["sweep/points"].attrs["columns"]
        names = (names.decode() if isinstance(names, bytes) else str(names)).split(",")
        idx = {o: (f[f"analysis/{o}/total"][()], f[f"analysis/{o}/total_ci"][()],
                   f[f"analysis/{o}/first_order"][()]) for o in outs}
        shares = f["sweep/arms"][list(f["sweep/arms"])[0]]["ssp/age_12mo/class_share"][()]
    # The noise floor of a share's total indices: its mean binomial variance at a point over its
    # variance across the points (what `attachsim analyze` computes for one replicate).
    floor = {c: float(np.mean(shares[:, 0, c] * (1 - shares[:, 0, c])) / a.dyads /
                      np.var(shares[:, 0, c], ddof=1)) for c in (1, 3)}
    print(f"{len(params)} assumptions, Saltelli N = {a.samples} ({len(shares)} points), {a.dyads} dyads "
          f"per point; B over the points: {100 * shares[:, 0, 1].min():.0f}-{100 * shares[:, 0, 1].max():.0f}%, "
          f"D {100 * shares[:, 0, 3].min():.0f}-{100 * shares[:, 0, 3].max():.0f}%; noise floor of the "
          f"total indices: B {floor[1]:.3f}, D {floor[3]:.3f}\n")
    print("| parameter (x0.5 to x2) | total index B [95% CI] | total index D [95% CI] | first-order A / C |")
    print("|---|---|---|---|")
    rows = []
    for i, n in enumerate(names):
        tb, cb, _ = idx["class_B"]
        td, cd, _ = idx["class_D"]
        if max(cb[i][0] - floor[1], cd[i][0] - floor[3]) > 0.05:
            rows.append((max(tb[i], td[i]), i, n))
    for _, i, n in sorted(rows, reverse=True):
        tb, cb, _ = idx["class_B"]
        td, cd, _ = idx["class_D"]
        print(f"| `{n}` | {tb[i]:.2f} [{cb[i][0]:.2f}, {cb[i][1]:.2f}] | {td[i]:.2f} [{cd[i][0]:.2f}, {cd[i][1]:.2f}] | "
              f"{idx['class_A'][2][i]:.2f} / {idx['class_C'][2][i]:.2f} |")
    if not rows:
        print("| (none: every total index's 95% interval reaches below its floor + 0.05) | | | |")


if __name__ == "__main__":
    main()
