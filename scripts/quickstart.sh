#!/usr/bin/env bash
# The README's first command: install what is missing, build Release, run the built-in default
# (all nine teaching lessons, about a minute on two cores) into results.h5, write the report, and
# build the explorer (the model in one web page, docs/explorer.md) into explorer.html.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release
build/release/apps/attachsim run -o results.h5 "$@"
build/release/apps/attachsim report results.h5 -o report.html
cmake --preset wasm >/dev/null
cmake --build --preset wasm
cp build/wasm/explorer.html explorer.html
echo
echo "Open $(pwd)/report.html in a browser (it needs no network)."
echo "Open $(pwd)/explorer.html to change a caregiver and watch what changes (no network either)."
