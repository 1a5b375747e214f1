#!/usr/bin/python3
"""Mechanism and lesson tests of the test suite, run through the CLI under --set overrides.

The validation tests run on the built-in defaults; a calibration or a change of a rule under
study (docs/calibration.md, Robustness) needs them under candidate values too. This script runs
each test's scenario (the file the test itself reads, tests/scenarios/, or the lesson; the same
seed and size) with `attachsim run FILE` and the overrides (a key the scenario sets itself is
left to it: the override changes the defaults the test builds on, not the test) and applies the
test's criterion:

  inconsistency  InconsistencyLowersAvailabilityForAFixedStrategy: expected availability at 12
                 months, consistent minus inconsistent caregiver (same mean responsiveness 0.5),
                 z > 5
  turns-to       TheChildTurnsToTheFigureItTrusts: with two parents at home all day, one at
                 responsiveness 0.9 and one at 0.3, the 0.9 parent's share of care is above one
                 half by z > 5 whichever of the two is the primary figure
  saturation     SecuritySaturatesBeforePerfectResponsiveness: trust and felt security at 12
                 months gain less than three quarters as much from responsiveness 0.6 to 1.0 as
                 from 0.2 to 0.6
  good-enough    tests/test_lessons.cpp, Lessons.GoodEnough: with repair, trust's slope from 0.6
                 to 0.95 is below its slope from 0.3 to 0.6 by more than 3 SE (the built-in lesson)
  secure-base    Lessons.SecureBaseAndSafeHaven: the responsive arm's children explore more at the
                 end (36 months) than at 6 months, z > 5 on each child's change (the lesson)

Usage:
  analysis/mechanism_checks.py [BINARY] [--set KEY=VALUE ...]

attachsim illustrates published findings about populations; it does not assess or predict any
real child or parent.
"""

import argparse
import contextlib
import os
import subprocess
import tempfile
import tomllib

from pathlib import Path

import h5py
import numpy as np

LESSONS = Path(__file__).resolve().parent.parent / "scenarios" / "lessons"

HEADER = '[scenario]\nname = "{name}"\nseed = 2024\ndyads = 400\nmonths = 12\n'

# The three scenarios the C++ tests run, from the files those tests read (tests/scenarios/).
SHARED = Path(__file__).resolve().parent.parent / "tests" / "scenarios"
INCONSISTENCY = (SHARED / "inconsistency-fixed-strategy.toml").read_text()
TURNS_TO = (SHARED / "turns-to-trusted-figure.toml").read_text()
SATURATION = (SHARED / "saturation.toml").read_text()


def own_keys(body):
    """population.* and child.* keys the scenario sets, at its top level or in an arm or figure."""
    doc = tomllib.loads(body)
    keys = set()
    for table in [doc] + doc.get("arm", []) + [f for a in doc.get("arm", []) for f in a.get("figure", [])]:
        for section in ("population", "child"):
            keys |= {f"{section}.{k}" for k in table.get(section, {})}
    return keys


