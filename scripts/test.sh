#!/usr/bin/env bash
# The README's second command (and CI's): install what is missing, build Release with warnings as
# errors, build the explorer (preset wasm: the model core in WebAssembly, whose browser test runs
# with the others) and run the whole test suite (unit, reference, validation) through ctest; run
# the fuzz targets for a bounded time (preset fuzz, clang with libFuzzer and sanitizers); then
# build the MPI variant (docs/hpc.md) and run its tests: identity across processes x threads
# against the serial build, and the Slurm batch script on a single-node Slurm started on localhost.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --with-mpi
cmake --preset release >/dev/null
cmake --build --preset release
cmake --preset wasm >/dev/null
cmake --build --preset wasm
ctest --preset release -j "$(nproc)"
# The fuzz targets under ASan and UBSan, a minute each from the committed corpus
# (docs/reliability.md).
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
ctest --preset fuzz
cmake --preset mpi >/dev/null
cmake --build --preset mpi
ctest --preset mpi
