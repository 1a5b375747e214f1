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

With --confirm it re-measures the best refits found this way (RIDGE below: the profile's and the
hand grids' best points) at the size of the calibration table -- 10,000 dyads per population,
seeds 1, 2 and 3 -- and prints, per cost, every band a seed misses: the calibration bands
(docs/calibration.md, The table), the observer's construct check r(rating, drawn
responsiveness) >= .5, and the lesson and mechanism checks at the lessons' own sizes. With
--bounds it asks the same of the costs rather than of particular refits: per cost, how many
points of a finer grid meet every calibration band.

Usage: analysis/rebuff_profile.py BINARY [--costs 0.3 0.4 0.5 0.8 1.2 1.6] [--dyads 3000]
           [--seed 11] [--no-checks]
       analysis/rebuff_profile.py BINARY --confirm [--seeds 1 2 3]
       analysis/rebuff_profile.py BINARY --bounds [--costs ...] [--dyads 5000] [--seed 1]
           [--responsiveness 0.76]

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

# --confirm: cost -> (responsiveness, rebuff, history_rebuff), the best refits of the profile
# (3,000 dyads, seed 11; docs/calibration.md) and, at 1.4, of the hand grid; 0.8 is the adopted
# calibration.
RIDGE = {
    0.4: (0.76, 0.168, 0.65),
    0.5: (0.81, 0.1344, 0.65),
    0.8: (0.76, 0.06, 0.65),
    1.2: (0.76, 0.04, 0.45),
    1.4: (0.86, 0.024, 0.55),
    1.6: (0.81, 0.021, 0.45),
}
# --bounds: the finer grid per cost (responsiveness at --responsiveness, by default 0.76).
BOUNDS_HISTORY = [0.55, 0.65, 0.75, 0.85]
BOUNDS_FACTORS = [0.5, 0.75, 1.0, 1.25, 1.5]
# The bands a refit must meet at every seed: the calibration table's (docs/calibration.md) and the
# observer's construct check of the validity standard (r of the 6-month rating with the drawn
# responsiveness, >= .5).
BANDS = {**calibrate.BANDS, "r_rating": (calibrate.R_RATING_MIN, 1.0)}


def rebuff_at(cost, factor):
    """The mean rebuff at `factor` times the calibrated product over `cost` (capped at 0.95)."""
    return min(0.95, round(CALIBRATED_PRODUCT / cost * factor, 4))


def candidate(cost, responsiveness, rebuff, history_rebuff):
    """The --set overrides of one point of the profile."""
    return {"child.rebuff_cost": cost, "population.responsiveness.mean": responsiveness,
            "population.rebuff.mean": rebuff, "population.history_rebuff.mean": history_rebuff}


def refit(binary, cost, dyads, seed, child):
    """The best (loss, candidate, results) over the grid at one cost."""
    rebuffs = [rebuff_at(cost, f) for f in REBUFF_FACTORS]
    best = None
    for resp, rebuff, hist in itertools.product(RESPONSIVENESS, rebuffs, HISTORY_REBUFF):
        cand = candidate(cost, resp, rebuff, hist)
        res = calibrate.measure(binary, cand, dyads, seed, child)
        score = calibrate.loss(res)
        print(f"  cost {cost:g}: responsiveness {resp:g}, rebuff {rebuff:g}, history_rebuff"
              f" {hist:g}: loss {score:.2f}", file=sys.stderr, flush=True)
        if best is None or score < best[0]:
            best = (score, cand, res)
    return best


def confirm(binary, seeds, child):
    """The RIDGE points at the calibration table's size: per cost, each band's range over the seeds
    and the bands a seed misses, then the lesson and mechanism checks."""
    print(f"10000 dyads per population, seeds {' '.join(map(str, seeds))}; bands missed name the"
          " seeds that miss them\n")
    print("| rebuff cost | refit: responsiveness, rebuff, history_rebuff | forced A / B / C, D |"
          " r (B, score) | r(rating, drawn) | AAI d, correspondence | bands missed |"
          " four-patterns lowest | checks that fail |")
    print("|---|---|---|---|---|---|---|---|---|")
    for cost, (resp, rebuff, hist) in RIDGE.items():
        cand = candidate(cost, resp, rebuff, hist)
        per_seed = [calibrate.measure(binary, cand, 10000, seed, child) for seed in seeds]

        def span(key, scale=1.0, digits=1):
            lo = min(r[key] for r in per_seed) * scale
            hi = max(r[key] for r in per_seed) * scale
            return f"{lo:.{digits}f}" if f"{lo:.{digits}f}" == f"{hi:.{digits}f}" \
                else f"{lo:.{digits}f}-{hi:.{digits}f}"
        missed = []
        for key, (lo, hi) in BANDS.items():
            bad = [str(seed) for seed, r in zip(seeds, per_seed) if not lo <= r[key] <= hi]
            if bad:
                missed.append(f"{key} ({', '.join(bad)})")
        lessons, lesson_failed = lesson_checks(binary, cand)
        _, mech_failed = mechanism_checks(binary, cand)
        print(f"| {cost:g} | {resp:g}, {rebuff:g}, {hist:g} |"
              f" {span('A', 100)} / {span('B', 100)} / {span('C', 100)}, {span('D', 100)} |"
              f" {span('r_B', digits=3)}, {span('r_sec', digits=3)} | {span('r_rating', digits=3)} |"
              f" {span('aai_d', digits=2)}, {span('aai_agree', 100)}% |"
              f" {'; '.join(missed) or 'none'} | {lessons['lowest']:.2f} |"
              f" {', '.join(lesson_failed + mech_failed) or 'none'} |", flush=True)


