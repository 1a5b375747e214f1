#!/usr/bin/python3
"""Regenerates the calibration table of docs/calibration.md.

Runs the built-in `community`, `high-risk` and `community-families` scenarios at their calibrated
settings (10,000 dyads per arm; horizon cut to 12.5 months, which covers the 12-month Strange
Situation and the 6-month observation) and prints, side by side with the published figures:
forced A/B/C shares and the D share at 12 months, the association between observed sensitivity
(6 months) and security, the high-risk shifts (D share, Cohen's d of the security score), and the
same figures for the families with several attachment figures.

Usage: analysis/calibration_table.py [path/to/attachsim]   (default build/release/apps/attachsim)
attachsim illustrates published findings about populations; it does not assess or predict any
real child or parent.
"""

import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np


def run(binary, scenario, out):
    """The 12-month assessment and 6-month observation of every arm, in file order."""
    subprocess.run([binary, "run", scenario, "--months", "12.5", "-o", out,
                    "--set", "assessment.strange_situation_months=[12]",
                    "--set", "assessment.sensitivity_months=[6]"],
                   check=True, stdout=subprocess.DEVNULL)
    arms = []
    with h5py.File(out) as f:
        for arm in f["scenarios"].values():
            ssp = arm["ssp/age_12mo"]
            arms.append({"class": ssp["class"][...], "abc": ssp["abc_class"][...],
                         "security": ssp["security"][...].astype(float),
                         "sensitivity": arm["observed/sensitivity_6mo"][...].astype(float)})
    return arms


def main(argv):
    binary = argv[1] if len(argv) > 1 else "build/release/apps/attachsim"
    with tempfile.TemporaryDirectory() as tmp:
        c = run(binary, "community", os.path.join(tmp, "c.h5"))[0]
        h = run(binary, "high-risk", os.path.join(tmp, "h.h5"))[0]
        families = run(binary, "community-families", os.path.join(tmp, "f.h5"))
    n = len(c["class"])
    pct = lambda x: f"{100 * x:.1f}%"
    rows = [
        ("community, forced A at 12 mo", pct(np.mean(c["abc"] == 0)), "21% (low-risk range 15-32%)",
         "van IJzendoorn & Kroonenberg 1988"),
        ("community, forced B", pct(np.mean(c["abc"] == 1)), "65% (57-73%)", "idem; Ainsworth et al. 1978"),
        ("community, forced C", pct(np.mean(c["abc"] == 2)), "14% (4-22%)", "idem"),
        ("community, D", pct(np.mean(c["class"] == 3)), "15%", "van IJzendoorn et al. 1999"),
        ("community, r(observed sensitivity 6 mo, security 12 mo)",
         f"{np.corrcoef(c['sensitivity'], c['security'])[0, 1]:.3f}", ".24 (95% CI ~.18-.30)",
         "De Wolff & van IJzendoorn 1997"),
        ("high-risk, D", pct(np.mean(h["class"] == 3)), "25-48%",
         "van IJzendoorn et al. 1999; Cyr et al. 2010"),
        ("high-risk, B (secure)", pct(np.mean(h["class"] == 1)), "fewer than community", "Cyr et al. 2010"),
    ]
    pooled = np.sqrt((c["security"].var(ddof=1) + h["security"].var(ddof=1)) / 2)
    d = (c["security"].mean() - h["security"].mean()) / pooled
    rows.append(("community vs high-risk, Cohen's d of security", f"{d:.2f}", "~.67", "Cyr et al. 2010"))
    for name, f in zip(("two parents", "two parents + day care"), families):
        r = np.corrcoef(f["sensitivity"], f["security"])[0, 1]
        rows.append((f"families, {name}: forced A / B / C, D, r",
                     " / ".join(pct(np.mean(f["abc"] == k)) for k in range(3)) +
                     f", {pct(np.mean(f['class'] == 3))}, {r:.3f}",
                     "as community", "as community"))
    print(f"N = {n} dyads per population; sampling SE of a share <= {0.5 / np.sqrt(n):.3f}\n")
    print("| quantity | attachsim | published | source |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main(sys.argv)
