"""attachsim results files as pandas DataFrames (docs/output-format.md, docs/export.md).

    import sys; sys.path.insert(0, "/path/to/attachsim/analysis")   # or PYTHONPATH=.../analysis
    import attachsim
    run = attachsim.load_run("results.h5")
    run.metrics      # one row per arm, dyad and record: time, age and every metric
    run.per_dyad     # one row per arm and dyad: drawn parameters, assessments, other per-dyad data
    run.dictionary   # every column: table, units, description (and codes)
    sweep = attachsim.load_sweep("grid.h5")
    sweep.table      # one row per arm, point and replicate: swept values, seed, outputs

The reader follows the file layout, not the model: metrics, parameters and every model-declared
dataset are found by walking the file, and a dataset's shape and attributes say what its columns
are. Every count and shape is checked against the file before use; a file that does not hold
together raises ResultsFileError naming the file and the dataset.

attachsim illustrates published findings about populations; it does not assess or predict any
real child or parent.
"""

from dataclasses import dataclass
import os
import stat
import tomllib

import h5py
import numpy as np
import pandas as pd

__all__ = ["load_run", "load_sweep", "scenario_documents", "ResultsFileError", "Run", "Sweep"]

DAYS_PER_MONTH = 365.25 / 12.0


class ResultsFileError(ValueError):
    """The file is not an attachsim results file, or one of its datasets does not fit the rest."""


@dataclass
class Run:
    metrics: pd.DataFrame     # arm, dyad, record, time_days, age_months, <metric>, <per-record data>
    per_dyad: pd.DataFrame    # arm, dyad, param/<name>, <model-declared per-dyad data>
    dictionary: pd.DataFrame  # table, column, units, description, codes
    provenance: dict          # root attributes: version, build, created_utc, seed, command line


@dataclass
class Sweep:
    table: pd.DataFrame       # arm, point, replicate, seed, <swept keys>, <outputs>
    dictionary: pd.DataFrame
    provenance: dict
    design: str
    parameters: list          # the swept keys, in the file's order


def _text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def _open(path):
    try:
        mode = os.stat(path).st_mode
    except OSError as e:
        raise ResultsFileError(f"cannot read '{path}': {e.strerror}") from None
    if not stat.S_ISREG(mode):
        raise ResultsFileError(f"'{path}' is not a regular file")
    try:
        f = h5py.File(path, "r")
    except OSError:
        raise ResultsFileError(f"'{path}' is not an HDF5 file") from None
    if "attachsim_version" not in f.attrs or "schema_version" not in f.attrs:
        f.close()
        raise ResultsFileError(f"'{path}' is an HDF5 file but not an attachsim results file "
                               "(no attachsim_version or schema_version)")
    return f


def _provenance(f):
    keys = ("attachsim_version", "attachsim_build", "schema_version", "created_utc", "seed",
            "command_line")
    out = {k: f.attrs[k] for k in keys if k in f.attrs}
    return {k: (_text(v) if isinstance(v, (bytes, str)) else v.item() if hasattr(v, "item") else v)
            for k, v in out.items()}


def scenario_documents(config):
    """{scenario name: its resolved TOML document, parsed} from a results file's `config`
    attribute, which holds one document per scenario, each beginning with "# attachsim resolved
    configuration". A document that does not parse is left out."""
    text = _text(config)
    marker = "# attachsim resolved configuration"
    out = {}
    for part in text.split(marker)[1:]:
        try:
            doc = tomllib.loads(marker + part)
        except tomllib.TOMLDecodeError:
            continue
        name = doc.get("scenario", {}).get("name")
        if isinstance(name, str):
            out[name] = doc
    return out


def _start_ages(f):
    """{scenario name: start_age_months}."""
    return {name: float(doc["scenario"].get("start_age_months", 0.0))
            for name, doc in scenario_documents(f.attrs.get("config", "")).items()}


def _require(ok, path, where, what):
    if not ok:
        raise ResultsFileError(f"'{path}': {where}: {what}")


def _codes(dataset):
    """{value: label} from a `codes` attribute such as "0=A,1=B,2=C,3=D", or None."""
    if "codes" not in dataset.attrs:
        return None
    out = {}
    for item in _text(dataset.attrs["codes"]).split(","):
        value, _, label = item.partition("=")
        out[int(value)] = label.strip()
    return out


def _walk(group, prefix=""):
    """(relative path, dataset) of every dataset under `group`, in creation order; a group that
    links back to one of its ancestors is an error, not an endless walk."""
    seen = set()

    def visit(g, pre):
        key = g.id.__hash__()
        if key in seen:
            raise ResultsFileError(f"'{g.file.filename}': {g.name} links back into itself")
        seen.add(key)
        for name in g:
            item = g[name]
            if isinstance(item, h5py.Dataset):
                yield pre + name, item
            elif isinstance(item, h5py.Group):
                yield from visit(item, pre + name + "/")
        seen.discard(key)

    yield from visit(group, prefix)


