#!/usr/bin/python3
"""Calibration of the community population (model v2): the search behind docs/calibration.md.

Fits up to ten parameters -- those the model's mechanisms tie most directly to each target,
among them the spread of responsiveness -- against thirteen published targets (more targets
than fitted parameters); docs/calibration.md records each round and what was adopted:

  fitted parameter                     mainly moves
  population.responsiveness.mean       B and the sensitivity-security association
  population.responsiveness.sd         the sensitivity-security r's and the observer's check
  population.frightening.mean          fear of the figure, disorganization (D; high-risk D)
  child.effort_escalate                how much escalating costs (C)
  child.separation_arousal             how distressed the Strange Situation's separations leave a
                                       child (how far its expectations must contain, C vs B)
  child.development_months             how fast self-soothing and waking hours mature (crying)
  child.distress_rate_newborn          how much infants fuss and cry over the first six weeks
  child.distress_decline_months        when crying falls (by 10-12 weeks)
  population.history_responsiveness    how much a caregiver's insecure history lowers
                                       responsiveness (the AAI-sensitivity effect)
  population.history_rebuff            how much a dismissing caregiver rebuffs: avoidance (A)
                                       and the AAI-Strange Situation correspondence

  target (value, half-width used to scale the deviation)                   source
  forced A 21%, B 65% (C = 1 - A - B)                        van IJzendoorn & Kroonenberg 1988
  D 15%                                                     van IJzendoorn et al. 1999
  r(observed sensitivity 6 mo, secure vs insecure 12 mo) .24 De Wolff & van IJzendoorn 1997
  r(observed sensitivity 6 mo, security score) .24           idem (continuous measures)
  crying at 1-2, 3-4 and 5-6 weeks ~125 min/day (117-133), at 10-12 weeks ~68
                                                            Wolke, Bilgin & Samara 2017
  high-risk: D 36% (25-48%), Cohen's d of security .67       Cyr et al. 2010; van IJzendoorn 1999
  caregiver AAI secure vs insecure (the 42% with the highest history insecure, Bakermans-
  Kranenburg & van IJzendoorn 2009): d of the observed sensitivity rating .72, secure-secure
  correspondence with the child's class 75%                 van IJzendoorn 1995

Every other parameter keeps its documented default (docs/model.md); the high-risk population is
the community one with the documented risk factors of scenarios/high-risk.toml (little support,
more life events, more insecure histories, twice the frightening behaviour), not fitted.

Each candidate runs `attachsim run community` and `attachsim run high-risk` with the candidate's
--set overrides. The search is deterministic: stage 1 draws candidates uniformly from SPACE
(fixed seed), stage 2 draws around the best of stage 1 within a box a fifth of each range wide.
`--check` evaluates the current defaults (no overrides) on three seeds at full size and prints
the table of docs/calibration.md. `--grid` evaluates every combination of the listed values (one
seed), for the refits of docs/calibration.md; with `--checks` each point also runs the lesson
checks of analysis/lesson_robustness.py and the mechanism tests of analysis/mechanism_checks.py,
so that a refit can be held to them as well as to the targets. `--search --checks` makes the
observer's r (rating with the drawn responsiveness >= .5) a constraint of the search (stage 2
refines around the best candidate that meets it) and holds the best candidates that meet it, in
order of loss, to those checks until one passes: the constraints the loss cannot see.

Usage:
  analysis/calibrate.py BINARY --search [--candidates 48] [--refine 24] [--dyads 3000]
                        [--checks [--check-top 8]] [--fix KEY=VALUE ...]
  analysis/calibrate.py BINARY --check [--dyads 10000] [--seeds 1 2 3]
  analysis/calibrate.py BINARY --grid KEY=V1,V2,... [KEY=...] [--dyads 3000] [--seed 11] [--checks]

attachsim illustrates published findings about populations; it does not assess or predict any
real child or parent.
"""

import argparse
import itertools
import math
import os
import random
import subprocess
import sys
import tempfile

import h5py
import numpy as np

from lesson_robustness import lesson_checks  # analysis/, beside this script
from mechanism_checks import mechanism_checks  # idem
from transmission import aai_figures  # idem