@contextlib.contextmanager
def run(binary, name, body, overrides, tmp):
    """{arm name: HDF5 group} of the scenario run with the overrides it does not set itself, open
    while the context lasts; a body of None runs the built-in lesson `name` (the keys its file
    sets are its own)."""
    if body is None:
        path = name
        with open(LESSONS / f"{name}.toml", "rb") as f:
            own = own_keys(f.read().decode())
    else:
        path = os.path.join(tmp, f"{name}.toml")
        with open(path, "w") as f:
            f.write(HEADER.format(name=name) + body)
        own = own_keys(body)
    out = os.path.join(tmp, f"{name}.h5")
    cmd = [binary, "run", path, "--no-progress", "--threads", str(os.cpu_count() or 1), "-o", out]
    for key, value in overrides.items():
        if key.removesuffix(".mean").removesuffix(".sd") not in own:
            cmd += ["--set", f"{key}={value:g}"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with h5py.File(out, "r") as f:
        yield {n.split(".")[-1]: g for n, g in f["scenarios"].items()}
    os.remove(out)


def mean_se(x):
    x = x[~np.isnan(x)]
    return float(np.mean(x)), float(np.std(x, ddof=1) / np.sqrt(len(x)))


def record_at(group, months):
    """Index of the record whose interval ends closest to `months` (as the lesson tests)."""
    return int(np.argmin(np.abs(group["time_days"][()] - months * 365.25 / 12.0)))


def mechanism_checks(binary, overrides):
    """The five tests' figures under the overrides and the names of those that fail."""
    with tempfile.TemporaryDirectory() as tmp:
        with run(binary, "inconsistency", INCONSISTENCY, overrides, tmp) as arms:
            (mc, sc), (mi, si) = (mean_se(arms[a]["metrics/expected_availability"][:, -1])
                                  for a in ("consistent", "inconsistent"))
        with run(binary, "turns-to", TURNS_TO, overrides, tmp) as arms:
            # each dyad's mean share over all records, as the test's kAllRecords
            (mo, so), (mp, sp) = (
                mean_se(np.nanmean(arms[a]["figures/other/care_share"][()], axis=1))
                for a in ("second-parent-better", "primary-better"))
        with run(binary, "saturation", SATURATION, overrides, tmp) as arms:
            trust, felt = ([float(np.nanmean(arms[a][f"metrics/{m}"][:, -1]))
                            for a in ("r02", "r06", "r10")] for m in ("trust", "felt_security"))
        with run(binary, "good-enough", None, overrides, tmp) as arms:
            (t30, e30), (t60, e60), (t95, e95) = (
                mean_se(arms[f"r0{r}-repair"]["metrics/trust"][:, -1]) for r in ("30", "60", "95"))
        low, high = 0.30, 0.35  # the steps' widths: slopes, not gains, are compared
        with run(binary, "secure-base-and-safe-haven", None, overrides, tmp) as arms:
            good = arms["responsive"]["metrics/exploration"]
            growth, growth_se = mean_se(good[:, -1] - good[:, record_at(arms["responsive"], 6.0)])
    fig = {"availability": (mc, mi), "z_inconsistency": (mc - mi) / np.hypot(sc, si),
           "other_share": (mo, mp), "z_turns": min((mo - 0.5) / so, (0.5 - mp) / sp),
           "trust": trust, "felt": felt,
           "saturation": max((trust[2] - trust[1]) / (trust[1] - trust[0]),
                             (felt[2] - felt[1]) / (felt[1] - felt[0])),
           "good_enough": [t30, t60, t95],
           "z_good_enough": ((t60 - t30) / low - (t95 - t60) / high)
           / np.sqrt((e30 / low)**2 + (e60 * (1 / low + 1 / high))**2 + (e95 / high)**2),
           "z_secure_base": growth / growth_se}
    failed = [name for name, ok in (("inconsistency", fig["z_inconsistency"] > 5),
                                    ("turns-to", fig["z_turns"] > 5),
                                    ("saturation", fig["saturation"] < 0.75),
                                    ("good-enough", fig["z_good_enough"] > 3),
                                    ("secure-base", fig["z_secure_base"] > 5)) if not ok]
    return fig, failed


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary", nargs="?", default="build/release/apps/attachsim")
    ap.add_argument("--set", nargs="+", default=[], metavar="KEY=VALUE")
    args = ap.parse_args()
    overrides = {}
    for spec in args.set:
        key, sep, value = spec.partition("=")
        if not sep:
            ap.error(f"--set expects KEY=VALUE (got {spec!r})")
        overrides[key] = float(value)
    fig, failed = mechanism_checks(args.binary, overrides)
    print(f"inconsistency: availability {fig['availability'][0]:.3f} vs {fig['availability'][1]:.3f}, "
          f"z = {fig['z_inconsistency']:.1f} (> 5)")
    print(f"turns-to: the 0.9 parent's share of care {fig['other_share'][0]:.3f} as the other "
          f"figure, {1 - fig['other_share'][1]:.3f} as the primary, smaller z = {fig['z_turns']:.1f} (> 5)")
    print(f"saturation: trust {' / '.join(f'{x:.3f}' for x in fig['trust'])}, felt security "
          f"{' / '.join(f'{x:.3f}' for x in fig['felt'])} at 0.2 / 0.6 / 1.0, larger ratio of the "
          f"gains {fig['saturation']:.2f} (< .75)")
    print(f"good-enough: trust {' / '.join(f'{x:.3f}' for x in fig['good_enough'])} at 0.3 / 0.6 / "
          f"0.95 with repair, fall of the slope z = {fig['z_good_enough']:.2f} (> 3)")
    print(f"secure-base: exploration at 36 vs 6 months, responsive arm, z = {fig['z_secure_base']:.2f} (> 5)")
    print("fail: " + (", ".join(failed) if failed else "none"))


if __name__ == "__main__":
    main()
