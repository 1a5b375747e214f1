#!/usr/bin/python3
"""One-at-a-time robustness of the community's headline outputs (docs/calibration.md).

For every registry parameter whose source is an assumption -- not fitted in the calibration and
not grounded in a cited figure -- runs the community population with that parameter at x0.5 and
x2 of its default (a population parameter's mean; for a probability or share, x2 is capped at
0.95 of its range and the sd shrunk where a Beta would need it), everything else at its default,
on the same seed and dyads, and prints the change in the headline outputs: forced A / B / C, D,
and r(observed sensitivity 6 mo, secure vs insecure 12 mo). A parameter that moves B by more than
12 points or D by more than 8 is flagged.

Usage: analysis/robustness.py [BINARY] [--dyads 6000] [--seed 7] [--only KEY ...]
Prints a Markdown table. attachsim illustrates published findings about populations; it does not
assess or predict any real child or parent.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

import h5py
import numpy as np

B_LIMIT, D_LIMIT = 0.12, 0.08


def registry(binary):
    """(key, default mean, default sd or None, lo, hi, family, source) of every parameter."""
    text = subprocess.run([binary, "parameters", "--markdown"], check=True, capture_output=True, text=True).stdout
    rows, kind = [], None
    for line in text.splitlines():
        if line.startswith("### Caregiver"):
            kind = "caregiver"
        elif line.startswith("### Child"):
            kind = "child"
        elif line.startswith("### Metrics"):
            kind = None
        if kind is None or not line.startswith("| `"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        key = cells[0].strip("`")
        if kind == "caregiver":
            mean, sd, rng, family, source = float(cells[2]), float(cells[3]), cells[4], cells[5], cells[7]
        else:
            mean, sd, rng, family, source = float(cells[2]), None, cells[3], None, cells[5]
        lo, hi = (float(x) for x in re.findall(r"-?[0-9.]+", rng)[:2])
        rows.append((key, mean, sd, lo, hi, family, source))
    return rows


def is_assumption(source):
    s = source.lower()
    return s.startswith("assumption") and "calibrated" not in s


def is_probability(lo, hi, family):
    return family == "Beta" or (family is None and lo >= 0.0 and hi <= 1.0)


def scaled(mean, lo, hi, family, factor):
    """mean x factor, within the range; a probability or share at most 0.95 of its range."""
    value = mean * factor
    if is_probability(lo, hi, family):
        value = min(value, lo + 0.95 * (hi - lo))
    return min(max(value, lo), hi)


def settings(key, mean, sd, lo, hi, family, factor):
    value = scaled(mean, lo, hi, family, factor)
    out = []
    if sd is None:
        out.append(f"{key}={value:.6g}")
    else:
        out.append(f"{key}.mean={value:.6g}")
        if family == "Beta" and sd > 0:
            m = (value - lo) / (hi - lo)
            cap = 0.9 * (hi - lo) * (m * (1 - m)) ** 0.5
            if sd > cap:
                out.append(f"{key}.sd={cap:.6g}")
    return value, out


def measure(binary, sets, dyads, seed):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "r.h5")
        cmd = [binary, "run", "community", "--dyads", str(dyads), "--months", "12.5", "--seed",
               str(seed), "--no-progress", "--threads", str(os.cpu_count() or 1), "-o", out,
               "--set", "assessment.strange_situation_months=[12]", "--set", "assessment.sensitivity_months=[6]"]
        for s in sets:
            cmd += ["--set", s]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        with h5py.File(out) as f:
            g = next(iter(f["scenarios"].values()))
            cls, abc = g["ssp/age_12mo/class"][()], g["ssp/age_12mo/abc_class"][()]
            s6 = g["observed/sensitivity_6mo"][()].astype(float)
    ok = np.isfinite(s6)
    res = {k: float(np.mean(abc == i)) for i, k in enumerate("ABC")}
    res["D"] = float(np.mean(cls == 3))
    res["r"] = float(np.corrcoef(s6[ok], (cls == 1)[ok])[0, 1])
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary", nargs="?", default="build/release/apps/attachsim")
    ap.add_argument("--dyads", type=int, default=6000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--only", nargs="*", default=None)
    a = ap.parse_args()
    base = measure(a.binary, [], a.dyads, a.seed)
    se = (base["B"] * (1 - base["B"]) / a.dyads) ** 0.5
    print(f"Community at defaults, {a.dyads} dyads, seed {a.seed}: forced A {100 * base['A']:.1f} / "
          f"B {100 * base['B']:.1f} / C {100 * base['C']:.1f}, D {100 * base['D']:.1f}, r {base['r']:.3f} "
          f"(sampling SE of a share {100 * se:.1f} points; changes are against the same seed)\n")
    print("| parameter | default | x0.5: forced B / D / r | x2: forced B / D / r | largest change in B / D (points) | |")
    print("|---|---|---|---|---|---|")
    flagged = []
    for key, mean, sd, lo, hi, family, source in registry(a.binary):
        if not is_assumption(source) or (a.only and key not in a.only):
            continue
        if mean == 0.0:
            print(f"| `{key}` | 0 | (x0.5 and x2 of 0 are 0) | | | |", flush=True)
            continue
        cells, worst_b, worst_d = [], 0.0, 0.0
        for factor in (0.5, 2.0):
            value, sets = settings(key, mean, sd, lo, hi, family, factor)
            res = measure(a.binary, sets, a.dyads, a.seed)
            worst_b = max(worst_b, abs(res["B"] - base["B"]))
            worst_d = max(worst_d, abs(res["D"] - base["D"]))
            cells.append(f"{value:.3g}: {100 * res['B']:.1f} / {100 * res['D']:.1f} / {res['r']:.2f}")
        flag = "**over**" if worst_b > B_LIMIT or worst_d > D_LIMIT else ""
        if flag:
            flagged.append(key)
        print(f"| `{key}` | {mean:g} | {cells[0]} | {cells[1]} | {100 * worst_b:.1f} / {100 * worst_d:.1f} | {flag} |",
              flush=True)
    print(f"\nOver the limits (B {100 * B_LIMIT:.0f}, D {100 * D_LIMIT:.0f} points): "
          + (", ".join(f"`{k}`" for k in flagged) if flagged else "none"))
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main())
