#!/usr/bin/python3
"""Robustness after re-calibration: can the calibration targets still be met when an unfitted
assumption is halved or doubled, and with which fitted values? (docs/calibration.md, Robustness)

The one-at-a-time table (analysis/robustness.py) moves one assumption with the fitted parameters
held at their calibrated values. Here each assumption of PARAMETERS is set to x0.5 and x2 of its
default and the two fitted parameters that carry most of the class targets --
population.responsiveness.mean (B, the r's) and population.rebuff.mean (A) -- are fitted again on a
grid (analysis/calibrate.py's loss, community and high-risk, --dyads per population, one seed).
An assumption whose change the refit absorbs (loss within the calibrated model's, every band met)
is one the calibrated model's headline figures do not depend on; one whose change no refit can
absorb is constrained by the targets themselves.

At each best refit the script also measures the extreme-groups contrast of the validity standard:
B among caregivers all at the 10th and at the 90th percentile of that refit's responsiveness
(sd 0, all else as the refit), which De Wolff & van IJzendoorn's r = .24 puts at about 23 points
(20-40 in issue 11; a normal-threshold argument, docs/calibration.md). It is not in the loss; a
refit outside it is reported as missing "gap".

Usage: analysis/recalibrated_robustness.py BINARY [--dyads 3000] [--only KEY ...]
           [--factors 0.5 2] [--responsiveness 0.62 ... 0.9] [--rebuff 0.03 0.06 0.12]

attachsim illustrates published findings about populations; it does not assess or predict any
real child or parent.
"""

import argparse
import itertools
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import calibrate  # noqa: E402

# The assumptions that move community B by more than 12 points one at a time after the 2026-12-03
# refit (docs/calibration.md; on the model of 2026-12-02 also child.max_bids, now grounded, and
# population.rupture_rate.mean, now under the limit: pass them with --only to repeat those rows).
PARAMETERS = {
    "child.rebuff_cost": 0.8,
}
DEFAULTS = {"child.max_bids": 7.0, "population.rupture_rate.mean": 0.03}  # for --only
RESPONSIVENESS = [0.62, 0.69, 0.76, 0.83, 0.9]  # calibrated: 0.76
REBUFF = [0.03, 0.06, 0.12]                     # calibrated: 0.06
# The bands of issue 11 / docs/calibration.md.
BANDS = {k: calibrate.BANDS[k] for k in ("A", "B", "C", "D", "r_B", "r_sec")}


GAP_BAND = (20.0, 40.0)  # points of B, p90 vs p10 of responsiveness (validity standard, issue 11)


def in_bands(res):
    return [k for k, (lo, hi) in BANDS.items() if not lo <= res[k] <= hi]


def extreme_groups_gap(binary, overrides, res, dyads, seed):
    """B among caregivers all at the 90th minus all at the 10th percentile of the responsiveness
    drawn in `res` (calibrate.measure of the same overrides), in points."""
    shares = []
    with tempfile.TemporaryDirectory() as tmp:
        for level in (res["resp_p10"], res["resp_p90"]):
            fixed = dict(overrides, **{"population.responsiveness.mean": level,
                                       "population.responsiveness.sd": 0.0})
            with calibrate.run(binary, "community", fixed, dyads, seed, os.path.join(tmp, "x.h5")) as f:
                g = next(iter(f["scenarios"].values()))
                shares.append(float(np.mean(g["ssp/age_12mo/class"][()] == 1)))
    return 100.0 * (shares[1] - shares[0])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary", nargs="?", default="build/release/apps/attachsim")
    ap.add_argument("--dyads", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--only", nargs="+", default=None)
    ap.add_argument("--factors", type=float, nargs="+", default=[0.5, 2.0])
    ap.add_argument("--responsiveness", type=float, nargs="+", default=RESPONSIVENESS,
                    help="grid of population.responsiveness.mean to refit over")
    ap.add_argument("--rebuff", type=float, nargs="+", default=REBUFF,
                    help="grid of population.rebuff.mean to refit over")
    args = ap.parse_args()
    child = calibrate.child_defaults(args.binary)
    base = calibrate.measure(args.binary, {}, args.dyads, args.seed, child)
    gap = extreme_groups_gap(args.binary, {}, base, args.dyads, args.seed)
    print(f"calibrated model: loss {calibrate.loss(base):.2f}; " + calibrate.fmt(base) +
          f" gap={gap:.1f}", flush=True)
    print("\n| assumption | value | best refit: responsiveness, rebuff | loss | forced A / B / C, D "
          "| r (B, score) | B p90 - p10 (points) | bands missed |")
    print("|---|---|---|---|---|---|---|---|")
    chosen = {k: v for k, v in {**PARAMETERS, **DEFAULTS}.items() if k in args.only} \
        if args.only else PARAMETERS
    for key, default in chosen.items():
        for factor in args.factors:
            value = default * factor
            best = None
            for resp, rebuff in itertools.product(args.responsiveness, args.rebuff):
                overrides = {key: value, "population.responsiveness.mean": resp,
                             "population.rebuff.mean": rebuff}
                res = calibrate.measure(args.binary, overrides, args.dyads, args.seed, child)
                score = calibrate.loss(res)
                if best is None or score < best[0]:
                    best = (score, resp, rebuff, res)
            score, resp, rebuff, res = best
            missed = in_bands(res)
            gap = extreme_groups_gap(args.binary, {key: value, "population.responsiveness.mean": resp,
                                                   "population.rebuff.mean": rebuff},
                                     res, args.dyads, args.seed)
            if not GAP_BAND[0] <= gap <= GAP_BAND[1]:
                missed.append("gap")
            print(f"| `{key}` | x{factor:g} = {value:g} | {resp:.2f}, {rebuff:.2f} | {score:.1f} | "
                  f"{100 * res['A']:.1f} / {100 * res['B']:.1f} / {100 * res['C']:.1f}, "
                  f"{100 * res['D']:.1f} | {res['r_B']:.2f}, {res['r_sec']:.2f} | {gap:.1f} | "
                  f"{', '.join(missed) if missed else 'none'} |", flush=True)


if __name__ == "__main__":
    main()
