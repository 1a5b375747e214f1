#!/usr/bin/python3
"""Sweep overhead: a 1,000-point sweep against one scenario with the same number of dyads.

Usage: bench/sweep_overhead.py [path/to/attachsim] [--points 1000] [--dyads 10] [--months 3]
                               [--threads 2] [--repeat 3] [--json sweep_overhead.json]

Runs (a) a grid sweep of --points points over population.responsiveness.mean, one replicate of
--dyads dyads each, and (b) one plain scenario of points x dyads dyads, same horizon and threads,
alternating --repeat times, and prints the median wall times, their ratio and the overhead per
point. Everything else (the population, the output) is the attachsim default. Speed is never a
test: this is a benchmark, run by hand (bench/README.md).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time


def timed(command):
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary", nargs="?", default="build/release/apps/attachsim")
    parser.add_argument("--points", type=int, default=1000)
    parser.add_argument("--dyads", type=int, default=10)
    parser.add_argument("--months", type=float, default=3.0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", default="sweep_overhead.json")
    args = parser.parse_args()
    head = (f"[scenario]\nname = \"overhead\"\nseed = 1\nmonths = {args.months}\n"
            "[assessment]\nstrange_situation_months = []\nsensitivity_months = []\n")
    with tempfile.TemporaryDirectory() as tmp:
        sweep = os.path.join(tmp, "sweep.toml")
        plain = os.path.join(tmp, "plain.toml")
        with open(sweep, "w") as f:
            f.write(head.replace("[assessment]", f"dyads = {args.dyads}\n[assessment]") +
                    "[sweep]\n[[sweep.parameter]]\nkey = \"population.responsiveness.mean\"\n"
                    f"min = 0.5\nmax = 0.7\nsteps = {args.points}\n")
        with open(plain, "w") as f:
            f.write(head.replace("[assessment]", f"dyads = {args.points * args.dyads}\n[assessment]"))
        common = ["--threads", str(args.threads), "--no-progress"]
        walls = {"sweep": [], "plain": []}
        for _ in range(args.repeat):
            walls["sweep"].append(timed([args.binary, "run", sweep, "-o",
                                         os.path.join(tmp, "s.h5")] + common))
            walls["plain"].append(timed([args.binary, "run", plain, "-o",
                                         os.path.join(tmp, "p.h5")] + common))
    sweep_s = statistics.median(walls["sweep"])
    plain_s = statistics.median(walls["plain"])
    result = {
        "points": args.points, "dyads_per_point": args.dyads, "months": args.months,
        "threads": args.threads, "repeat": args.repeat,
        "sweep_wall_s": walls["sweep"], "plain_wall_s": walls["plain"],
        "sweep_median_s": sweep_s, "plain_median_s": plain_s,
        "ratio": sweep_s / plain_s,
        "overhead_per_point_ms": 1000.0 * (sweep_s - plain_s) / args.points,
    }
    print(f"{args.points}-point sweep of {args.dyads} dyads each vs one scenario of "
          f"{args.points * args.dyads} dyads ({args.months} months, {args.threads} threads, "
          f"median of {args.repeat}):")
    print(f"  sweep {sweep_s:.2f} s, plain {plain_s:.2f} s, ratio {result['ratio']:.2f}, "
          f"overhead {result['overhead_per_point_ms']:.2f} ms per point")
    with open(args.json, "w") as f:
        json.dump(result, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