def _entry(table, column, dataset, codes=None):
    return {"table": table, "column": column,
            "units": _text(dataset.attrs.get("units", "")),
            "description": _text(dataset.attrs.get("description", "")),
            "codes": ",".join(f"{k}={v}" for k, v in codes.items()) if codes else ""}


def load_run(path):
    """Every arm of a run file as tidy DataFrames (see Run)."""
    with _open(path) as f:
        _require("scenarios" in f, path, "/", "no /scenarios (a sweep file? use load_sweep)")
        metric_frames, dyad_frames, dictionary = [], [], {}
        start_ages = _start_ages(f)
        for arm_name, arm in f["scenarios"].items():
            where = f"/scenarios/{arm_name}"
            _require(isinstance(arm, h5py.Group), path, where, "not a group")
            n = int(arm.attrs.get("n_dyads", -1))
            r = int(arm.attrs.get("n_records", -1))
            _require(n >= 0 and r >= 0, path, where, "attributes n_dyads and n_records must be >= 0")
            _require("time_days" in arm and arm["time_days"].shape == (r,), path,
                     where + "/time_days", f"must hold n_records = {r} values")
            time_days = arm["time_days"][...]
            long = {"arm": np.repeat(np.array([arm_name], dtype=object), n * r),
                    "dyad": np.repeat(np.arange(n), r),
                    "record": np.tile(np.arange(r), n),
                    "time_days": np.tile(time_days, n)}
            # Ages are months since birth: the scenario may start after birth.
            start_age = start_ages.get(_text(arm.attrs.get("scenario", "")), 0.0)
            long["age_months"] = start_age + long["time_days"] / DAYS_PER_MONTH
            per_dyad = {"arm": np.repeat(np.array([arm_name], dtype=object), n),
                        "dyad": np.arange(n)}
            for name, ds in (arm["metrics"].items() if "metrics" in arm else []):
                _require(ds.shape == (n, r), path, f"{where}/metrics/{name}",
                         f"shape {ds.shape}, expected ({n}, {r})")
                long[name] = ds[...].reshape(-1)
                dictionary.setdefault(("metrics", name), _entry("metrics", name, ds))
            for name, ds in (arm["params"].items() if "params" in arm else []):
                _require(ds.shape == (n,), path, f"{where}/params/{name}",
                         f"shape {ds.shape}, expected ({n},)")
                per_dyad["param/" + name] = ds[...]
                dictionary.setdefault(("per_dyad", "param/" + name),
                                      _entry("per_dyad", "param/" + name, ds))
            for rel, ds in _walk(arm):
                top = rel.split("/", 1)[0]
                if top in ("time_days", "params", "metrics", "summary"):
                    continue
                dsw = f"{where}/{rel}"
                _require(len(ds.shape) in (1, 2) and ds.shape[0] == n, path, dsw,
                         f"shape {ds.shape}: model-declared data has one row per dyad ({n})")
                data = ds[...]
                codes = _codes(ds)
                if len(ds.shape) == 1:
                    if codes is not None:
                        labels = np.array([codes.get(int(v), "other" if v >= 0 else "")
                                           for v in data], dtype=object)
                        per_dyad[rel] = labels
                    else:
                        per_dyad[rel] = data
                    dictionary.setdefault(("per_dyad", rel), _entry("per_dyad", rel, ds, codes))
                    continue
                k = ds.shape[1]
                axis = _text(ds.attrs.get("column_axis", ""))
                if axis == "time_days":
                    _require(k == r, path, dsw, f"{k} columns, but column_axis = time_days has {r}")
                    long[rel] = data.reshape(-1)
                    dictionary.setdefault(("metrics", rel), _entry("metrics", rel, ds))
                    continue
                names = (_text(ds.attrs["columns"]).split(",") if "columns" in ds.attrs
                         else [str(i + 1) for i in range(k)])
                _require(len(names) == k, path, dsw,
                         f"{k} columns but {len(names)} names in its 'columns' attribute")
                for i, c in enumerate(names):
                    per_dyad[f"{rel}/{c}"] = data[:, i]
                    dictionary.setdefault(("per_dyad", f"{rel}/{c}"),
                                          _entry("per_dyad", f"{rel}/{c}", ds))
            metric_frames.append(pd.DataFrame(long))
            dyad_frames.append(pd.DataFrame(per_dyad))
        base = [{"table": "metrics", "column": c, "units": u, "description": d, "codes": ""}
                for c, u, d in (("arm", "", "the arm (group name under /scenarios)"),
                                ("dyad", "index", "the dyad's row in the arm, from 0"),
                                ("record", "index", "the recording interval, from 0"),
                                ("time_days", "days", "end of the recording interval, days "
                                 "since the start of the simulation"),
                                ("age_months", "months", "the child's age at the end of the "
                                 "interval: the scenario's start age plus time_days"))]
        dictionary = pd.DataFrame(base + list(dictionary.values()))
        metrics = pd.concat(metric_frames, ignore_index=True) if metric_frames else pd.DataFrame()
        per_dyad = pd.concat(dyad_frames, ignore_index=True) if dyad_frames else pd.DataFrame()
        return Run(metrics, per_dyad, dictionary, _provenance(f))


