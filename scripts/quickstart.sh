#!/usr/bin/env bash
# The README's first command: install what is missing, build Release, and run the built-in
# default scenario into results.h5 (in the repository root), printing a summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release
build/release/apps/attachsim run -o results.h5 "$@"
