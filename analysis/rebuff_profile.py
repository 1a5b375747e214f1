#!/usr/bin/python3
"""Profile of the rebuff cost: does any calibration target pin `child.rebuff_cost` down?
(docs/calibration.md, Robustness)

`child.rebuff_cost` (how much a rebuff hurts against comfort's relief of 1) is the one assumption
that moves the community's B share by more than 12 points one at a time (x2: 16.7 points). One way
to settle it is to fit it. That works only if the targets tell the cost apart from the frequency
of rebuffs, which is fitted: the A share follows roughly the product of the cost and the rebuffs a
child meets, and those come from the population's mean rebuff and from caregivers' history
(`population.history_rebuff`, fitted to the AAI correspondence).

For each cost this script refits the three on a grid, everything else at its calibrated value:
responsiveness 0.76 / 0.81 / 0.86, history_rebuff 0.45 / 0.65, and the mean rebuff at 0.7, 1 and
1.4 times 0.048 / cost (0.048 is the calibrated product, 0.8 x 0.06; capped at 0.95). It prints the
best point per cost by analysis/calibrate.py's loss (community and high-risk, --dyads each, one
seed), and at that point the lesson and mechanism checks of calibrate.py --checks. A flat profile
(the same best loss at every cost) means the targets do not identify the cost.

Usage: analysis/rebuff_profile.py BINARY [--costs 0.3 0.4 0.5 0.8 1.2 1.6] [--dyads 3000]
           [--seed 11] [--no-checks]

attachsim illustrates published findings about populations; it does not assess or predict any
real child or parent.
"""

import argparse
import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import calibrate  # noqa: E402
from lesson_robustness import lesson_checks  # noqa: E402
from mechanism_checks import mechanism_checks  # noqa: E402

CALIBRATED_PRODUCT = 0.8 * 0.06  # child.rebuff_cost x population.rebuff.mean, calibrated
RESPONSIVENESS = [0.76, 0.81, 0.86]  # calibrated: 0.76
HISTORY_REBUFF = [0.45, 0.65]        # calibrated: 0.65
REBUFF_FACTORS = [0.7, 1.0, 1.4]


def refit(binary, cost, dyads, seed, child):
    """The best (loss, candidate, results) over the grid at one cost."""
    rebuffs = [min(0.95, round(CALIBRATED_PRODUCT / cost * f, 4)) for f in REBUFF_FACTORS]
    best = None
    for resp, rebuff, hist in itertools.product(RESPONSIVENESS, rebuffs, HISTORY_REBUFF):
        cand = {"child.rebuff_cost": cost, "population.responsiveness.mean": resp,
                "population.rebuff.mean": rebuff, "population.history_rebuff.mean": hist}
        res = calibrate.measure(binary, cand, dyads, seed, child)
        score = calibrate.loss(res)
        print(f"  cost {cost:g}: responsiveness {resp:g}, rebuff {rebuff:g}, history_rebuff"
              f" {hist:g}: loss {score:.2f}", file=sys.stderr, flush=True)
        if best is None or score < best[0]:
            best = (score, cand, res)
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary", nargs="?", default="build/release/apps/attachsim")
    ap.add_argument("--costs", type=float, nargs="+", default=[0.3, 0.4, 0.5, 0.8, 1.2, 1.6])
    ap.add_argument("--dyads", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--no-checks", action="store_true")
    a = ap.parse_args()
    child = calibrate.child_defaults(a.binary)
    print(f"{a.dyads} dyads per population, seed {a.seed}; per cost the best refit of"
          " responsiveness, rebuff and history_rebuff\n")
    print("| rebuff cost | best refit: responsiveness, rebuff, history_rebuff | loss |"
          " forced A / B / C, D | r (B, score) | AAI d, correspondence |"
          " four-patterns lowest | checks that fail |")
    print("|---|---|---|---|---|---|---|---|")
    for cost in a.costs:
        score, cand, res = refit(a.binary, cost, a.dyads, a.seed, child)
        lowest, failed = "", "not run"
        if not a.no_checks:
            lessons, lesson_failed = lesson_checks(a.binary, cand)
            _, mech_failed = mechanism_checks(a.binary, cand)
            lowest = f"{lessons['lowest']:.2f}"
            failed = ", ".join(lesson_failed + mech_failed) or "none"
        fit = ", ".join(f"{cand[k]:g}" for k in ("population.responsiveness.mean",
                                                 "population.rebuff.mean",
                                                 "population.history_rebuff.mean"))
        print(f"| {cost:g} | {fit} | {score:.1f} |"
              f" {100 * res['A']:.1f} / {100 * res['B']:.1f} / {100 * res['C']:.1f},"
              f" {100 * res['D']:.1f} | {res['r_B']:.2f}, {res['r_sec']:.2f} |"
              f" {res['aai_d']:.2f}, {100 * res['aai_agree']:.1f}% | {lowest} | {failed} |",
              flush=True)


if __name__ == "__main__":
    main()
