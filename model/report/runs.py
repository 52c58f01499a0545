"""Runs read back from their output folders, for ``reroute compare``.

A run is the output folder of ``reroute solve``: ``run.json`` and ``tables/*.csv``
(MODEL-SPEC §5). Runs are comparable when they cover the same horizon (base and
end year) at the same discount rate: their discounted costs are then in the same
money and their tonnes over the same years. Anything else is refused (exit 2)
naming the runs and what differs.

The comparison frames put the runs side by side, one block per scenario (every
scenario of any run, first run's order first): the headline metrics of §8.1, the
discounted cost by category, the shortfall by product over the horizon and the new
capacity by region and stage; a column per run, then 'Δ <run>' = that run minus
the first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from model.errors import InputError, Problem

NEEDED = ("summary", "costs", "kpi_by_commodity", "new_capacity_by_stage")
HORIZON_KEYS = ("base_year", "end_year", "discount_rate")


@dataclass(frozen=True)
class Run:
    """One solve's outputs: a label for its columns, its record and tables."""

    label: str
    path: Path
    info: dict[str, object]
    tables: dict[str, pd.DataFrame]

    @property
    def horizon(self) -> tuple[object, ...]:
        horizon = self.info.get("horizon")
        assert isinstance(horizon, dict)
        return tuple(horizon.get(k) for k in HORIZON_KEYS)

    @property
    def scenarios(self) -> list[str]:
        return [str(s) for s in self.tables["summary"]["scenario"]]


def read_run(path: Path, label: str) -> Run:
    """The run in folder ``path``; InputError naming the folder and what is missing."""
    record = path / "run.json"
    if not path.is_dir():
        raise InputError(Problem("not a folder: give the output folder of "
                                 "`reroute solve`", str(path)))
    try:
        info = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(Problem(f"no readable run.json ({type(exc).__name__}): give "
                                 "the output folder of `reroute solve`",
                                 str(path))) from None
    if not isinstance(info, dict) or not isinstance(info.get("horizon"), dict):
        raise InputError(Problem("run.json has no horizon: not the output of `reroute "
                                 "solve` of this version (solve the case again)",
                                 str(record)))
    tables = {}
    for name in NEEDED:
        file = path / "tables" / f"{name}.csv"
        if not file.is_file():
            raise InputError(Problem(f"missing tables/{name}.csv: not the output of "
                                     "`reroute solve` of this version", str(path)))
        tables[name] = pd.read_csv(file, keep_default_na=False, na_values=[""])
    return Run(label, path, info, tables)


def labels(paths: list[Path]) -> list[str]:
    """A column label per run: its folder's name, made unique with its position."""
    names = [p.resolve().name or str(p) for p in paths]
    return [n if names.count(n) == 1 else f"{n} ({i})"
            for i, n in enumerate(names, start=1)]


def read_runs(paths: list[Path]) -> list[Run]:
    """The runs, checked to be distinct and comparable."""
    resolved = [p.resolve() for p in paths]
    twice = sorted({str(p) for p in resolved if resolved.count(p) > 1})
    if twice:
        raise InputError(Problem("the same run is given twice; compare different "
                                 "runs", ", ".join(twice)))
    runs = [read_run(p, label) for p, label in zip(paths, labels(paths),
                                                    strict=True)]
    refuse_incomparable(runs)
    return runs


def refuse_incomparable(runs: list[Run]) -> None:
    """InputError unless every run has the first one's horizon and discount rate."""
    first = runs[0]
    problems = []
    for run in runs[1:]:
        for key, mine, theirs in zip(HORIZON_KEYS, run.horizon, first.horizon,
                                     strict=True):
            if mine != theirs:
                problems.append(Problem(
                    f"cannot compare runs of different horizons: {key} is {mine} "
                    f"here and {theirs} in {first.path}", str(run.path)))
    if problems:
        raise InputError(problems)


def scenario_order(runs: list[Run]) -> list[str]:
    """Every scenario of any run: the first run's order, then new ones."""
    return list(dict.fromkeys(s for run in runs for s in run.scenarios))


def with_deltas(frame: pd.DataFrame, runs: list[Run]) -> pd.DataFrame:
    """Add 'Δ <run>' columns: each later run minus the first (numbers only)."""
    out = frame.copy()
    first = runs[0].label
    for run in runs[1:]:
        out[f"Δ {run.label}"] = (pd.to_numeric(frame[run.label], errors="coerce")
                                 - pd.to_numeric(frame[first], errors="coerce"))
    return out


def side_by_side(runs: list[Run], scenario: str, table: str, index: list[str],
                 value: str) -> pd.DataFrame:
    """``value`` summed per ``index`` for one scenario, a column per run (zero where
    a run has no row), then the deltas."""
    parts = []
    for run in runs:
        frame = run.tables[table]
        frame = frame[frame["scenario"].astype(str) == scenario]
        parts.append(frame.groupby(index, sort=False)[value].sum().rename(run.label))
    wide = pd.concat(parts, axis=1).fillna(0.0) if parts else pd.DataFrame()
    wide = wide.rename_axis(index=index).reset_index()
    return with_deltas(wide, runs)


def headline(runs: list[Run], scenario: str, metrics: list[str]) -> pd.DataFrame:
    """The summary's ``metrics`` (rows) of one scenario, a column per run (blank
    where the run lacks the scenario), then the deltas."""
    data: dict[str, list[object]] = {"metric": list(metrics)}
    for run in runs:
        summary = run.tables["summary"]
        rows = summary[summary["scenario"].astype(str) == scenario]
        data[run.label] = [rows[m].iat[0] if len(rows) and m in rows else None
                           for m in metrics]
    return with_deltas(pd.DataFrame(data), runs)
