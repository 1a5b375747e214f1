#!/usr/bin/python3
"""Writes a self-contained HTML report of an attachsim results file.

Usage: analysis/report.py RESULTS.h5 [MORE.h5 ...] [-o report.html]
(`attachsim report RESULTS.h5 [MORE.h5 ...] -o report.html` runs this script; with several
files, the arms of a scenario found in more than one are drawn together, labelled by file.)

A sweep file gets one section per arm instead: each output (the share classified secure at the
first Strange Situation, trust at the end) against each swept parameter, with the mean per value
(grids) or per fifth of the range (other designs), a response surface over the first two
parameters, and the Sobol indices when `attachsim analyze` has stored them; captions from the
numbers.

One section per scenario (a teaching lesson, or any scenario): the lesson in plain words, the
article section it illustrates, and four charts drawn with matplotlib as inline SVG (five when the
children have several attachment figures: trust in each) — trust and
felt security over age per arm with 95% confidence bands, attachment classes per arm in the
virtual Strange Situation, exploration against distress, ruptures and repairs — each with a
caption written from the numbers. The page needs no network: no scripts, no external files.
"""

import argparse
import html
import io
import os
import sys

import h5py
import matplotlib
import matplotlib.path
from pathlib import Path

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)
import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import attachsim  # noqa: E402  (analysis/attachsim: the sweep table)

NOTICE = ("attachsim illustrates published findings about populations; it does not assess or "
          "predict any real child or parent.")
CLASS_NAMES = {0: "A avoidant", 1: "B secure", 2: "C anxious", 3: "D disorganized"}
CLASS_COLOURS = {0: "#e69f00", 1: "#009e73", 2: "#56b4e9", 3: "#cc79a7"}
DAYS_PER_MONTH = 365.25 / 12
plt.rcParams.update({"font.size": 9, "svg.fonttype": "none", "axes.spines.top": False,
                     "axes.spines.right": False,
                     "text.parse_math": False})  # arm names are text: '$' is not mathtext


def scenario_configs(config_text):
    """{scenario name: its [scenario] table, with `_changes`: each arm's intervention ages}, from
    the resolved configuration (attachsim.scenario_documents)."""
    out = {}
    try:
        for name, doc in attachsim.scenario_documents(config_text).items():
            # The [scenario] table, with each arm's interventions (ages of changes of care).
            out[name] = dict(doc["scenario"], _changes={
                arm["name"]: [iv.get("at_months") for iv in arm.get("intervention", [])]
                for arm in doc.get("arm", [])})
    except (KeyError, TypeError, AttributeError, UnicodeDecodeError):
        return {}  # an unreadable configuration: the report goes on without what it adds
    return out


def data_paths(ax):
    """The drawn data of an axes as paths in display coordinates, each with whether it is filled:
    lines, bands and other collections (filled), bars and other patches (filled)."""
    out = []
    for line in ax.get_lines():
        if line.get_visible() and len(line.get_xydata()):
            out.append((line.get_transform().transform_path(line.get_path()), False))
    for coll in ax.collections:
        if not coll.get_visible():
            continue
        transform = coll.get_transform()
        for path in coll.get_paths():
            out.append((transform.transform_path(path), True))
        offsets = coll.get_offsets()  # scatter: the marker positions
        if len(coll.get_paths()) == 1 and len(offsets) > 1:
            shown = coll.get_offset_transform().transform(offsets)
            out.append((matplotlib.path.Path(shown), False))
    for patch in ax.patches:
        if patch.get_visible():
            out.append((patch.get_transform().transform_path(patch.get_path()), True))
    return out


def legend_overlaps(fig):
    """The axes of `fig` whose legend covers drawn data (after drawing the figure)."""
    fig.draw_without_rendering()  # lays out the legends (matplotlib >= 3.5)
    covered = []
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is None or not legend.get_visible():
            continue
        box = legend.get_window_extent()
        if any(path.intersects_bbox(box, filled=filled) for path, filled in data_paths(ax)):
            covered.append(ax)
    return covered


