#!/usr/bin/env bash
# The README's first command: install what is missing, build Release, run the built-in default
# (all nine teaching lessons, about a minute on two cores) into results.h5, and write the report.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release
build/release/apps/attachsim run -o results.h5 "$@"
build/release/apps/attachsim report results.h5 -o report.html
echo
echo "Open $(pwd)/report.html in a browser (it needs no network)."
