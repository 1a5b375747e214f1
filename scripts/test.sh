#!/usr/bin/env bash
# The README's second command (and CI's): install what is missing, build Release with warnings as
# errors, and run the whole test suite (unit, reference, validation) through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release
ctest --preset release -j "$(nproc)"