def place_legends(fig):
    """Moves any legend that covers data outside its axes, to the right (issue 13: legends never
    cover data). Returns how many legends still cover data afterwards (0 unless a chart is too
    crowded), which tests/report_legends_test.py checks on every chart of the reports."""
    for ax in legend_overlaps(fig):
        legend = ax.get_legend()
        handles, labels = legend.legend_handles if hasattr(legend, "legend_handles") \
            else legend.legendHandles, [t.get_text() for t in legend.get_texts()]
        fontsize = legend.get_texts()[0].get_fontsize() if legend.get_texts() else 8
        legend.remove()
        ax.legend(handles, labels, frameon=False, fontsize=fontsize, loc="upper left",
                  bbox_to_anchor=(1.0, 1.0))
    return len(legend_overlaps(fig))


def alt_text(fig):
    """A text alternative for a chart, from what it draws: per axes its title, the axes' labels
    and the legend's entries (issue 13: alt text for every chart)."""
    parts = []
    for ax in fig.axes:
        if not ax.has_data():
            continue
        if getattr(ax, "_colorbar", None) is not None:  # a colour bar: the map's scale
            label = ax.get_ylabel() or ax.get_xlabel()
            if parts and label:
                parts[-1] += f", colour showing {label}"
            continue
        # A filled contour or mesh maps values to colours: a colour bar shows its scale.
        shaded = bool(ax.images) or any(
            getattr(other, "_colorbar", None) is not None
            and getattr(other._colorbar.mappable, "axes", None) is ax for other in fig.axes)
        kind = ("shaded map" if shaded else "bar chart" if ax.patches
                else "line chart" if ax.get_lines() else "scatter plot")
        title = ax.get_title()
        what = f"{title} ({kind})" if title else kind[0].upper() + kind[1:]
        y, x = ax.get_ylabel(), ax.get_xlabel()
        if y and x:
            what += f": {y} against {x}"
        elif y:
            what += f": {y}"
        elif x:
            what += f" over {x}"
        legend = ax.get_legend()
        if legend is not None:
            labels = [t.get_text() for t in legend.get_texts()]
            if labels:
                what += " — " + ", ".join(labels)
        parts.append(what)
    return "; ".join(parts) or "chart"


LEGEND_PROBLEMS = []  # charts whose legend still covers data: (alt text, count), for the test


def svg(fig):
    covered = place_legends(fig)
    alt = alt_text(fig)
    if covered:
        LEGEND_PROBLEMS.append((alt, covered))
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    # role and aria-label make the inline SVG an image with a text alternative (WAI-ARIA); the
    # <title> is what browsers show on hover.
    label = html.escape(alt, quote=True)
    head_end = text.index(">")
    return (text[:head_end] + f' role="img" aria-label="{label}">' + f"<title>{label}</title>"
            + text[head_end + 1:])


def band(ax, months, summary, n, label, colour):
    mean = summary["mean"][...]
    half = 1.96 * summary["sd"][...] / np.sqrt(n)
    ax.plot(months, mean, color=colour, label=label, lw=1.5)
    ax.fill_between(months, mean - half, mean + half, color=colour, alpha=0.25, lw=0)


def percent(x):
    return f"{100 * x:.0f}%"


# Arm labels when several files are reported together and an arm name occurs in more than one:
# "repair (variant.h5)". Filled by write_report; keyed by (file name, HDF5 path).
LABELS = {}


def arm_label(arm):
    return LABELS.get((arm.file.filename, arm.name), arm.attrs["arm"])


