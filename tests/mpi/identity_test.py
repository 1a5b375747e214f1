#!/usr/bin/python3
"""Identity of the MPI build (docs/hpc.md): every dataset of a results file is bit-identical
whatever the number of processes and threads, and equal to the serial build's.

Usage: identity_test.py MPI_BINARY SERIAL_BINARY|- WORKDIR

Runs `mpirun -np R attachsim run ... --threads T` for R in {1, 2, 4} and T in {1, 2} (with
--oversubscribe: this machine has 2 cores) and compares each file with a reference written by the
serial build (or, with '-', by the MPI build in one process): the same groups, datasets, shapes,
types and bytes, and the same attributes except created_utc and command_line, which record when
and how the file was made. The scenario has several arms, a second parent, day-care groups that
must not be split between processes, Strange Situations and observed sensitivity; its dyad count
is not a multiple of the process count, so shares differ in size. The same for a sweep, whose
points are dealt to the processes. A file of another seed must
compare different (the comparison can fail). Then `attachsim bench` must verify its documented
checksum at every R x T, its dyads split across the processes.
"""
import os
import subprocess
import sys

import h5py
import numpy as np

# Attributes that record when and how a file was made, not what it holds.
VOLATILE_ATTRIBUTES = {"created_utc", "command_line"}


def mpirun(ranks):
    env_root = ["--allow-run-as-root"] if os.geteuid() == 0 else []
    return ["mpirun", *env_root, "--oversubscribe", "-np", str(ranks)]


def describe(path):
    """Every object of the file: name -> (kind, attributes, shape, dtype, bytes)."""
    out = {}

    def attributes(obj):
        return {k: (v.tobytes() if isinstance(v, np.ndarray) else v)
                for k, v in obj.attrs.items() if k not in VOLATILE_ATTRIBUTES}

    with h5py.File(path, "r") as f:
        out["/"] = ("group", attributes(f), None, None, None)

        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                data = obj[()]
                out[name] = ("dataset", attributes(obj), obj.shape, str(obj.dtype),
                             np.ascontiguousarray(data).tobytes())
            else:
                out[name] = ("group", attributes(obj), list(obj.keys()), None, None)

        f.visititems(visit)
    return out


def compare(reference, candidate, label):
    a, b = describe(reference), describe(candidate)
    problems = []
    for name in sorted(set(a) | set(b)):
        if name not in a or name not in b:
            problems.append(f"{name}: only in {'reference' if name in a else label}")
            continue
        for part, what in enumerate(["kind", "attributes", "shape/members", "dtype", "data"]):
            if a[name][part] == b[name][part]:
                continue
            if what == "attributes":  # name each one, e.g. a build id of another commit
                x, y = a[name][part], b[name][part]
                for key in sorted(set(x) | set(y)):
                    if x.get(key) != y.get(key):
                        problems.append(f"{name}: attribute {key} differs: {x.get(key)!r:.60} "
                                        f"vs {y.get(key)!r:.60}")
            else:
                problems.append(f"{name}: {what} differs")
    return problems, sum(1 for v in a.values() if v[0] == "dataset")


def identical(reference, candidate, label):
    problems, datasets = compare(reference, candidate, label)
    if problems:
        print(f"FAIL {label}: {len(problems)} differences, e.g.", *problems[:10], sep="\n  ")
        return False
    print(f"ok   {label}: {datasets} datasets identical")
    return True


