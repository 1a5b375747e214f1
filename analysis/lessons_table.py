#!/usr/bin/python3
"""The headline figures of docs/lessons.md's table, from a results file of the nine lessons.

Usage: analysis/lessons_table.py RESULTS.h5      (RESULTS from `attachsim run -o RESULTS.h5`)

Prints, per lesson, the figures its row quotes: the share classified secure (B) in the virtual
Strange Situation at 12 months (at 20 months where named), trust and felt security at the end of
the horizon, and the lesson's own mechanism (exploration, time to calm, caregiver stress, self-
worth, ruptures per week, trust in the day-care carer). "At N months" is the record interval
ending nearest that age. Means over the arm's children; a 1,000-child arm's share has a sampling
SE of at most 1.6 points. attachsim illustrates published findings about populations; it does
not assess or predict any real child or parent.
"""

import sys

import h5py
import numpy as np

DAYS_PER_MONTH = 30.4375


def pct(x):
    return f"{100 * x:.0f}%"


def trusts(arms, sep=" / "):
    return sep.join(f"{x.metric('trust'):.2f}" for x in arms)


class Arm:
    def __init__(self, group):
        self.g = group
        self.days = group["time_days"][()]

    def share(self, label, age=12):
        """Share of children coded `label` ("A", "B", "C" or "D"), by the dataset's `codes`."""
        dataset = self.g[f"ssp/age_{age}mo/class"]
        codes = dataset.attrs["codes"]
        codes = codes.decode() if isinstance(codes, bytes) else codes
        value = {lab.strip(): int(v) for v, _, lab in (c.partition("=") for c in codes.split(","))}[label]
        return float(np.mean(dataset[()] == value))

    def metric(self, name, months=None):
        """Mean over children at the interval ending nearest `months` (None: the last)."""
        data = self.g[f"metrics/{name}"]
        col = len(self.days) - 1 if months is None else int(
            np.argmin(np.abs(self.days - months * DAYS_PER_MONTH)))
        return float(np.nanmean(data[:, col]))

    def over_time(self, name):
        """Mean over children and intervals (NaN intervals, e.g. no episode, left out)."""
        return float(np.nanmean(self.g[f"metrics/{name}"][()]))

    def weekly(self, name):
        """Mean count per week: the record interval is a week (7 days)."""
        interval = float(self.days[1] - self.days[0])
        return self.over_time(name) * 7.0 / interval

    def daycare_trust(self):
        return float(np.mean(self.g["figures/daycare/trust"][:, -1]))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    A, B, C, D = "A", "B", "C", "D"  # class labels as the files' `codes` attribute names them
    with h5py.File(sys.argv[1], "r") as f:
        arms = {name: Arm(g) for name, g in f["scenarios"].items()}

        def a(lesson, arm):
            return arms[f"{lesson}.{arm}"]

        print("| lesson | headline |\n|---|---|")
        r, u = a("secure-base-and-safe-haven", "responsive"), a("secure-base-and-safe-haven", "unresponsive")
        print(f"| secure-base-and-safe-haven | exploration {pct(r.metric('exploration', 36))} of waking "
              f"time at 36 months with responsive care vs {pct(u.metric('exploration', 36))} "
              f"({pct(r.metric('exploration', 6))} vs {pct(u.metric('exploration', 6))} at 6 months); "
              f"mean time to calm {r.over_time('time_to_soothe'):.1f} vs {u.over_time('time_to_soothe'):.1f} min; "
              f"secure {pct(r.share(B))} vs {pct(u.share(B))} |")

        fp = {k: a("four-patterns", k) for k in ("consistent", "rejecting", "inconsistent", "frightening")}
        print(f"| four-patterns | consistent care {pct(fp['consistent'].share(B))} B "
              f"({pct(fp['consistent'].share(C))} C); rejecting {pct(fp['rejecting'].share(A))} A; "
              f"inconsistent {pct(fp['inconsistent'].share(C))} C; frightening {pct(fp['frightening'].share(D))} D |")

        p = [a("present-not-perfect", k) for k in ("attuned-with-breaks", "constant-no-support", "distracted")]
        print(f"| present-not-perfect | trust {p[0].metric('trust'):.2f} (attuned, with breaks) vs "
              f"{p[1].metric('trust'):.2f} (always there, no support; caregiver stress "
              f"{p[1].metric('caregiver_stress'):.2f} vs {p[0].metric('caregiver_stress'):.2f}) vs "
              f"{p[2].metric('trust'):.2f} (distracted; self-worth {p[2].metric('self_worth'):.2f} vs "
              f"{p[0].metric('self_worth'):.2f}); secure {' vs '.join(pct(x.share(B)) for x in p)} |")

        rep = [a("good-enough", f"r{k}-repair") for k in ("030", "060", "095")]
        norep = [a("good-enough", f"r{k}-no-repair") for k in ("030", "060", "095")]
        print(f"| good-enough | with repair, secure {' / '.join(pct(x.share(B)) for x in rep)} and trust "
              f"{trusts(rep)} at responsiveness 0.3 / 0.6 / 0.95; "
              f"without repair secure {' / '.join(pct(x.share(B)) for x in norep)}, trust "
              f"{trusts(norep)} |")

        m, n = a("magic-of-repair", "repair"), a("magic-of-repair", "no-repair")
        print(f"| magic-of-repair | same ruptures (about {m.weekly('ruptures'):.0f} / {n.weekly('ruptures'):.0f} "
              f"a week): secure {pct(m.share(B))} with repair vs {pct(n.share(B))} without; trust "
              f"{m.metric('trust'):.2f} vs {n.metric('trust'):.2f} |")

        w = [a("working-parent", k) for k in ("working-attuned", "at-home", "working-distracted")]
        print(f"| working-parent | secure {pct(w[0].share(B))} (working, attuned) vs {pct(w[1].share(B))} "
              f"(at home) vs {pct(w[2].share(B))} (working, distracted); trust "
              f"{trusts(w, ' vs ')}; trust in the day-care carer "
              f"{w[0].daycare_trust():.2f} vs {w[2].daycare_trust():.2f} |")

        t = [a("never-too-late", k) for k in ("switch-at-6", "switch-at-18", "switch-at-36", "never")]
        print(f"| never-too-late | trust at 48 months {trusts(t[:3])} "
              f"after a switch at 6 / 18 / 36 months vs {t[3].metric('trust'):.2f} never; secure at 20 months "
              f"{' / '.join(pct(x.share(B, 20)) for x in t[:3])} vs {pct(t[3].share(B, 20))} never |")

        h = [a("own-history", k) for k in ("secure-history", "insecure-history", "insecure-history-working-on-it")]
        print(f"| own-history | secure {pct(h[0].share(B))} (secure history) vs {pct(h[1].share(B))} "
              f"(insecure: {pct(h[1].share(A))} A, {pct(h[1].share(D))} D) vs {pct(h[2].share(B))} "
              f"(insecure, working on it) |")

        d, e = a("delight", "delight"), a("delight", "neutral")
        print(f"| delight | self-worth {d.metric('self_worth'):.2f} vs {e.metric('self_worth'):.2f}; "
              f"exploration at 24 months {100 * d.metric('exploration'):.1f}% vs {100 * e.metric('exploration'):.1f}% "
              f"of waking time; secure {pct(d.share(B))} vs {pct(e.share(B))} |")


if __name__ == "__main__":
    main()