def section(scenario, arms, cfg):
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    parts = [f"<section><h2>{html.escape(scenario)}</h2>"]
    if cfg.get("lesson"):
        parts.append(f"<p class='lesson'>{html.escape(cfg['lesson'])}</p>")
    if cfg.get("article_section"):
        parts.append(f"<p class='meta'>From the article: {html.escape(cfg['article_section'])}</p>")
    if cfg.get("description"):
        parts.append(f"<p class='meta'>{html.escape(cfg['description'])}</p>")
    parts.append("<ul class='arms'>" + "".join(
        f"<li><b>{html.escape(arm_label(a))}</b>: {html.escape(a.attrs['description'])} "
        f"({a.attrs['n_dyads']} children)</li>" for a in arms) + "</ul>")

    # 1. Trust and felt security over age.
    fig, axes = plt.subplots(1, 2, figsize=(8, 2.8), sharex=True)
    finals = []
    for i, arm in enumerate(arms):
        months = arm["time_days"][...] / DAYS_PER_MONTH
        n = arm.attrs["n_dyads"]
        for ax, metric in zip(axes, ("trust", "felt_security")):
            band(ax, months, arm["summary"][metric], n, arm_label(arm), colours[i % len(colours)])
        finals.append((arm_label(arm), arm["summary/trust/mean"][-1], months[-1]))
    for ax, title in zip(axes, ("Trust in the caregiver", "Felt security")):
        ax.set_title(title)
        ax.set_xlabel("age (months)")
        ax.set_ylim(bottom=0)
    axes[0].legend(frameon=False, fontsize=8)
    caption = (f"By {finals[0][2]:.0f} months, trust averaged "
               + ", ".join(f"{v:.2f} with {html.escape(k)}" for k, v, _ in finals)
               + ". Bands: 95% confidence intervals of the mean.")
    parts.append(f"<figure class='chart'>{svg(fig)}<figcaption>{caption}</figcaption></figure>")

    # 2. Attachment classes in the virtual Strange Situation.
    ages = sorted({name for arm in arms if "ssp" in arm for name in arm["ssp"]},
                  key=lambda s: float(s[4:-2]))
    if ages:
        age = ages[0]
        fig, ax = plt.subplots(figsize=(8, 0.5 + 0.45 * len(arms)))
        shares = []
        for i, arm in enumerate(arms):
            cls = arm["ssp"][age]["class"][...]
            left = 0.0
            row = {}
            for code in range(4):
                share = float(np.mean(cls == code))
                row[code] = share
                ax.barh(i, share, left=left, color=CLASS_COLOURS[code],
                        label=CLASS_NAMES[code] if i == 0 else None)
                if share > 0.06:
                    ax.text(left + share / 2, i, percent(share), ha="center", va="center",
                            fontsize=8)
                left += share
            shares.append((arm_label(arm), row))
        ax.set_yticks(range(len(arms)), [arm_label(a) for a in arms])
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.set_xlabel(f"share of children, virtual Strange Situation at {age[4:-2]} months")
        ax.legend(ncol=4, frameon=False, fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.0))
        best = max(shares, key=lambda s: s[1][1])
        worst = min(shares, key=lambda s: s[1][1])
        # Is the difference larger than chance? A 95% interval for the difference of two shares.
        n_best = arms[[arm_label(a) for a in arms].index(best[0])]["ssp"][age]["class"].shape[0]
        n_worst = arms[[arm_label(a) for a in arms].index(worst[0])]["ssp"][age]["class"].shape[0]
        pb, pw = best[1][1], worst[1][1]
        half = 1.96 * np.sqrt(pb * (1 - pb) / max(n_best, 1) + pw * (1 - pw) / max(n_worst, 1))
        if len(shares) < 2:
            caption = (f"At {age[4:-2]} months, {percent(pb)} of the children were classified "
                       "secure.")
        elif pb - pw <= half:
            caption = (f"At {age[4:-2]} months the arms do not differ in how many children were "
                       f"classified secure ({percent(pw)} to {percent(pb)}: within what chance "
                       "alone would give).")
        else:
            caption = (f"At {age[4:-2]} months, {percent(pb)} of the children with "
                       f"{html.escape(best[0])} were classified secure, against "
                       f"{percent(pw)} with {html.escape(worst[0])} (a difference of "
                       f"{100 * (pb - pw):.0f} points, ±{100 * half:.0f} for chance).")
        # Care that changes after the assessment does not show in its classes: say so, and where
        # the change shows instead.
        age_months = float(age[4:-2])
        later = [(name, [a for a in ages_of if a is not None and a > age_months])
                 for name, ages_of in cfg.get("_changes", {}).items()]
        later = [(name, a) for name, a in later if a]
        if later:
            caption += (" " + "; ".join(f"{html.escape(name)} changes care at "
                                        + " and ".join(f"{a:g}" for a in after) + " months"
                                        for name, after in later)
                        + ": after this assessment, so these classes show the care before the "
                        "change; the change shows in trust and felt security above.")
        parts.append(f"<figure class='chart'>{svg(fig)}<figcaption>{caption}</figcaption>"
                     "</figure>")

    # 3. Exploration against distress, over age.
    fig, ax = plt.subplots(figsize=(4, 2.8))
    ends = []
    for i, arm in enumerate(arms):
        x = arm["summary/distress/mean"][...]
        y = arm["summary/exploration/mean"][...]
        ax.plot(x, y, color=colours[i % len(colours)], lw=1, alpha=0.8, label=arm_label(arm))
        ax.plot(x[-1], y[-1], "o", color=colours[i % len(colours)], ms=4)
        ends.append((arm_label(arm), y[-1], x[-1]))
    ax.set_xlabel("distressed (share of waking time)")
    ax.set_ylabel("exploring (share of waking time)")
    ax.set_title("Exploration against distress (dot: latest)")
    ax.legend(frameon=False, fontsize=7)
    caption = ("At the end, children spent " + ", ".join(
        f"{percent(y)} of waking time exploring and {percent(x)} distressed with "
        f"{html.escape(k)}" for k, y, x in ends) + ".")
    exploration_svg = svg(fig)

    # 4. Ruptures and repairs per week.
    fig, ax = plt.subplots(figsize=(4, 2.8))
    positions = np.arange(len(arms))
    rup = [float(np.mean(a["summary/ruptures/mean"][...])) for a in arms]
    rep = [float(np.mean(a["summary/repairs/mean"][...])) for a in arms]
    ax.bar(positions - 0.2, rup, 0.4, label="ruptures", color="#d55e00")
    ax.bar(positions + 0.2, rep, 0.4, label="repairs", color="#0072b2")
    ax.set_xticks(positions, [arm_label(a) for a in arms], rotation=20, ha="right")
    times = arms[0]["time_days"][...]
    stride = float(times[1] - times[0]) if len(times) > 1 else float(times[0])
    per = "week" if abs(stride - 7.0) < 1e-9 else f"{stride:g} days"
    ax.set_ylabel(f"per {per}")
    ax.set_title("Ruptures and repairs")
    # The legend beside the bars (inside, it covered them).
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    rupture_caption = (f"Ruptures per {per} (the recording interval) averaged " + ", ".join(
        f"{r:.1f} with {html.escape(arm_label(a))} ({percent(p / r) if r > 0 else '-'} repaired)"
        for a, r, p in zip(arms, rup, rep)) + ".")
    parts.append(f"<div class='pair'><figure class='chart'>{exploration_svg}<figcaption>{caption}"
                 f"</figcaption></figure><figure class='chart'>{svg(fig)}<figcaption>"
                 f"{rupture_caption}</figcaption></figure></div>")
    # 5. Trust in each attachment figure, when the children have more than one.
    figure_names = sorted({name for arm in arms if "figures" in arm for name in arm["figures"]})
    if figure_names:
        fig, ax = plt.subplots(figsize=(8, 2.8))
        who = ["primary caregiver"] + figure_names
        width = 0.8 / len(who)
        lines = []
        for j, name in enumerate(who):
            values = []
            for arm in arms:
                if j == 0:
                    values.append(float(arm["summary/trust/mean"][-1]))
                elif "figures" in arm and name in arm["figures"]:
                    values.append(float(np.nanmean(arm["figures"][name]["trust"][:, -1])))
                else:
                    values.append(np.nan)
            ax.bar(np.arange(len(arms)) + (j - (len(who) - 1) / 2) * width, values, width,
                   label=name, color=colours[j % len(colours)])
            lines.append((name, values))
        ax.set_xticks(range(len(arms)), [arm_label(a) for a in arms])
        ax.set_ylabel("trust at the last record")
        ax.set_ylim(bottom=0)
        ax.set_title("Trust in each attachment figure")
        ax.legend(frameon=False, fontsize=8)
        caption = "At the end, trust averaged " + "; ".join(
            f"in the {html.escape(name)} " + ", ".join(
                f"{v:.2f} with {html.escape(arm_label(a))}"
                for a, v in zip(arms, values) if not np.isnan(v))
            for name, values in lines) + (
            ". Each figure is trusted for its own care: the child learns about every figure "
            "from what that figure does.")
        parts.append(f"<figure class='chart'>{svg(fig)}<figcaption>{caption}</figcaption>"
                     "</figure>")

    # 6. The mechanism the lesson is about (the scenario's focus_metrics and focus_parameter).
    parts += focus_charts(arms, cfg, colours)

    if cfg.get("demonstrates"):
        parts.append(f"<p class='result'><b>What this shows:</b> "
                     f"{html.escape(cfg['demonstrates'])}</p>")
    parts.append("</section>")
    return "\n".join(parts)