def bounds(binary, costs, dyads, seed, child, responsiveness=0.76):
    """For each cost, every point of a finer grid (responsiveness at --responsiveness, by default
    its calibrated 0.76; history_rebuff 0.55 / 0.65 / 0.75 / 0.85; mean rebuff 0.5 / 0.75 / 1 /
    1.25 / 1.5 times 0.048 / cost) measured at --dyads, one seed: how many meet every calibration
    band (calibrate.BANDS: not the observer's r, which the calibrated model itself meets only
    narrowly), and the best of those by the loss."""
    print(f"{dyads} dyads per population, seed {seed}; grid: responsiveness {responsiveness:g},"
          f" history_rebuff {' / '.join(map(str, BOUNDS_HISTORY))}, mean rebuff"
          f" {' / '.join(map(str, BOUNDS_FACTORS))} x 0.048 / cost\n")
    print("| rebuff cost | points inside every band | best inside: rebuff, history_rebuff | loss |"
          " forced A / B / C, D | AAI correspondence | nearest miss outside |")
    print("|---|---|---|---|---|---|---|")
    for cost in costs:
        inside, outside = [], []
        for hist, f in itertools.product(BOUNDS_HISTORY, BOUNDS_FACTORS):
            rebuff = rebuff_at(cost, f)
            cand = candidate(cost, responsiveness, rebuff, hist)
            res = calibrate.measure(binary, cand, dyads, seed, child)
            missed = calibrate.bands_missed(res)
            score = calibrate.loss(res)
            print(f"  cost {cost:g}: rebuff {rebuff:g}, history_rebuff {hist:g}: loss {score:.2f},"
                  f" A {res['A']:.3f} B {res['B']:.3f} agree {res['aai_agree']:.3f}"
                  f" r_B {res['r_B']:.3f}; missed {', '.join(missed) or 'none'}",
                  file=sys.stderr, flush=True)
            if missed:
                outside.append((missed, score, cand))
            else:
                inside.append((score, cand, res))
        # the point outside that misses the fewest bands, then the lowest loss
        nearest = min(outside, key=lambda t: (len(t[0]), t[1])) if outside else None
        miss = (f"rebuff {nearest[2]['population.rebuff.mean']:g}, history_rebuff"
                f" {nearest[2]['population.history_rebuff.mean']:g}: {', '.join(nearest[0])}"
                if nearest else "")
        if inside:
            score, cand, res = min(inside, key=lambda t: t[0])
            print(f"| {cost:g} | {len(inside)} of {len(BOUNDS_HISTORY) * len(BOUNDS_FACTORS)} |"
                  f" {cand['population.rebuff.mean']:g}, {cand['population.history_rebuff.mean']:g} |"
                  f" {score:.1f} | {100 * res['A']:.1f} / {100 * res['B']:.1f} /"
                  f" {100 * res['C']:.1f}, {100 * res['D']:.1f} | {100 * res['aai_agree']:.1f}% |"
                  f" {miss} |", flush=True)
        else:
            print(f"| {cost:g} | 0 of {len(BOUNDS_HISTORY) * len(BOUNDS_FACTORS)} | | | | | {miss} |",
                  flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary", nargs="?", default="build/release/apps/attachsim")
    ap.add_argument("--costs", type=float, nargs="+", default=[0.3, 0.4, 0.5, 0.8, 1.2, 1.6])
    ap.add_argument("--dyads", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--no-checks", action="store_true")
    ap.add_argument("--confirm", action="store_true",
                    help="re-measure the RIDGE refits at 10,000 dyads, --seeds")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--bounds", action="store_true",
                    help="count the points of a finer grid inside every band, per cost")
    ap.add_argument("--responsiveness", type=float, default=0.76,
                    help="with --bounds: the grid's responsiveness")
    a = ap.parse_args()
    child = calibrate.child_defaults(a.binary)
    if a.bounds:
        bounds(a.binary, a.costs, a.dyads, a.seed, child, a.responsiveness)
        return
    if a.confirm:
        confirm(a.binary, a.seeds, child)
        return
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