def main():
    mpi_binary, serial_binary, workdir = sys.argv[1:4]
    os.makedirs(workdir, exist_ok=True)
    # As root (CI) OpenMPI refuses to start unless told twice that this is intended.
    # Oversubscribed ranks yield instead of spinning while they wait in a collective call.
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_mpi_yield_when_idle="1")
    # Two parents with day-care groups of 4 (community-families) and 103 dyads per arm: shares of
    # 26 groups are 7/7/6/6 groups (the last one partial), never a split group.
    scenario = ["run", "community-families", "--dyads", "103", "--months", "14", "--no-progress"]
    reference = os.path.join(workdir, "reference.h5")
    if serial_binary != "-" and os.path.exists(serial_binary):
        ref_cmd = [serial_binary, *scenario, "--threads", "1", "-o", reference]
        print("reference: the serial build, 1 thread")
    else:
        ref_cmd = [mpi_binary, *scenario, "--threads", "1", "-o", reference]
        print("reference: the MPI build in one process, 1 thread (no serial build given)")
    subprocess.run(ref_cmd, check=True, stdout=subprocess.DEVNULL, env=env)
    # The comparison must be able to fail: another seed changes the data, and it must say so.
    other = os.path.join(workdir, "other-seed.h5")
    subprocess.run([ref_cmd[0], *scenario, "--seed", "7", "--threads", "2", "-o", other],
                   check=True, stdout=subprocess.DEVNULL, env=env)
    problems, _ = compare(reference, other, "another seed")
    ok = len(problems) > 0
    print(f"{'ok  ' if ok else 'FAIL'} negative control: another seed differs in {len(problems)} "
          "objects")
    # A sweep: its points are dealt to the processes, each writes its checkpoints, rank 0
    # assembles the file.
    source = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    sweep = ["run", os.path.join(source, "scenarios", "sweeps", "care-sensitivity.toml"),
             "--set", "sweep.samples=3", "--set", "scenario.dyads=20", "--no-progress"]
    sweep_reference = os.path.join(workdir, "sweep-reference.h5")
    subprocess.run([ref_cmd[0], *sweep, "--threads", "1", "-o", sweep_reference], check=True,
                   stdout=subprocess.DEVNULL, env=env)
    for kind, args, ref in (("run", scenario, reference), ("sweep", sweep, sweep_reference)):
        for ranks in (1, 2, 4):
            for threads in (1, 2):
                out = os.path.join(workdir, f"{kind}-{ranks}x{threads}.h5")
                if os.path.exists(out):
                    os.remove(out)
                cmd = [*mpirun(ranks), mpi_binary, *args, "--threads", str(threads), "-o", out]
                done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                      text=True, env=env)
                label = f"{kind}, {ranks} processes x {threads} threads"
                if done.returncode != 0:
                    print(f"FAIL {label}: exit {done.returncode}\n{done.stdout[-3000:]}")
                    ok = False
                    continue
                leftovers = [n for n in os.listdir(workdir) if ".tmp-" in n or ".parts" in n]
                if leftovers:
                    print(f"FAIL {label}: temporary files left: {leftovers}")
                    ok = False
                ok = identical(ref, out, label) and ok
    # Processes with no dyads at all: 5 dyads are two day-care groups, so 2 of 4 processes hold
    # none and write empty selections.
    tiny = ["run", "community-families", "--dyads", "5", "--months", "14", "--no-progress"]
    tiny_reference = os.path.join(workdir, "tiny-reference.h5")
    subprocess.run([ref_cmd[0], *tiny, "--threads", "1", "-o", tiny_reference], check=True,
                   stdout=subprocess.DEVNULL, env=env)
    tiny_out = os.path.join(workdir, "tiny-4x1.h5")
    done = subprocess.run([*mpirun(4), mpi_binary, *tiny, "--threads", "1", "-o", tiny_out],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    if done.returncode != 0:
        print(f"FAIL 5 dyads on 4 processes: exit {done.returncode}\n{done.stdout[-3000:]}")
        ok = False
    else:
        ok = identical(tiny_reference, tiny_out, "5 dyads on 4 processes (2 with none)") and ok
    # Bad input: every process finds it, rank 0 alone reports it, the job exits 2.
    done = subprocess.run([*mpirun(2), mpi_binary, "run", "first-look", "--dyads", "0"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    reports = done.stderr.count("attachsim: error:")
    if done.returncode != 2 or reports != 1:
        print(f"FAIL bad input on 2 processes: exit {done.returncode}, {reports} reports")
        ok = False
    else:
        print("ok   bad input on 2 processes: exit 2, reported once")
    for ranks in (1, 2, 4):
        for threads in (1, 2):
            cmd = [*mpirun(ranks), mpi_binary, "bench", "--size", "small", "--threads",
                   str(threads)]
            done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                  env=env)
            label = f"bench small, {ranks} processes x {threads} threads"
            if done.returncode != 0 or "VERIFIED" not in done.stdout:
                print(f"FAIL {label}: exit {done.returncode}\n{done.stdout[-2000:]}")
                ok = False
            else:
                print(f"ok   {label}: checksum verified")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
