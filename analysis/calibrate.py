#!/usr/bin/python3
"""Search caregiver population distributions that reproduce the published attachment distribution.

The procedure behind docs/calibration.md. A deterministic random search (fixed seed) over the
parameters that the model's mechanisms tie to each pattern:

  population.rebuff (mean, sd)          -> suppression, avoidance (A)
  population.consistency (mean, sd)     -> escalation, resistance (C)
  child.escalate_salience, effort       -> how much escalating pays (C)
  population.frightening (mean, sd)     -> fear of the figure, disorganization (D)
  population.responsiveness (mean, sd)  -> security overall and the sensitivity-security r

Each candidate runs the community scenario (`attachsim run community`) at --dyads N with the
candidate's --set overrides, reads the virtual Strange Situation at 12 months and the observed
sensitivity at 6 months, and scores the squared distance of (A, B, C forced shares, D share,
r(sensitivity, security)) to the targets, each divided by its published range's half-width.
Prints every candidate and the best; the best values are then written into
scenarios/community.toml by hand (the file records them).

Usage: analysis/calibrate.py [path/to/attachsim] [--stage 1|2] [--candidates K] [--dyads N]
Not a diagnostic tool: the model illustrates published findings about populations.
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile

import h5py
import numpy as np

# Published figures (brief section 5): value and the half-width used to scale deviations.
TARGETS = {
    "A": (0.21, 0.08),   # forced share; low-risk range 15-32% (van IJzendoorn & Kroonenberg 1988)
    "B": (0.65, 0.08),   # 57-73%
    "C": (0.14, 0.08),   # 4-22%
    "D": (0.15, 0.05),   # ~15% in low-risk samples (van IJzendoorn et al. 1999)
    "r": (0.245, 0.08),  # sensitivity-security r ~ .24-.25 (De Wolff & van IJzendoorn 1997)
}

SPACE = {  # configuration key: (low, high) of the uniform search range
    "population.responsiveness.mean": (0.55, 0.8),
    "population.responsiveness.sd": (0.1, 0.2),
    "population.rebuff.mean": (0.1, 0.25),
    "population.rebuff.sd": (0.05, 0.15),
    "population.consistency.mean": (0.2, 0.7),
    "population.consistency.sd": (0.05, 0.25),
    "population.frightening.mean": (0.01, 0.04),
    "population.frightening.sd": (0.01, 0.04),
    "child.escalate_salience": (1.5, 3.0),
    "child.effort_escalate": (0.1, 0.25),
}


# Stage 2: a narrower search around the best stage-1 candidate.
SPACE_STAGE2 = {
    "population.responsiveness.mean": (0.62, 0.76),
    "population.responsiveness.sd": (0.06, 0.14),
    "population.rebuff.mean": (0.17, 0.23),
    "population.rebuff.sd": (0.1, 0.16),
    "population.consistency.mean": (0.15, 0.35),
    "population.consistency.sd": (0.1, 0.25),
    "population.frightening.mean": (0.02, 0.032),
    "population.frightening.sd": (0.02, 0.035),
    "child.escalate_salience": (2.4, 3.0),
    "child.effort_escalate": (0.11, 0.16),
}


def measure(binary, overrides, dyads, seed=11):
    """Runs the community scenario with `overrides`; returns shares and r."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "c.h5")
        cmd = [binary, "run", "community", "--dyads", str(dyads), "--months", "12.5",
               "--seed", str(seed), "-o", out, "--set", "assessment.strange_situation_months=[12]",
               "--set", "assessment.sensitivity_months=[6]"]
        for key, value in overrides.items():
            cmd += ["--set", f"{key}={value:.4f}"]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        with h5py.File(out) as f:
            arm = next(iter(f["scenarios"].values()))
            ssp = arm["ssp/age_12mo"]
            cls, abc = ssp["class"][...], ssp["abc_class"][...]
            security = ssp["security"][...]
            sensitivity = arm["observed/sensitivity_6mo"][...]
    result = {k: float(np.mean(abc == i)) for i, k in enumerate("ABC")}
    result["D"] = float(np.mean(cls == 3))
    result["r"] = float(np.corrcoef(sensitivity, security)[0, 1])
    return result


def loss(result):
    return sum(((result[k] - t) / w) ** 2 for k, (t, w) in TARGETS.items())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary", nargs="?", default="build/release/apps/attachsim")
    parser.add_argument("--candidates", type=int, default=24)
    parser.add_argument("--dyads", type=int, default=1000)
    parser.add_argument("--stage", type=int, choices=(1, 2), default=1)
    args = parser.parse_args()
    space = SPACE if args.stage == 1 else SPACE_STAGE2
    rng = random.Random(20261128 + args.stage)
    best = None
    for i in range(args.candidates):
        cand = {k: round(rng.uniform(*r), 3) for k, r in space.items()}
        # A Beta needs sd^2 < mean (1 - mean): shrink sd where it would not be.
        for p in ("responsiveness", "rebuff", "consistency", "frightening"):
            m = cand[f"population.{p}.mean"]
            key = f"population.{p}.sd"
            cand[key] = round(min(cand[key], 0.9 * (m * (1 - m)) ** 0.5), 3)
        res = measure(args.binary, cand, args.dyads)
        score = loss(res)
        shares = " ".join(f"{k}={res[k]:.3f}" for k in TARGETS)
        print(f"{i:3d} loss={score:7.3f} {shares}  {cand}", flush=True)
        if best is None or score < best[0]:
            best = (score, cand, res)
    print("\nbest:", best[1])
    print("      " + " ".join(f"{k}={best[2][k]:.3f} (target {TARGETS[k][0]})" for k in TARGETS))


if __name__ == "__main__":
    sys.exit(main())