def focus_charts(arms, cfg, colours):
    """The charts a scenario asks for: its focus metrics over age per arm (mean with 95% band),
    and the secure share (Wilson 95% interval) and trust at the end against the caregiver
    parameter its arms vary."""
    parts = []
    metrics = [m for m in cfg.get("focus_metrics", []) if all(m in a["summary"] for a in arms)]
    if metrics:
        fig, axes = plt.subplots(1, len(metrics), figsize=(4 * len(metrics), 2.8), squeeze=False)
        sentences = []
        for ax, metric in zip(axes[0], metrics):
            finals = []
            for i, arm in enumerate(arms):
                months = arm["time_days"][...] / DAYS_PER_MONTH
                band(ax, months, arm["summary"][metric], arm.attrs["n_dyads"], arm_label(arm),
                     colours[i % len(colours)])
                finals.append((arm_label(arm), float(arm["summary"][metric]["mean"][-1])))
            dataset = arms[0]["metrics"][metric]
            units = str(dataset.attrs.get("units", ""))
            ax.set_title(metric.replace("_", " "))
            ax.set_xlabel("age (months)")
            ax.set_ylabel(units)
            description = str(dataset.attrs.get("description", ""))
            sentences.append(f"<b>{html.escape(metric.replace('_', ' '))}</b> "
                             f"({html.escape(description)}): at the end "
                             + ", ".join(f"{v:.2f} with {html.escape(k)}" for k, v in finals))
        axes[0][0].legend(frameon=False, fontsize=8)
        fig.tight_layout()
        parts.append(f"<figure class='chart'>{svg(fig)}<figcaption>What the lesson is about. "
                     + "; ".join(sentences) + ". Bands: 95% confidence intervals of the mean."
                     "</figcaption></figure>")
    param = cfg.get("focus_parameter")
    ages = sorted({name for arm in arms if "ssp" in arm for name in arm["ssp"]},
                  key=lambda a: float(a[4:-2]))
    if param and ages and all(f"params/{param}" in a for a in arms) and len(arms) >= 2:
        age = ages[0]
        rows = []
        for arm in arms:
            cls = arm["ssp"][age]["class"][...]
            n = len(cls)
            p = float(np.mean(cls == 1)) if n else np.nan
            z = 1.96
            centre = (p + z * z / (2 * n)) / (1 + z * z / n)
            half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
            rows.append((float(np.mean(arm[f"params/{param}"][...])), p, centre - half,
                         centre + half, float(arm["summary/trust/mean"][-1]), arm_label(arm)))
        rows.sort()
        # Arms named <value>-<variant> (r030-repair, r030-no-repair) form one line per variant.
        suffix = {r[5]: (r[5].split("-", 1)[1] if "-" in r[5] else "") for r in rows}
        groups = {}
        for r in rows:
            groups.setdefault(suffix[r[5]], []).append(r)
        if all(len(g) == 1 for g in groups.values()):
            groups = {"": rows}
        fig, (left, right) = plt.subplots(1, 2, figsize=(8, 2.8))
        sentences = []
        for name, chosen in groups.items():
            xs = [r[0] for r in chosen]
            left.errorbar(xs, [r[1] for r in chosen],
                          yerr=[[r[1] - r[2] for r in chosen], [r[3] - r[1] for r in chosen]],
                          marker="o", capsize=3, label=name or None)
            right.plot(xs, [r[4] for r in chosen], marker="o", label=name or None)
            steps = [f"{100 * (b[1] - a[1]):+.0f} points from {a[0]:.2f} to {b[0]:.2f}"
                     for a, b in zip(chosen, chosen[1:])]
            sentences.append((f"{html.escape(name)}: " if name else "")
                             + ", ".join(f"{100 * r[1]:.0f}% at {r[0]:.2f}" for r in chosen)
                             + (f" ({'; '.join(steps)})" if steps else ""))
        left.set_xlabel(param)
        left.set_ylabel(f"share secure at {age[4:-2]} months")
        left.set_ylim(0, 1)
        right.set_xlabel(param)
        right.set_ylabel("trust at the end")
        right.set_ylim(bottom=0)
        if len(groups) > 1:
            left.legend(frameon=False, fontsize=8)
        fig.tight_layout()
        caption = (f"The share classified secure at {age[4:-2]} months (95% intervals) and trust at "
                   f"the end against the caregivers' <code>{html.escape(param)}</code> (each "
                   f"arm's mean): " + "; ".join(sentences) + ".")
        parts.append(f"<figure class='chart'>{svg(fig)}<figcaption>{caption}</figcaption>"
                     "</figure>")
    return parts


