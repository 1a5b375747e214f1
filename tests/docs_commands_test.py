#!/usr/bin/python3
"""Runs the example commands of the README and docs/ (issue 13: docs examples are executable).

Usage: docs_commands_test.py REPO_ROOT ATTACHSIM_BINARY WORK_DIR

Every `attachsim ...` line in a ```sh block of README.md and docs/*.md (continuation lines
joined, trailing comments dropped) runs as written, in order per file, in WORK_DIR/<file>/ with
`attachsim` on PATH and `scenarios/` linked to the repository's; each must exit 0, and a file
it names with -o must exist afterwards. Only the size of a simulation is changed, so that the
whole test takes about a minute: a `run` gets `--dyads 24` (replacing any --dyads) unless it
only prints, and a sweep `--set sweep.samples=3`; `bench --size medium|large|xl` runs `small`.
Commands that need what this test cannot give (an interrupted run, an MPI launcher, a batch
system, hours) are listed in SKIPPED with the test that covers them instead.

A file that a command reads but no earlier command of the same file writes (the README's
`lesson.h5 variant.h5`) is made first by FIXTURES, with the commands the README itself suggests.
"""
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

# Command prefixes not run here, and why (each is covered elsewhere).
SKIPPED = {
    "attachsim run scenarios/sweeps/care-sensitivity.toml -o care.h5 --resume":
        "needs an interrupted sweep (test_cli: Cli.SweepResumesAfterKill and friends)",
}
# Lines that are not attachsim commands are not collected (bash scripts/..., mpirun, sbatch,
# python analysis scripts that take minutes to hours): .ci/run runs scripts/test.sh itself, the
# MPI and Slurm tests run mpirun and sbatch, and docs/calibration.md's scripts are the
# calibration's own record.

# Files some examples read without an earlier example writing them: how to make each.
FIXTURES = {
    "lesson.h5": "attachsim run magic-of-repair --dyads 24 --no-progress -o lesson.h5",
    "variant.h5": ("attachsim run magic-of-repair --dyads 24 --no-progress "
                   "--set arm.no-repair.population.repair_probability=0.3 -o variant.h5"),
}

SMALL_DYADS = "24"


def commands_of(markdown: str):
    """The attachsim command lines of the ```sh blocks, continuation lines joined."""
    out = []
    for block in re.findall(r"```(?:sh|bash|shell)\n(.*?)```", markdown, re.S):
        block = block.replace("\\\n", " ")
        for line in block.splitlines():
            line = line.strip()
            if not line.startswith("attachsim"):
                continue
            # A trailing comment starts at " # " (no example has a # inside an argument).
            line = re.split(r"\s+#\s", line, maxsplit=1)[0].strip()
            # "attachsim --help | --version": two commands in one line of the README.
            if line == "attachsim --help | --version":
                out += ["attachsim --help", "attachsim --version"]
                continue
            out.append(line)
    return out


def smaller(words):
    """The command with the simulation's size reduced (see the module docstring)."""
    if len(words) < 2:
        return words
    if words[1] == "bench":
        return ["small" if (i > 0 and words[i - 1] == "--size") else w
                for i, w in enumerate(words)]
    if words[1] != "run" or "--print-config" in words or "--print-plan" in words:
        return words
    out = []
    skip = False
    for i, w in enumerate(words):
        if skip:
            skip = False
            continue
        if w == "--dyads":
            skip = True
            continue
        out.append(w)
    out += ["--dyads", SMALL_DYADS, "--no-progress"]
    if any("sweeps/" in w for w in words):
        out += ["--set", "sweep.samples=3"]
    return out


def main() -> int:
    repo, binary, work = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve(), Path(sys.argv[3])
    bindir = work / "bin"
    bindir.mkdir(parents=True, exist_ok=True)
    link = bindir / "attachsim"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(binary)
    env = dict(os.environ, PATH=f"{bindir}:{os.environ.get('PATH', '')}")
    failures = []
    ran = 0
    for doc in [repo / "README.md"] + sorted((repo / "docs").glob("*.md")):
        commands = commands_of(doc.read_text())
        if not commands:
            continue
        where = work / doc.stem
        where.mkdir(parents=True, exist_ok=True)
        scenarios = where / "scenarios"
        if not scenarios.exists():
            scenarios.symlink_to(repo / "scenarios")
        written = set()
        for command in commands:
            if any(command.startswith(s) for s in SKIPPED):
                continue
            words = shlex.split(command)
            outputs = [words[i + 1] for i, w in enumerate(words[:-1]) if w in ("-o", "--output")]
            for name in words[2:]:
                if name in FIXTURES and name not in written:
                    subprocess.run(shlex.split(FIXTURES[name]), cwd=where, env=env, check=True,
                                   stdout=subprocess.DEVNULL)
                    written.add(name)
            if words[1] == "run" and not outputs and "--print-config" not in words \
                    and "--print-plan" not in words:
                outputs = ["results.h5"]  # run's default output
            run = smaller(words)
            result = subprocess.run(run, cwd=where, env=env, capture_output=True, text=True,
                                    timeout=600)
            ran += 1
            problem = None
            if result.returncode != 0:
                problem = f"exit {result.returncode}: {result.stderr.strip()[-600:]}"
            else:
                missing = [o for o in outputs if not (where / o).exists()]
                if missing:
                    problem = f"did not write {', '.join(missing)}"
            written.update(outputs)
            status = "ok  " if problem is None else "FAIL"
            print(f"{status} {doc.relative_to(repo)}: {command}"
                  + ("" if run == words else f"   [ran: {shlex.join(run)}]"))
            if problem:
                failures.append(f"{doc.relative_to(repo)}: `{command}`: {problem}")
    print(f"\n{ran} documented commands run, {len(failures)} failed")
    for f in failures:
        print("  " + f)
    return 1 if failures or ran == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