def load_sweep(path):
    """A sweep file's points as one tidy table (see Sweep): per arm, point and replicate, the
    swept values, the seed, every metric's mean over dyads at the last record and, per Strange
    Situation age, the share of each class."""
    with _open(path) as f:
        _require("sweep" in f, path, "/", "no /sweep (a run file? use load_run)")
        sw = f["sweep"]
        for key in ("points", "seeds", "arms"):
            _require(key in sw, path, "/sweep", f"no '{key}'")
        names = _text(sw["points"].attrs.get("columns", "")).split(",")
        points, seeds = sw["points"][...], sw["seeds"][...]
        _require(points.ndim == 2 and points.shape[1] == len(names), path, "/sweep/points",
                 f"shape {points.shape}, expected (points, {len(names)}) as its 'columns' say")
        n_points = points.shape[0]
        _require(seeds.ndim == 2 and seeds.shape[0] == n_points, path, "/sweep/seeds",
                 f"shape {seeds.shape}, expected ({n_points}, replicates)")
        replicates = seeds.shape[1]
        frames, dictionary = [], []
        for arm_name, arm in sw["arms"].items():
            rows = {"arm": np.repeat(np.array([arm_name], dtype=object), n_points * replicates),
                    "point": np.repeat(np.arange(n_points), replicates),
                    "replicate": np.tile(np.arange(replicates), n_points),
                    "seed": seeds.reshape(-1)}
            for i, name in enumerate(names):
                rows[name] = np.repeat(points[:, i], replicates)
            for metric, group in (arm["summary"].items() if "summary" in arm else []):
                where = f"/sweep/arms/{arm_name}/summary/{metric}/mean"
                _require("mean" in group, path, where, "missing")
                mean = group["mean"]
                _require(mean.ndim == 3 and mean.shape[:2] == (n_points, replicates), path, where,
                         f"shape {mean.shape}, expected ({n_points}, {replicates}, records)")
                rows[metric] = mean[:, :, -1].reshape(-1) if mean.shape[2] else np.nan
                dictionary.append(_entry("sweep", metric, mean))
                dictionary[-1]["description"] = ("mean over the point's dyads at the last record: "
                                                 + dictionary[-1]["description"])
            for age, group in (arm["ssp"].items() if "ssp" in arm else []):
                where = f"/sweep/arms/{arm_name}/ssp/{age}/class_share"
                _require("class_share" in group, path, where, "missing")
                share = group["class_share"]
                codes = _codes(share) or {i: c for i, c in enumerate("ABCD")}
                _require(share.ndim == 3 and share.shape[:2] == (n_points, replicates) and
                         share.shape[2] >= len(codes), path, where,
                         f"shape {share.shape}, expected ({n_points}, {replicates}, classes)")
                values = share[...]
                for index, (_, label) in enumerate(sorted(codes.items())):
                    column = f"share_{label}_{age.removeprefix('age_')}"
                    rows[column] = values[:, :, index].reshape(-1)
                    dictionary.append({"table": "sweep", "column": column, "units": "share",
                                       "description": f"share of the point's dyads classified "
                                                      f"{label} in the Strange Situation at "
                                                      f"{age.removeprefix('age_')}",
                                       "codes": ""})
            frames.append(pd.DataFrame(rows))
        base = [{"table": "sweep", "column": c, "units": u, "description": d, "codes": ""}
                for c, u, d in (("arm", "", "the arm"), ("point", "index", "the sweep point"),
                                ("replicate", "index", "the replicate of the point"),
                                ("seed", "", "the replicate's seed"))]
        base += [{"table": "sweep", "column": n, "units": "", "codes": "",
                  "description": "swept parameter (docs/model.md section 17 has its unit)"}
                 for n in names]
        seen, entries = set(), []
        for e in base + dictionary:
            if e["column"] not in seen:
                seen.add(e["column"])
                entries.append(e)
        design = _text(sw.attrs.get("design", ""))
        return Sweep(pd.concat(frames, ignore_index=True), pd.DataFrame(entries), _provenance(f),
                     design, names)
