#!/usr/bin/python3
"""Summarises the benchmark JSON files written by `cmake --build <dir> --target bench`.

Usage:
    bench/summarize.py <dir>/bench-results                 # micro.json and throughput.json there
    bench/summarize.py micro.json throughput.json          # explicit files (either may be "-")

Prints dyad-days/s and events/s at 1 and 2 threads, parallel efficiency
(rate at 2 threads / (2 x rate at 1 thread)), and the ratio of the full event loop to the
random-draws-only floor, per event from the micro-benchmarks and per run from the throughput
benchmark. Standard library only (json); repetitions of a benchmark are averaged.
"""

import json
import os
import re
import sys


def load(path):
    """Returns {run_name: [iteration entries]} from one Google Benchmark JSON file."""
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    runs = {}
    for b in doc.get("benchmarks", []):
        if b.get("run_type", "iteration") != "iteration" or b.get("error_occurred"):
            continue
        runs.setdefault(b.get("run_name", b["name"]), []).append(b)
    return runs


def mean(runs, name, key):
    """Mean of `key` over the repetitions of benchmark `name`; None if absent."""
    values = [b[key] for b in runs.get(name, []) if key in b]
    return sum(values) / len(values) if values else None


def by_threads(runs, family):
    """{threads: run_name} for a benchmark family registered with ArgName("threads")."""
    found = {}
    for name in runs:
        if name.split("/")[0] != family:
            continue
        m = re.search(r"/threads:(\d+)", name)
        if m:
            found[int(m.group(1))] = name
    return found


_NS_PER_UNIT = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


def ns(runs, name, key):
    """Mean time `key` ("real_time" or "cpu_time") of benchmark `name`, in ns per iteration."""
    values = [b[key] * _NS_PER_UNIT[b.get("time_unit", "ns")] for b in runs.get(name, [])]
    return sum(values) / len(values) if values else None


def fmt(value, spec=",.0f"):
    return "n/a" if value is None else format(value, spec)


def ratio(a, b):
    return a / b if a is not None and b else None


def summarize_throughput(runs):
    print("Whole run (BM_RunArm, wall time)")
    rates = {}
    for family, label in (("BM_RunArm", "full"), ("BM_RunArmDrawsOnly", "draws-only")):
        for threads, name in sorted(by_threads(runs, family).items()):
            days = mean(runs, name, "dyad_days_per_s")
            events = mean(runs, name, "events_per_s")
            draws = mean(runs, name, "draws_per_event")
            rates[(label, threads)] = events
            print(f"  {label:10s} {threads} thread(s): {fmt(days):>12s} dyad-days/s"
                  f"  {fmt(events):>14s} events/s  {fmt(draws, '.2f')} draws/event")
    for label in ("full", "draws-only"):
        eff = ratio(rates.get((label, 2)), 2 * rates[(label, 1)] if (label, 1) in rates else None)
        print(f"  parallel efficiency ({label}): {fmt(eff, '.2f')}"
              "  [rate(2 threads) / (2 x rate(1 thread))]")
    for threads in (1, 2):
        # Same dyads and events in both, so time(full) / time(floor) = rate(floor) / rate(full).
        r = ratio(rates.get(("draws-only", threads)), rates.get(("full", threads)))
        print(f"  full / draws-only time at {threads} thread(s): {fmt(r, '.2f')}")


def summarize_micro(runs):
    print("Per event (micro-benchmarks, one thread)")
    full = mean(runs, "BM_DyadYear_PerEvent", "ns_per_event")
    floor = mean(runs, "BM_DrawsOnly_PerEvent", "ns_per_event")
    draws = mean(runs, "BM_DyadYear_PerEvent", "draws_per_event")
    print(f"  full event loop:  {fmt(full, '.1f')} ns/event, {fmt(draws, '.2f')} draws/event")
    print(f"  draws-only floor: {fmt(floor, '.1f')} ns/event")
    print(f"  full / draws-only per event: {fmt(ratio(full, floor), '.2f')}")
    for name, label in (("BM_RngUniform", "Rng::uniform"),
                        ("BM_RngExponential", "Rng::exponential"),
                        ("BM_TimerNext", "TimerSet<15>::next")):
        print(f"  {label:20s} {fmt(ns(runs, name, 'cpu_time'), '.2f')} ns/call")


def main(argv):
    if len(argv) == 2 and os.path.isdir(argv[1]):
        micro = os.path.join(argv[1], "micro.json")
        throughput = os.path.join(argv[1], "throughput.json")
    elif len(argv) == 3:
        micro, throughput = argv[1], argv[2]
    else:
        print(__doc__, file=sys.stderr)
        return 2
    if micro != "-":
        summarize_micro(load(micro))
    if throughput != "-":
        summarize_throughput(load(throughput))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