TARGETS = {  # name: (target, half-width)
    "A": (0.21, 0.06),
    "B": (0.65, 0.06),
    "D": (0.15, 0.04),
    "r_B": (0.24, 0.06),
    "r_sec": (0.24, 0.06),
    # Wolke et al. 2017: pooled fuss/cry means stable at 117-133 min/day over weeks 1-2, 3-4 and
    # 5-6, 68 at 10-12 weeks. Half-width 8 minutes: the half-spread of those pooled means over the
    # first six weeks, i.e. how far pooled means of adjacent age bins differ (the between-infant
    # SDs, 46-70 minutes, say nothing about a population mean's uncertainty).
    "cry_2wk": (125.0, 8.0),
    "cry_4wk": (125.0, 8.0),
    "cry_6wk": (125.0, 8.0),
    "cry_12wk": (68.0, 8.0),
    "hr_D": (0.365, 0.08),
    "hr_d": (0.67, 0.15),
    # van IJzendoorn 1995: d = .72 over 10 samples (N = 389), its SE about sqrt(4 / 389) = .10, so
    # .2 is about its 95% interval; correspondence 75% (n = 661, SE 1.7 points; the samples vary
    # more), scaled like the class shares.
    "aai_d": (0.72, 0.2),
    "aai_agree": (0.75, 0.06),
}

# The bands of the calibration table (docs/calibration.md, The table): each target's published
# range (the class shares of van IJzendoorn & Kroonenberg 1988, D of van IJzendoorn et al. 1999,
# the r's of De Wolff & van IJzendoorn 1997, high-risk D of Cyr et al. 2010, the AAI figures'
# intervals of van IJzendoorn 1995).
BANDS = {"A": (0.15, 0.32), "B": (0.57, 0.73), "C": (0.04, 0.22), "D": (0.10, 0.20),
         "r_B": (0.16, 0.32), "r_sec": (0.18, 0.35), "hr_D": (0.25, 0.48),
         "aai_d": (0.52, 0.92), "aai_agree": (0.69, 0.81),
         # crying (Wolke et al. 2017): each two-week bin of the first six weeks inside the range of
         # the pooled means over those weeks; 10-12 weeks and the fall with the loss's half-width.
         "cry_2wk": (117.0, 133.0), "cry_4wk": (117.0, 133.0), "cry_6wk": (117.0, 133.0),
         "cry_12wk": (60.0, 76.0), "cry_ratio": (0.48, 0.68)}


def bands_missed(res):
    """The names of the BANDS a result misses."""
    return [k for k, (lo, hi) in BANDS.items() if not lo <= res[k] <= hi]


# The observer's construct check (validity standard: r of the 6-month rating with the caregiver's
# drawn responsiveness): with --search --checks a candidate below it is not refined around or
# adopted.
R_RATING_MIN = 0.5

# Crying windows (days of age) of Wolke et al. 2017's age bins: the weekly record ending on the
# window's last day.
CRY_WINDOWS = {"cry_2wk": (7, 14), "cry_4wk": (21, 28), "cry_6wk": (35, 42), "cry_12wk": (70, 84)}

SPACE = {  # key: (low, high)
    "population.responsiveness.mean": (0.75, 0.95),
    "population.responsiveness.sd": (0.15, 0.25),
    "population.frightening.mean": (0.03, 0.05),
    "child.effort_escalate": (0.22, 0.35),
    "child.separation_arousal": (0.03, 0.1),
    "child.development_months": (1.2, 2.5),
    "child.distress_rate_newborn": (2.0, 3.5),
    "child.distress_decline_months": (1.6, 2.6),
    "population.history_responsiveness.mean": (0.4, 0.9),
    "population.history_rebuff.mean": (0.3, 0.8),
}

# The high-risk population doubles the community's frightening behaviour (see the docstring).
HIGH_RISK_FACTOR = {"population.frightening.mean": 2.0}


def awake_minutes(age_days, child):
    """Waking minutes per day at an age (docs/model.md section 2)."""
    young = math.exp(-age_days / 30.436875 / child["development_months"])
    return 60.0 * (child["awake_hours_older"] + (child["awake_hours_newborn"] - child["awake_hours_older"]) * young)


