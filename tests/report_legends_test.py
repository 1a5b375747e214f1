#!/usr/bin/python3
"""Every chart of the reports has a text alternative, and no legend covers data (issue 13).

Usage: report_legends_test.py ATTACHSIM_BINARY WORK_DIR

Runs the nine lessons, the first-look and community-families scenarios and a small grid sweep,
writes their reports with analysis/report.py (imported, so that the charts' geometry can be
checked as they are drawn), and checks:
  * report.legend_overlaps finds a legend over data in a chart built to have one (the check can
    fail), and none in any chart of the reports after report.place_legends has moved legends;
  * every inline SVG chart carries role="img", a non-empty aria-label and a <title>.
"""
import re
import subprocess
import sys
from argparse import Namespace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "analysis"))
import report  # noqa: E402  (analysis/report.py)

import matplotlib.pyplot as plt  # noqa: E402

GRID = """
[scenario]
name = "legend-grid"
dyads = 30
months = 12.5
[assessment]
strange_situation_months = [12]
sensitivity_months = [6]
[sweep]
design = "grid"
replicates = 2
[[sweep.parameter]]
key = "population.responsiveness.mean"
values = [0.3, 0.6, 0.9]
[[sweep.parameter]]
key = "population.repair_probability.mean"
values = [0.2, 0.8]
"""


def main(binary, work):
    work = Path(work)
    work.mkdir(parents=True, exist_ok=True)
    failures = []

    # The check itself: a legend placed over a line through the whole axes is found.
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0.5, 0.5], label="across")
    ax.legend(loc="center")
    if len(report.legend_overlaps(fig)) != 1:
        failures.append("legend_overlaps missed a legend drawn over a line")
    if report.place_legends(fig) != 0:
        failures.append("place_legends left the legend over the line")
    plt.close(fig)

    runs = {
        "lessons.h5": [binary, "run", "--dyads", "60", "--no-progress"],
        "families.h5": [binary, "run", "first-look", "community-families", "--dyads", "60",
                        "--months", "18.5", "--no-progress"],
    }
    (work / "grid.toml").write_text(GRID)
    runs["grid.h5"] = [binary, "run", str(work / "grid.toml"), "--no-progress"]
    for name, command in runs.items():
        out = work / name
        if out.exists():
            out.unlink()
        subprocess.run(command + ["-o", str(out)], check=True, stdout=subprocess.DEVNULL)

    charts = 0
    for name in runs:
        page = work / (Path(name).stem + ".html")
        report.LEGEND_PROBLEMS.clear()
        if report.write_report(Namespace(results=[str(work / name)], output=str(page))) != 0:
            failures.append(f"report of {name} failed")
            continue
        for alt, count in report.LEGEND_PROBLEMS:
            failures.append(f"{name}: {count} legend(s) over data in the chart '{alt}'")
        text = page.read_text()
        svgs = re.findall(r"<svg[^>]*>", text)
        charts += len(svgs)
        if not svgs:
            failures.append(f"{name}: no charts")
        for tag in svgs:
            label = re.search(r'aria-label="([^"]*)"', tag)
            if 'role="img"' not in tag or label is None or not label.group(1).strip():
                failures.append(f"{name}: a chart without a text alternative: {tag[:120]}")
        if text.count("<svg") != len(re.findall(r"<svg[^>]*>\s*<title>", text)):
            failures.append(f"{name}: a chart without a <title>")
    for f in failures:
        print("FAIL:", f)
    print(f"{charts} charts checked in {len(runs)} reports")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
