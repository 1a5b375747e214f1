#!/usr/bin/python3
"""Re-classifies every stored Strange Situation by the rule written in docs/model.md section 14,
from the stored scale scores alone, and checks that it reproduces every stored class.

The rule, as docs/model.md states it: on the interactive scales averaged over the two reunions,
forced A when avoidance >= 4 and avoidance >= resistance; otherwise C when resistance >= 4;
otherwise B. The class is D when the disorganization rating is >= 5, else the forced class.
The codes come from each dataset's `codes` attribute, not from this file.

Usage: reclassify_test.py RESULTS.h5   (exit 0 when every stored class is reproduced)
"""
import sys

import h5py
import numpy as np


def codes(ds):
    text = ds.attrs["codes"]
    text = text.decode() if isinstance(text, bytes) else str(text)
    return {v: int(k) for k, v in (p.split("=") for p in text.split(","))}


def main(path):
    checked = 0
    with h5py.File(path, "r") as f:
        for arm_name, arm in f["scenarios"].items():
            for age, g in arm["ssp"].items():
                rs = g["resistance"][()].astype(np.float64).mean(axis=1)
                av = g["avoidance"][()].astype(np.float64).mean(axis=1)
                dis = g["disorganization"][()].astype(np.float64)
                c4, c3 = codes(g["class"]), codes(g["abc_class"])
                forced = np.where((av >= 4) & (av >= rs), c3["A"], np.where(rs >= 4, c3["C"], c3["B"]))
                letters = {v: k for k, v in c3.items()}
                full = np.where(dis >= 5, c4["D"], [c4[letters[x]] for x in forced])
                for name, mine, stored in (("abc_class", forced, g["abc_class"][()]),
                                           ("class", full, g["class"][()])):
                    bad = np.flatnonzero(mine != stored)
                    if bad.size:
                        i = bad[0]
                        sys.exit(f"{arm_name}/ssp/{age}/{name}: {bad.size} of {stored.size} differ; first dyad {i}: "
                                 f"resistance {rs[i]}, avoidance {av[i]}, disorganization {dis[i]}, "
                                 f"stored {stored[i]}, rule {mine[i]}")
                checked += rs.size
    if checked == 0:
        sys.exit("no Strange Situation in " + path)
    print(f"{checked} classifications reproduced by the documented rule")


if __name__ == "__main__":
    main(sys.argv[1])