def upper_first(text):
    return text[:1].upper() + text[1:]


def binned_means(x, y, grid):
    """Mean of y per distinct x (a grid) or per fifth of x's range (other designs)."""
    if grid:
        values = np.unique(x)
        return values, np.array([y[x == v].mean() for v in values])
    edges = np.linspace(x.min(), x.max(), 6)
    centres, means = [], []
    for lo, hi in zip(edges[:-1], edges[1:]):
        inside = (x >= lo) & (x <= hi)
        if inside.any():
            centres.append(0.5 * (lo + hi))
            means.append(y[inside].mean())
    return np.array(centres), np.array(means)


def sweep_sections(path, f):
    """One section per arm of a sweep: main-effect plots, a response surface, Sobol bars."""
    sweep = attachsim.load_sweep(path)
    table, params = sweep.table, sweep.parameters
    grid = sweep.design == "grid"
    outputs = [c for c in table.columns if c.startswith("share_B_")][:1] + ["trust"]
    labels = {o: (f"share classified secure (B) at {o.removeprefix('share_B_')}"
                  if o.startswith("share_B_") else "trust at the last record") for o in outputs}
    sections = []
    for arm, rows in table.groupby("arm", sort=False):
        per_point = rows.groupby("point")[params + outputs].mean()
        n_points, replicates = len(per_point), len(rows) // max(1, len(per_point))
        parts = [f"<section><h2>Sweep: arm {html.escape(str(arm))}</h2>",
                 f"<p>{html.escape(sweep.design)} design, {n_points} points x {replicates} "
                 f"replicate(s); swept: " + ", ".join(
                     f"<code>{html.escape(p)}</code> {per_point[p].min():.3g} to "
                     f"{per_point[p].max():.3g}" for p in params) + ".</p>"]
        for output in outputs:
            y = per_point[output].to_numpy()
            fig, axes = plt.subplots(1, len(params), figsize=(3.2 * len(params), 2.8),
                                     squeeze=False)
            effects = []
            for ax, p in zip(axes[0], params):
                x = per_point[p].to_numpy()
                ax.plot(x, y, ".", color="#999999", ms=4, label="points")
                centres, means = binned_means(x, y, grid)
                ax.plot(centres, means, "-o", color="#0072b2", ms=4, label="mean")
                ax.set_xlabel(p)
                ax.set_ylabel(labels[output] if ax is axes[0][0] else "")
                effects.append((means.max() - means.min(), p, centres[means.argmin()],
                                centres[means.argmax()]))
            axes[0][0].legend(frameon=False)
            fig.tight_layout()
            big = max(effects)
            caption = (f"{upper_first(labels[output])} over the points ranged from "
                       f"{y.min():.2f} to {y.max():.2f}. Its mean moves most with "
                       f"<code>{html.escape(big[1])}</code>: by {big[0]:.2f} between "
                       f"{big[2]:.3g} and {big[3]:.3g}" + (" (the means per value)" if grid else
                                                       " (means per fifth of the range)") + ".")
            parts.append(f"<figure class='chart'>{svg(fig)}<figcaption>{caption}</figcaption>"
                         "</figure>")
        if len(params) >= 2 and n_points >= 4:
            output = outputs[0]
            fig, ax = plt.subplots(figsize=(4.5, 3.5))
            a, b = per_point[params[0]], per_point[params[1]]
            if a.nunique() >= 2 and b.nunique() >= 2:
                surface = ax.tricontourf(a, b, per_point[output], levels=12, cmap="viridis")
                ax.plot(a, b, "k.", ms=2)
                fig.colorbar(surface, label=labels[output])
                ax.set_xlabel(params[0])
                ax.set_ylabel(params[1])
                caption = (f"{upper_first(labels[output])} over <code>{html.escape(params[0])}"
                           f"</code> and <code>{html.escape(params[1])}</code>"
                           + (", the other parameters varying" if len(params) > 2 else "")
                           + ": the surface interpolates between the points (dots).")
                parts.append(f"<figure class='chart'>{svg(fig)}<figcaption>{caption}"
                             "</figcaption></figure>")
            else:
                plt.close(fig)
        if "analysis" in f:
            for name, g in f["analysis"].items():
                if not {"first_order", "total", "first_order_ci", "total_ci"} <= set(g):
                    continue
                first, total = g["first_order"][...], g["total"][...]
                first_ci, total_ci = g["first_order_ci"][...], g["total_ci"][...]
                k = len(params)
                if first.shape != (k,) or total.shape != (k,) or first_ci.shape != (k, 2):
                    continue
                fig, ax = plt.subplots(figsize=(5, 0.5 + 0.45 * k))
                yk = np.arange(k)
                ax.barh(yk - 0.2, first, height=0.38, color="#0072b2", label="first order",
                        xerr=np.abs(first_ci.T - first), capsize=2)
                ax.barh(yk + 0.2, total, height=0.38, color="#e69f00", label="total",
                        xerr=np.abs(total_ci.T - total), capsize=2)
                ax.set_yticks(yk, params)
                ax.axvline(0, color="black", lw=0.5)
                ax.set_xlabel("Sobol index (95% bootstrap interval)")
                ax.legend(frameon=False, loc="lower right")
                fig.tight_layout()
                spans = [params[i] for i in range(k) if first_ci[i][0] < 0 < first_ci[i][1]]
                caption = (f"Sobol indices of <code>{html.escape(name)}</code> from "
                           "<code>attachsim analyze</code>." + (
                               " The first-order intervals of " + ", ".join(
                                   f"<code>{html.escape(p)}</code>" for p in spans) +
                               " include zero: at this sample size those parameters cannot be "
                               "told from having no effect of their own." if spans else ""))
                parts.append(f"<figure class='chart'>{svg(fig)}<figcaption>{caption}"
                             "</figcaption></figure>")
        parts.append("</section>")
        sections.append("\n".join(parts))
    return sections


STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       color: #222; line-height: 1.45; }
h1 { margin-bottom: 0.2rem; } h2 { border-top: 1px solid #ccc; padding-top: 1.2rem; }
.notice { background: #fff4d6; border-left: 4px solid #e0a800; padding: 0.6rem 0.9rem; }
.lesson { font-size: 1.15rem; font-weight: 600; } .meta { color: #555; margin: 0.2rem 0; }
.result { background: #eef6ee; padding: 0.6rem 0.9rem; }
figure.chart { margin: 1rem 0; } figure.chart svg { max-width: 100%; height: auto; }
figcaption { color: #333; font-size: 0.92rem; } .pair { display: flex; gap: 1rem; flex-wrap: wrap; }
.pair figure { flex: 1 1 22rem; } .arms { margin: 0.3rem 0; }
.glossary { background: #f3f5f9; padding: 0.5rem 0.9rem; font-size: 0.95rem; }
.glossary dt { font-weight: 600; margin-top: 0.3rem; } .glossary dd { margin-left: 1rem; }
"""

# The words the charts and captions use, defined once for readers new to attachment research.
GLOSSARY = """<details class='glossary' open><summary><b>What the words mean</b></summary><dl>
<dt>Trust</dt><dd>What a simulated child has come to expect of its caregiver, learned from its own
experience: how likely the caregiver is to come when it signals distress (expected availability)
times how likely the response is comfort rather than a rebuff (expected comfort). 0 to 1.</dd>
<dt>Felt security</dt><dd>How safe the child feels from moment to moment, averaged over its waking
time: high when it trusts the caregiver in charge and is calm; lower while it is distressed, on
alert, or after a rupture that was not repaired. 0 to 1. It steps up at about 9 months, when the
simulated children start to crawl and can go to their caregiver themselves
(<code>child.approach_age_months</code>).</dd>
<dt>Classified secure (and A, C, D)</dt><dd>The class a virtual Strange Situation gives, scored from
the child's behaviour as an observer would (Ainsworth et al. 1978; Main &amp; Solomon 1990):
<b>B secure</b> seeks its caregiver when distressed and is comforted; <b>A avoidant</b> shows little
distress and turns away; <b>C anxious (ambivalent)</b> seeks contact but resists it and is hard to
settle; <b>D disorganized</b> shows fear or contradictory behaviour towards the caregiver.</dd>
<dt>Rupture and repair</dt><dd>A rupture is a moment of losing patience (yelling, a harsh rebuff);
a repair is coming back to reconnect afterwards. Counted per week, the recording interval.</dd>
<dt>Bands and intervals</dt><dd>95% confidence intervals: how far the average over these simulated
children could move by chance with this many children.</dd>
</dl></details>"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="+", help="one or more results files; the arms of a "
                        "scenario found in several files are shown together")
    parser.add_argument("-o", "--output", default="report.html")
    args = parser.parse_args()
    try:
        return write_report(args)
    except (KeyError, ValueError, IndexError, TypeError, AttributeError, ZeroDivisionError,
            attachsim.ResultsFileError) as error:
        # Something the file holds is not what an attachsim results file holds: a message naming
        # the file and what was wrong, exit 2 (no traceback; nothing written).
        print(f"attachsim report: '{getattr(error, 'filename', None) or ', '.join(args.results)}' "
              "is not a valid attachsim results file: "
              f"{type(error).__name__}: {error}", file=sys.stderr)
        return 2


def write_report(args):
    files = [h5py.File(path, "r") for path in args.results]
    try:
        sections, headers = [], []
        for path, f in zip(args.results, files):
            headers.append(
                f"<p class='meta'>{html.escape(os.path.basename(path)) + ': ' if len(files) > 1 else ''}"
                f"attachsim {html.escape(str(f.attrs['attachsim_version']))}, "
                f"run {html.escape(str(f.attrs['created_utc']))}, seed {f.attrs['seed']}: "
                f"<code>{html.escape(str(f.attrs['command_line']))}</code></p>")
            if "sweep" in f and "scenarios" not in f:
                sections += sweep_sections(path, f)
        # The runs' scenarios, the arms of a scenario from every file together, in file order.
        runs = [(path, f) for path, f in zip(args.results, files) if "scenarios" in f]
        configs, groups, seen = {}, {}, {}
        for path, f in runs:
            for name, cfg in scenario_configs(f.attrs["config"]).items():
                configs.setdefault(name, cfg)
            for arm in f["scenarios"].values():
                groups.setdefault(arm.attrs["scenario"], []).append(arm)
                key = (str(arm.attrs["scenario"]), str(arm.attrs["arm"]))
                seen.setdefault(key, []).append(arm)
        for key, same in seen.items():
            if len(same) > 1:  # one arm name in several files: say which file each is from
                for arm in same:
                    LABELS[(arm.file.filename, arm.name)] = (
                        f"{arm.attrs['arm']} ({os.path.basename(arm.file.filename)})")
        sections += [section(name, arms, configs.get(name, {})) for name, arms in groups.items()]
    finally:
        for f in files:
            f.close()
    header = "".join(headers)
    page = ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>attachsim report</title><style>{STYLE}</style></head><body>"
            "<h1>What the simulated children learned</h1>" + header
            + f"<p class='notice'>{NOTICE}</p>" + GLOSSARY + "\n".join(sections)
            + f"<p class='notice'>{NOTICE}</p></body></html>")
    temporary = f"{args.output}.tmp-{os.getpid()}"  # renamed into place only when complete
    if os.path.lexists(temporary):
        os.unlink(temporary)  # a stale file or a planted link: removed, never followed
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(page)
        os.replace(temporary, args.output)
    except BaseException as error:
        if os.path.lexists(temporary):
            os.unlink(temporary)
        if isinstance(error, OSError):  # a full disk, a vanished directory: a message, exit 1
            print(f"attachsim report: cannot write '{args.output}': {error.strerror}", file=sys.stderr)
            return 1
        raise
    print(f"wrote {args.output}: {len(sections)} section(s); open it in any browser")
    return 0


if __name__ == "__main__":
    sys.exit(main())
