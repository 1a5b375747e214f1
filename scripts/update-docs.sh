#!/usr/bin/env bash
# Regenerates the parameter and metric tables in docs/model.md and docs/output-format.md from the
# registry (models/parameters.hpp, models/metrics.hpp) via `attachsim parameters`.
# Usage: scripts/update-docs.sh [path/to/attachsim]   (default: build/release/apps/attachsim)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/release/apps/attachsim}
replace() {  # replace FILE MARKER CONTENT: the text between the BEGIN/END markers
  CONTENT="$3" /usr/bin/python3 - "$1" "$2" <<'PY'
import os, sys
path, what = sys.argv[1], sys.argv[2]
text = open(path).read()
begin, end = f"<!-- BEGIN attachsim {what} -->\n", f"<!-- END attachsim {what} -->"
b, e = text.index(begin) + len(begin), text.index(end)
open(path, "w").write(text[:b] + os.environ["CONTENT"] + "\n" + text[e:])
PY
}
replace docs/model.md parameters "$("$bin" parameters --markdown)"
replace docs/output-format.md metrics "$("$bin" parameters --metrics)"
echo "updated docs/model.md and docs/output-format.md"
