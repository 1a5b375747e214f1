#!/usr/bin/python3
"""Two mechanism tests of tests/test_validation.cpp, run through the CLI under --set overrides.

The validation tests run on the built-in defaults; a calibration or a change of a rule under
study (docs/calibration.md, Robustness) needs them under candidate values too. This script writes
each test's scenario (the same TOML, seed and size as the test), runs `attachsim run FILE` with
the overrides (a key the scenario sets itself is left to it: the override changes the defaults
the test builds on, not the test) and applies the test's criterion:

  inconsistency  InconsistencyLowersAvailabilityForAFixedStrategy: expected availability at 12
                 months, consistent minus inconsistent caregiver (same mean responsiveness 0.5),
                 z > 5
  turns-to       TheChildTurnsToTheFigureItTrusts: with two parents at home all day, one at
                 responsiveness 0.9 and one at 0.3, the 0.9 parent's share of care is above one
                 half by z > 5 whichever of the two is the primary figure

Usage:
  analysis/mechanism_checks.py [BINARY] [--set KEY=VALUE ...]

attachsim illustrates published findings about populations; it does not assess or predict any
real child or parent.
"""

import argparse
import os
import subprocess
import tempfile
import tomllib

import h5py
import numpy as np

HEADER = '[scenario]\nname = "{name}"\nseed = 2024\ndyads = 400\nmonths = 12\n'

INCONSISTENCY = """[population]
responsiveness = 0.5
history = 0.0
burnout = 0.0
[child]
innate_signal = 10.0
innate_suppress = -10.0
innate_escalate = -10.0
innate_approach = -10.0
strategy_precision = 100.0
approach_age_months = 72.0
[[arm]]
name = "consistent"
population.consistency = 1.0
[[arm]]
name = "inconsistent"
population.consistency = 0.0
"""

TURNS_TO = """[population]
presence = 1.0
consistency = 1.0
rebuff = 0.05
history = 0.0
[[arm]]
name = "other-better"
population.responsiveness = { mean = 0.3, sd = 0.05 }
[[arm.figure]]
name = "other"
role = "parent"
population.responsiveness = { mean = 0.9, sd = 0.05 }
[[arm]]
name = "primary-better"
population.responsiveness = { mean = 0.9, sd = 0.05 }
[[arm.figure]]
name = "other"
role = "parent"
population.responsiveness = { mean = 0.3, sd = 0.05 }
"""


def own_keys(body):
    """population.* and child.* keys the scenario sets, at its top level or in an arm or figure."""
    doc = tomllib.loads(body)
    keys = set()
    for table in [doc] + doc.get("arm", []) + [f for a in doc.get("arm", []) for f in a.get("figure", [])]:
        for section in ("population", "child"):
            keys |= {f"{section}.{k}" for k in table.get(section, {})}
    return keys


def run(binary, name, body, overrides, tmp):
    """{arm name: HDF5 group} of the scenario run with the overrides it does not set itself."""
    path = os.path.join(tmp, f"{name}.toml")
    with open(path, "w") as f:
        f.write(HEADER.format(name=name) + body)
    out = os.path.join(tmp, f"{name}.h5")
    cmd = [binary, "run", path, "--no-progress", "--threads", str(os.cpu_count() or 1), "-o", out]
    own = own_keys(body)
    for key, value in overrides.items():
        if key.removesuffix(".mean").removesuffix(".sd") not in own:
            cmd += ["--set", f"{key}={value:g}"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    f = h5py.File(out, "r")
    return {n.split(".")[-1]: g for n, g in f["scenarios"].items()}


def mean_se(x):
    x = x[~np.isnan(x)]
    return float(np.mean(x)), float(np.std(x, ddof=1) / np.sqrt(len(x)))


def mechanism_checks(binary, overrides):
    """The two tests' figures under the overrides and the names of those that fail."""
    with tempfile.TemporaryDirectory() as tmp:
        arms = run(binary, "inconsistency", INCONSISTENCY, overrides, tmp)
        (mc, sc), (mi, si) = (mean_se(arms[a]["metrics/expected_availability"][:, -1])
                              for a in ("consistent", "inconsistent"))
        arms = run(binary, "turns-to", TURNS_TO, overrides, tmp)
        # each dyad's mean share over all records, as the test's kAllRecords
        (mo, so), (mp, sp) = (mean_se(np.nanmean(arms[a]["figures/other/care_share"][()], axis=1))
                              for a in ("other-better", "primary-better"))
    fig = {"availability": (mc, mi), "z_inconsistency": (mc - mi) / np.hypot(sc, si),
           "other_share": (mo, mp), "z_turns": min((mo - 0.5) / so, (0.5 - mp) / sp)}
    failed = [name for name, ok in (("inconsistency", fig["z_inconsistency"] > 5),
                                    ("turns-to", fig["z_turns"] > 5)) if not ok]
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
    print("fail: " + (", ".join(failed) if failed else "none"))


if __name__ == "__main__":
    main()