def run(binary, scenario, overrides, dyads, seed, out):
    cmd = [binary, "run", scenario, "--dyads", str(dyads), "--months", "12.5", "--seed", str(seed),
           "--no-progress", "--threads", str(os.cpu_count() or 1), "-o", out,
           "--set", "assessment.strange_situation_months=[12]",
           "--set", "assessment.sensitivity_months=[6]"]
    for key, value in overrides.items():
        cmd += ["--set", f"{key}={value:.6g}"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return h5py.File(out, "r")


def child_defaults(binary):
    """The effective child parameters (from --print-config of the community scenario)."""
    text = subprocess.run([binary, "run", "community", "--print-config"], check=True,
                          capture_output=True, text=True).stdout
    child, section = {}, None
    for line in text.splitlines():
        line = line.split("#")[0].strip()
        if line.startswith("["):
            section = line.strip("[]")
        elif section in ("child", "arm.child") and "=" in line:
            k, v = (x.strip() for x in line.split("=", 1))
            try:
                child[k] = float(v)
            except ValueError:
                pass
    return child


def measure(binary, overrides, dyads, seed, child):
    child = dict(child)
    for k, v in overrides.items():
        if k.startswith("child."):
            child[k[len("child."):]] = v
    hr = dict(overrides)
    for k, factor in HIGH_RISK_FACTOR.items():
        if k in hr:
            hr[k] = hr[k] * factor
    with tempfile.TemporaryDirectory() as tmp:
        with run(binary, "community", overrides, dyads, seed, os.path.join(tmp, "c.h5")) as f:
            g = next(iter(f["scenarios"].values()))
            cls, abc = g["ssp/age_12mo/class"][()], g["ssp/age_12mo/abc_class"][()]
            sec = g["ssp/age_12mo/security"][()].astype(float)
            s6 = g["observed/sensitivity_6mo"][()].astype(float)
            t = g["time_days"][()]
            history = g["params/history"][()].astype(float)
            drawn = g["params/responsiveness"][()].astype(float)
            resp_p10, resp_p90 = np.quantile(drawn, [0.1, 0.9])
            distress = g["metrics/distress"]
            cry = {}
            for name, (lo, hi) in CRY_WINDOWS.items():
                k = int(np.argmin(np.abs(t - hi)))  # the weekly record ending on day `hi`
                cry[name] = float(np.nanmean(distress[:, k])) * awake_minutes(0.5 * (lo + hi), child)
        with run(binary, "high-risk", hr, dyads, seed, os.path.join(tmp, "h.h5")) as f:
            h = next(iter(f["scenarios"].values()))
            hcls = h["ssp/age_12mo/class"][()]
            hsec = h["ssp/age_12mo/security"][()].astype(float)
    ok = np.isfinite(s6)
    res = {k: float(np.mean(abc == i)) for i, k in enumerate("ABC")}
    res["D"] = float(np.mean(cls == 3))
    res["r_B"] = float(np.corrcoef(s6[ok], (cls == 1)[ok])[0, 1])
    res["r_sec"] = float(np.corrcoef(s6[ok], sec[ok])[0, 1])
    res.update(cry)
    res["resp_p10"], res["resp_p90"] = float(resp_p10), float(resp_p90)  # drawn responsiveness
    # The observer's construct check (docs/calibration.md, Construct checks): r of the 6-month
    # rating with the caregiver's drawn responsiveness. Not a target: --grid prints it.
    res["r_rating"] = float(np.corrcoef(s6[ok], drawn[ok])[0, 1])
    res["aai_d"], res["aai_agree"], res["aai_kappa"], _ = aai_figures(history, s6, cls == 1)
    res["cry_ratio"] = cry["cry_12wk"] / cry["cry_6wk"]
    res["hr_D"] = float(np.mean(hcls == 3))
    res["hr_B"] = float(np.mean(hcls == 1))
    pooled = math.sqrt((sec.var(ddof=1) + hsec.var(ddof=1)) / 2)
    res["hr_d"] = float((sec.mean() - hsec.mean()) / pooled)
    return res


def loss(res):
    return sum(((res[k] - t) / w) ** 2 for k, (t, w) in TARGETS.items())


def fmt(res):
    return " ".join(f"{k}={res[k]:.3f}" if abs(res[k]) < 10 else f"{k}={res[k]:.0f}" for k in TARGETS)


def parse_fix(spec):
    """KEY=VALUE of --fix: a parameter of SPACE held at a value instead of searched."""
    key, sep, value = spec.partition("=")
    if not sep or key not in SPACE:
        sys.exit(f"calibrate.py: --fix expects KEY=VALUE with KEY one of {', '.join(SPACE)}"
                 f" (got {spec!r})")
    try:
        return key, float(value)
    except ValueError:
        sys.exit(f"calibrate.py: --fix {key}: {value!r} is not a number")


def search(args, child):
    rng = random.Random(20261201)
    best = None
    seen = []  # (loss, candidate, results) of every candidate, for --checks

    def consider(cand, label):
        nonlocal best
        res = measure(args.binary, cand, args.dyads, args.seed, child)
        score = loss(res)
        seen.append((score, cand, res))
        def short(k):  # population.X.mean -> X, population.X.sd -> X.sd, child.X -> X
            parts = k.split(".")
            return parts[1] if parts[-1] == "mean" else ".".join(parts[1:])
        print(f"{label} loss={score:7.2f} {fmt(res)}  " +
              " ".join(f"{short(k)}={v:.3g}" for k, v in cand.items()), flush=True)
        if best is None or score < best[0]:
            best = (score, cand, res)

    fixed = dict(parse_fix(spec) for spec in args.fix)
    space = {k: v for k, v in SPACE.items() if k not in fixed}
    for i in range(args.candidates):
        cand = {k: rng.uniform(lo, hi) for k, (lo, hi) in space.items()}
        consider({**cand, **fixed}, f"s1 {i:3d}")
    centre = best[1]
    if args.checks:  # refine around the best candidate whose rating still tracks the caregiver
        feasible = [t for t in seen if t[2]["r_rating"] >= R_RATING_MIN]
        if feasible:
            score, centre, _ = min(feasible, key=lambda t: t[0])
            print(f"stage 2 centred on the best candidate with r_rating >= {R_RATING_MIN}:"
                  f" loss={score:.2f}", flush=True)
    for i in range(args.refine):
        cand = {}
        for k, (lo, hi) in space.items():
            w = 0.1 * (hi - lo)
            cand[k] = min(hi, max(lo, rng.uniform(centre[k] - w, centre[k] + w)))
        consider({**cand, **fixed}, f"s2 {i:3d}")
    print("\nbest:", f"loss={best[0]:.2f}", fmt(best[2]))
    for k, v in best[1].items():
        print(f"  {k} = {v:.3g}")
    if args.checks:
        constrained(args, seen)


def constrained(args, seen):
    """The search with the construct checks as constraints (docs/calibration.md, Procedure): the
    candidates whose observer's r (rating with the drawn responsiveness) is at least
    R_RATING_MIN, in order of loss, each held to the calibration BANDS and to the lessons' and
    mechanism checks, until one passes or --check-top candidates have been tried. The loss cannot see these checks:
    a candidate with a narrower spread of responsiveness can fit the targets better while the
    rating tracks the caregiver less and the classes respond less to care."""
    feasible = sorted((t for t in seen if t[2]["r_rating"] >= R_RATING_MIN), key=lambda t: t[0])
    print(f"\nconstrained: {len(feasible)} of {len(seen)} candidates have r_rating >="
          f" {R_RATING_MIN}; the best {args.check_top} of them by loss, in order, held to the"
          " calibration bands and the lesson and mechanism checks")
    for score, cand, res in feasible[:args.check_top]:
        lessons, lesson_failed = lesson_checks(args.binary, cand)
        _, mech_failed = mechanism_checks(args.binary, cand)
        failed = bands_missed(res) + lesson_failed + mech_failed
        print(f"loss={score:7.2f} {fmt(res)} r_rating={res['r_rating']:.3f} four-patterns lowest"
              f" {lessons['lowest']:.2f}; fail: {', '.join(failed) or 'none'}", flush=True)
        print("  " + " ".join(f"{k}={v:.3g}" for k, v in cand.items()), flush=True)
        if not failed:
            print("\nbest candidate that passes every check:", f"loss={score:.2f}")
            return
    print("\nno candidate among them passes every check")


def grid(args, child):
    """Every combination of the --grid values (KEY=V1,V2,...), the other parameters at their
    defaults: the loss, its targets and the observer's r, one line per point (the refits of
    docs/calibration.md, Procedure)."""
    axes = []
    for spec in args.grid:
        key, sep, values = spec.partition("=")
        if not sep or not values:
            sys.exit(f"calibrate.py: --grid expects KEY=V1,V2,... (got {spec!r})")
        axes.append((key, [float(v) for v in values.split(",")]))
    for point in itertools.product(*(values for _, values in axes)):
        cand = {key: v for (key, _), v in zip(axes, point)}
        res = measure(args.binary, cand, args.dyads, args.seed, child)
        print(" ".join(f"{k}={v:.3g}" for k, v in cand.items()),
              f"loss={loss(res):6.2f} {fmt(res)} C={res['C']:.3f} r_rating={res['r_rating']:.3f}",
              flush=True)
        if args.checks:
            lessons, failed = lesson_checks(args.binary, cand)
            mech, mech_failed = mechanism_checks(args.binary, cand)
            print(f"  lessons: repair {lessons['repair']:+.1f}, secure-base {lessons['base']:+.1f},"
                  f" good-enough {' / '.join(f'{x:.2f}' for x in lessons['good'])}, four-patterns"
                  f" lowest {lessons['lowest']:.2f}, consistent C {lessons['consistent_c']:.3f};"
                  f" mechanisms: inconsistency z {mech['z_inconsistency']:.1f}, turns-to z"
                  f" {mech['z_turns']:.1f}, saturation ratio {mech['saturation']:.2f}, good-enough"
                  f" trust z {mech['z_good_enough']:.1f}, secure-base age z"
                  f" {mech['z_secure_base']:.1f}; fail: {', '.join(failed + mech_failed) or 'none'}",
                  flush=True)


def families(binary, dyads, seed):
    """Forced A / B / C, D and r(sensitivity, secure) of each arm of community-families."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        with run(binary, "community-families", {}, dyads, seed, os.path.join(tmp, "f.h5")) as f:
            for name, g in f["scenarios"].items():
                cls, abc = g["ssp/age_12mo/class"][()], g["ssp/age_12mo/abc_class"][()]
                s6 = g["observed/sensitivity_6mo"][()].astype(float)
                ok = np.isfinite(s6)
                r = float(np.corrcoef(s6[ok], (cls == 1)[ok])[0, 1])
                out.append((name.split(".")[-1], [float(np.mean(abc == i)) for i in range(3)],
                            float(np.mean(cls == 3)), r))
    return out


def check(args, child):
    rows = {k: [] for k in ("A", "B", "C", "D", "r_B", "r_sec", "cry_2wk", "cry_4wk", "cry_6wk",
                            "cry_12wk", "cry_ratio",
                            "hr_D", "hr_B", "hr_d", "aai_d", "aai_agree", "aai_kappa")}
    fam = []
    for seed in args.seeds:
        res = measure(args.binary, {}, args.dyads, seed, child)
        for k in rows:
            rows[k].append(res[k])
        fam.append(families(args.binary, args.dyads, seed))
    published = {
        "A": ("21% (15-32%)", "van IJzendoorn & Kroonenberg 1988"),
        "B": ("65% (57-73%)", "idem"),
        "C": ("14% (4-22%)", "idem"),
        "D": ("15% (10-20%)", "van IJzendoorn et al. 1999"),
        "r_B": (".24 (.16-.32)", "De Wolff & van IJzendoorn 1997"),
        "r_sec": (".24 (.18-.35)", "idem"),
        "cry_2wk": ("117-133 min/day over weeks 1-6", "Wolke et al. 2017"),
        "cry_4wk": ("idem", "idem"),
        "cry_6wk": ("idem", "idem"),
        "cry_12wk": ("68 min/day", "idem"),
        "cry_ratio": ("~0.58 (68 / 117)", "idem"),
        "hr_D": ("25-48%", "van IJzendoorn et al. 1999; Cyr et al. 2010"),
        "hr_B": ("fewer than community", "Cyr et al. 2010"),
        "hr_d": ("~.67", "Cyr et al. 2010"),
        "aai_d": (".72 (.52-.92)", "van IJzendoorn 1995"),
        "aai_agree": ("75% (69-81%)", "idem"),
        "aai_kappa": (".49", "idem"),
    }
    labels = {
        "A": "community, forced A at 12 mo", "B": "community, forced B", "C": "community, forced C",
        "D": "community, D", "r_B": "community, r(sensitivity 6 mo, secure vs insecure 12 mo)",
        "r_sec": "community, r(sensitivity 6 mo, security score 12 mo)",
        "cry_2wk": "community, crying at 1-2 weeks (min/day)",
        "cry_4wk": "community, crying at 3-4 weeks (min/day)",
        "cry_6wk": "community, crying at 5-6 weeks (min/day)",
        "cry_12wk": "community, crying at 10-12 weeks (min/day)",
        "cry_ratio": "community, crying at 10-12 weeks / at 5-6 weeks", "hr_D": "high-risk, D",
        "hr_B": "high-risk, B", "hr_d": "community vs high-risk, Cohen's d of security",
        "aai_d": "community, caregiver AAI secure vs insecure: d of the sensitivity rating",
        "aai_agree": "community, caregiver AAI vs child B: secure/insecure correspondence",
        "aai_kappa": "community, idem: kappa",
    }
    print(f"N = {args.dyads} dyads per population and seed; seeds {' '.join(map(str, args.seeds))}\n")
    print("| quantity | attachsim (seed " + ", ".join(map(str, args.seeds)) + ") | published | source |")
    print("|---|---|---|---|")
    for k, vals in rows.items():
        pct = k in ("A", "B", "C", "D", "hr_D", "hr_B", "aai_agree")
        text = " / ".join(f"{100 * v:.1f}%" if pct else (f"{v:.0f}" if k in CRY_WINDOWS else f"{v:.3f}")
                          for v in vals)
        print(f"| {labels[k]} | {text} | {published[k][0]} | {published[k][1]} |")
    for i, (name, *_rest) in enumerate(fam[0]):
        text = " · ".join(  # seeds apart by a middle dot (A / B / C inside a seed)
            " / ".join(f"{100 * x:.1f}" for x in per[i][1]) + f", {100 * per[i][2]:.1f}, {per[i][3]:.3f}"
            for per in fam)
        print(f"| families, {name}: forced A / B / C %, D %, r | {text} | as community | as community |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary", nargs="?", default="build/release/apps/attachsim")
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--search", action="store_true")
    mode.add_argument("--check", action="store_true")
    mode.add_argument("--grid", nargs="+", metavar="KEY=V1,V2,...")
    ap.add_argument("--checks", action="store_true",
                    help="with --grid: also the lesson and mechanism checks at every point; with"
                         " --search: the best candidates by loss held to those checks and the"
                         " observer's r, until one passes (stage 2 refines around the best"
                         " candidate that meets the observer's r)")
    ap.add_argument("--fix", nargs="+", default=[], metavar="KEY=VALUE",
                    help="with --search: hold these parameters of SPACE at a value")
    ap.add_argument("--check-top", type=int, default=8,
                    help="with --search --checks: how many of the best candidates to check")
    ap.add_argument("--candidates", type=int, default=48)
    ap.add_argument("--refine", type=int, default=24)
    ap.add_argument("--dyads", type=int, default=None)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    args = ap.parse_args()
    if args.dyads is None:
        args.dyads = 10000 if args.check else 3000
    child = child_defaults(args.binary)
    (search if args.search else grid if args.grid else check)(args, child)


if __name__ == "__main__":
    main()
