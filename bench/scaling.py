#!/usr/bin/python3
"""Strong and weak scaling of attachsim's benchmark mode: a table, JSON and a plot.

Usage: bench/scaling.py [path/to/attachsim] [--size small] [--threads 1,2] [--repeat 3]
                        [--json scaling.json] [--plot scaling.png]

Strong scaling runs the fixed `attachsim bench --size S` workload at each thread count; weak
scaling runs `--weak`, whose dyads grow with the threads. For each: the median figure of merit
(dyad-days/s) over --repeat runs and the parallel efficiency, fom(T) / (T x fom(1)) — in both
cases the work per thread per second relative to one thread. Every run must verify its checksum
(a wrong answer fast is a failure). Ranks are 1 until the MPI build exists (issue 6). Speed is
never a test: this is a benchmark, run by hand (bench/README.md).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile


def bench(binary, size, threads, weak, tmp):
    out = os.path.join(tmp, "b.json")
    cmd = [binary, "bench", "--size", size, "--threads", str(threads), "--json", out]
    if weak:
        cmd.append("--weak")
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    with open(out) as f:
        result = json.load(f)
    if not result["verified"]:
        raise SystemExit(f"checksum not verified: {' '.join(cmd)}")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary", nargs="?", default="build/release/apps/attachsim")
    parser.add_argument("--size", default="small")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", default="scaling.json")
    parser.add_argument("--plot", default="scaling.png")
    args = parser.parse_args()
    counts = [int(t) for t in args.threads.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for mode in ("strong", "weak"):
            base = None
            for t in counts:
                runs = [bench(args.binary, args.size, t, mode == "weak", tmp)
                        for _ in range(args.repeat)]
                fom = statistics.median(r["dyad_days_per_second"] for r in runs)
                base = fom if t == counts[0] else base
                rows.append({"mode": mode, "ranks": 1, "threads": t, "dyads": runs[0]["dyads"],
                             "dyad_days_per_second": fom,
                             "wall_seconds": statistics.median(r["wall_seconds"] for r in runs),
                             "efficiency": fom / (t / counts[0] * base),
                             "foms": [r["dyad_days_per_second"] for r in runs]})
    print(f"attachsim bench --size {args.size}, median of {args.repeat} (efficiency relative to "
          f"{counts[0]} thread{'s' if counts[0] > 1 else ''})")
    print(f"{'mode':<7}{'ranks':>6}{'threads':>8}{'dyads':>9}{'dyad-days/s':>14}{'wall s':>9}"
          f"{'efficiency':>12}")
    for r in rows:
        print(f"{r['mode']:<7}{r['ranks']:>6}{r['threads']:>8}{r['dyads']:>9}"
              f"{r['dyad_days_per_second']:>14,.0f}{r['wall_seconds']:>9.2f}"
              f"{r['efficiency']:>12.2f}")
    with open(args.json, "w") as f:
        json.dump({"size": args.size, "repeat": args.repeat, "rows": rows}, f, indent=2)
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots(figsize=(5, 3.5))
        for mode, marker in (("strong", "o-"), ("weak", "s--")):
            pts = [r for r in rows if r["mode"] == mode]
            ax.plot([r["threads"] for r in pts], [r["efficiency"] for r in pts], marker,
                    label=mode)
        ax.axhline(0.9, color="grey", lw=0.8, ls=":", label="90% goal")
        ax.set_xlabel("threads (1 rank)")
        ax.set_ylabel("parallel efficiency")
        ax.set_ylim(0, 1.3)
        ax.set_xticks(counts)
        ax.legend(frameon=False)
        ax.set_title(f"attachsim bench --size {args.size}")
        fig.tight_layout()
        fig.savefig(args.plot, dpi=120)
        print(f"plot: {args.plot}")
    except ImportError:
        print("matplotlib not installed: no plot", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
