#!/usr/bin/python3
"""Strong and weak scaling of attachsim's benchmark mode: a table, JSON and a plot.

Usage: bench/scaling.py [path/to/attachsim] [--size small] [--layouts 1x1,1x2,2x1]
                        [--mpi-binary build/mpi/apps/attachsim] [--repeat 3]
                        [--json scaling.json] [--plot scaling.png]

A layout RxT is R processes (MPI ranks) x T threads each. Strong scaling runs the fixed
`attachsim bench --size S` workload at each layout; weak scaling runs `--weak`, whose dyads grow
with R x T. Layouts with R = 1 run the given (serial) binary; R > 1 runs the MPI build under
`mpirun -np R` (docs/hpc.md). For each: the median figure of merit (dyad-days/s) over --repeat
runs and the parallel efficiency fom / ((R x T) / (R0 x T0) x fom(first layout)): the work per
worker per second relative to the first layout. Every run must verify its checksum (a wrong
answer fast is a failure). Speed is never a test: this is a benchmark, run by hand
(bench/README.md).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile


def bench(binary, mpi_binary, size, ranks, threads, weak, tmp):
    out = os.path.join(tmp, "b.json")
    cmd = [binary, "bench", "--size", size, "--threads", str(threads), "--json", out]
    if ranks > 1:
        root = ["--allow-run-as-root"] if os.geteuid() == 0 else []
        cmd = ["mpirun", *root, "--oversubscribe", "-np", str(ranks), mpi_binary, *cmd[1:]]
    if weak:
        cmd.append("--weak")
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    with open(out) as f:
        result = json.load(f)
    if not result["verified"] or result["ranks"] != ranks:
        raise SystemExit(f"checksum not verified or wrong ranks: {' '.join(cmd)}")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary", nargs="?", default="build/release/apps/attachsim")
    parser.add_argument("--mpi-binary", default="build/mpi/apps/attachsim")
    parser.add_argument("--size", default="small")
    parser.add_argument("--layouts", default="1x1,1x2,2x1",
                        help="processes x threads, comma-separated (default 1x1,1x2,2x1)")
    parser.add_argument("--threads", help="shorthand for --layouts 1xT1,1xT2,...")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", default="scaling.json")
    parser.add_argument("--plot", default="scaling.png")
    args = parser.parse_args()
    if args.threads:
        args.layouts = ",".join(f"1x{t}" for t in args.threads.split(","))
    layouts = [tuple(int(x) for x in layout.split("x")) for layout in args.layouts.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for mode in ("strong", "weak"):
            base = None
            for ranks, t in layouts:
                runs = [bench(args.binary, args.mpi_binary, args.size, ranks, t, mode == "weak",
                              tmp) for _ in range(args.repeat)]
                fom = statistics.median(r["dyad_days_per_second"] for r in runs)
                workers = ranks * t
                if base is None:
                    base, base_workers = fom, workers
                rows.append({"mode": mode, "ranks": ranks, "threads": t,
                             "dyads": runs[0]["dyads"], "dyad_days_per_second": fom,
                             "wall_seconds": statistics.median(r["wall_seconds"] for r in runs),
                             "efficiency": fom / (workers / base_workers * base),
                             "foms": [r["dyad_days_per_second"] for r in runs]})
    print(f"attachsim bench --size {args.size}, median of {args.repeat} (efficiency relative to "
          f"{layouts[0][0]} process x {layouts[0][1]} thread(s))")
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
        # Side by side at each layout, so that equal values do not hide each other.
        for mode, marker, shift in (("strong", "o", -0.06), ("weak", "s", 0.06)):
            pts = [r for r in rows if r["mode"] == mode]
            ax.plot([i + shift for i in range(len(pts))], [r["efficiency"] for r in pts], marker,
                    label=mode, markerfacecolor="none" if mode == "weak" else None)
        ax.axhline(0.9, color="grey", lw=0.8, ls=":", label="90% goal")
        ax.set_xlabel("processes x threads")
        ax.set_ylabel("parallel efficiency")
        ax.set_ylim(0, 1.3)
        ax.set_xticks(range(len(layouts)), [f"{r}x{t}" for r, t in layouts])
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
