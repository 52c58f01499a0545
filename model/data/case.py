"""A loaded, validated case: typed tables with defaults, settings and its hash."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from model.data.coerce import ROW, coerce_case
from model.data.frames import raw_from_frames
from model.data.raw import RawCase, shown
from model.data.read import read_case
from model.data.schema import FORESIGHTS, OBJECTIVES, SCOPE_BLOCS, TABLE_BY_NAME, TABLES
from model.data.validate import validate_tables
from model.errors import InputError, Problem
from model.outputs.folder import case_name

Tables = dict[str, pd.DataFrame]


@dataclass(frozen=True)
class Settings:
    """The ``settings`` table, typed (MODEL-SPEC §2)."""

    base_year: int
    end_year: int
    discount_rate: float = 0.08
    shortfall_tolerance: float = 0.001
    objective: str = "penalty"
    steady_years: int = 5
    mostly_met_tolerance: float = 0.01
    weakest_numbers: str = ""
    foresight: str = "perfect"

    @property
    def years(self) -> range:
        return range(self.base_year, self.end_year + 1)


@dataclass
class Case:
    """A validated case: typed tables (defaults filled), settings and input hash."""

    name: str
    path: str
    tables: Tables
    settings: Settings
    input_hash: str

    def table(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    @property
    def years(self) -> range:
        return self.settings.years

    def demand_by_year(self) -> pd.DataFrame:
        """Demand for every horizon year (MODEL-SPEC §2 interpolation rule)."""
        return interpolate_demand(self.tables["demand"], self.years)

    def scope_regions(self) -> set[str]:
        regions = self.tables["regions"]
        return set(regions.loc[regions["bloc"].isin(SCOPE_BLOCS), "region"])


def load_case(path: str | Path) -> Case:
    """Read, type and validate the case at ``path``; raise InputError listing all
    problems found."""
    path = Path(path)
    return case_from_raw(read_case(path), path)


def recheck_case(case: Case) -> Case:
    """``case`` typed and validated again from its tables as they are now (a
    notebook may have edited them): the same checks as ``load_case``, problems
    located at the file rows the tables came from (rows added in memory numbered
    after them); the input hash is of the tables as edited."""
    return case_from_raw(raw_from_frames(case.tables, case.path), Path(case.path),
                         case.name)


def case_from_raw(raw: RawCase, path: Path, name: str | None = None) -> Case:
    """Type and validate raw tables into a Case (InputError listing every problem)."""
    tables, problems = coerce_case(raw, path)
    settings, setting_problems = parse_settings(tables.get("settings"))
    problems += setting_problems
    if all(t.name in tables for t in TABLES):
        problems += validate_tables(tables, None if setting_problems else
                                    settings.years)
    if problems:
        raise InputError(problems)
    return Case(name or case_name(path), str(path), tables, settings,
                table_hash(tables))


def parse_settings(frame: pd.DataFrame | None) -> tuple[Settings, list[Problem]]:
    """Typed settings from the key/value table."""
    fallback = Settings(2025, 2025)
    if frame is None:
        return fallback, []
    file = frame.attrs.get("file", "")
    values = dict(zip(frame["key"], zip(frame["value"], frame[ROW], strict=True),
                      strict=True))
    problems: list[Problem] = []

    def number(key: str, default: float | None, integer: bool = False) -> float:
        if key not in values:
            if default is None:
                problems.append(Problem(f"setting '{key}' is required", file,
                                        "settings", None, "key"))
                return math.nan
            return default
        text, row = values[key]
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if not math.isfinite(number) or (integer and not number.is_integer()):
            kind = "a whole number" if integer else "a number"
            problems.append(Problem(f"{shown(text)} is not {kind} (setting '{key}')",
                                    file, "settings", int(row), "value"))
            return math.nan
        return number

    base = number("base_year", None, True)
    end = number("end_year", None, True)
    rate = number("discount_rate", 0.08)
    tolerance = number("shortfall_tolerance", 0.001)
    def choice(key: str, allowed: tuple[str, ...]) -> str:
        """A setting with a fixed set of values (the first is the default)."""
        value = values.get(key, (allowed[0], None))[0] or allowed[0]
        if value not in allowed:
            problems.append(Problem(f"{key} {shown(value)} is not one of "
                                    f"{', '.join(allowed)}", file, "settings",
                                    int(values[key][1]), "value"))
        return value

    objective = choice("objective", OBJECTIVES)
    steady = number("steady_years", 5, True)
    mostly = number("mostly_met_tolerance", 0.01)
    foresight = choice("foresight", FORESIGHTS)
    rows = {key: int(row) for key, (_value, row) in values.items()}
    problems += _settings_ranges({"base_year": base, "end_year": end,
                                  "discount_rate": rate,
                                  "shortfall_tolerance": tolerance,
                                  "steady_years": steady,
                                  "mostly_met_tolerance": mostly}, file, rows)
    if problems:
        return fallback, problems
    weakest = str(values.get("weakest_numbers", ("", None))[0] or "").strip()
    return Settings(int(base), int(end), rate, tolerance, objective, int(steady),
                    mostly, weakest, foresight), []


def _settings_ranges(found: dict[str, float], file: str, rows: dict[str, int]
                     ) -> list[Problem]:
    """Range problems, each at the row of its setting with the value found
    (steady_years and mostly_met_tolerance: MODEL-SPEC §8.1)."""
    base, end = found["base_year"], found["end_year"]
    rate, tolerance = found["discount_rate"], found["shortfall_tolerance"]
    steady, mostly = found["steady_years"], found["mostly_met_tolerance"]
    checks = [
        (not math.isnan(base) and not 1900 <= base <= 2200, "base_year",
         "base_year must be between 1900 and 2200"),
        (not (math.isnan(base) or math.isnan(end)) and end < base, "end_year",
         "end_year must not be before base_year"),
        (not (math.isnan(base) or math.isnan(end)) and end - base > 200, "end_year",
         "the horizon is longer than 200 years"),
        (not math.isnan(rate) and not -0.5 < rate < 1, "discount_rate",
         "discount_rate must be a fraction between -0.5 and 1 (e.g. 0.08)"),
        (not math.isnan(tolerance) and not 0 <= tolerance < 1, "shortfall_tolerance",
         "shortfall_tolerance must be a fraction in [0, 1)"),
        (not math.isnan(steady) and steady < 1, "steady_years",
         "steady_years must be a whole number of years >= 1"),
        (not math.isnan(mostly) and not 0 <= mostly < 1, "mostly_met_tolerance",
         "mostly_met_tolerance must be a fraction in [0, 1) (e.g. 0.01)"),
    ]
    return [Problem(f"{key} {found[key]:g} is out of range: {text}", file,
                    "settings", rows.get(key), "value")
            for bad, key, text in checks if bad]


def interpolate_demand(demand: pd.DataFrame, years: range) -> pd.DataFrame:
    """Demand for every year (MODEL-SPEC §2): linear between given years, the
    nearest given value outside them, per (region, commodity); vectorised."""
    given = demand.sort_values(["region", "commodity", "year"], kind="stable")
    group = given.groupby(["region", "commodity"], sort=False).ngroup().to_numpy()
    keys = given[["region", "commodity"]].drop_duplicates()
    n_groups, target = len(keys), np.asarray(list(years), dtype=float)
    if n_groups == 0:
        return pd.DataFrame({"region": [], "commodity": [], "year": [], "demand_t": []})
    x = given["year"].to_numpy(dtype=float)
    v = given["demand_t"].to_numpy(dtype=float)
    first = np.searchsorted(group, np.arange(n_groups))
    last = np.searchsorted(group, np.arange(n_groups), side="right") - 1
    span = float(target.max() - min(target.min(), x.min()) + 2)  # > any year gap
    g = np.repeat(np.arange(n_groups), len(target))
    t = np.tile(target, n_groups)
    j = np.searchsorted(group * span + x, g * span + t, side="right") - 1
    left = np.clip(j, first[g], last[g])
    right = np.minimum(left + 1, last[g])
    inside = (t > x[left]) & (right > left)
    slope = np.divide(v[right] - v[left], x[right] - x[left],
                      out=np.zeros(len(t)), where=inside)
    values = np.where(inside, slope * (t - x[left]) + v[left], v[left])
    values = np.where(t >= x[last[g]], v[last[g]], values)
    frame = keys.iloc[g].astype(str).reset_index(drop=True)
    frame["year"] = np.tile(np.asarray(list(years)), n_groups)
    frame["demand_t"] = values
    return frame.sort_values(["region", "commodity"], kind="stable").reset_index(
        drop=True)


def table_hash(tables: Tables) -> str:
    """sha256 of the loaded tables in canonical form (same for CSV and xlsx)."""
    digest = hashlib.sha256()
    for name in sorted(tables):
        frame = tables[name].drop(columns=[ROW])
        columns = sorted(frame.columns)
        cells = [[_canonical(v) for v in frame[c]] for c in columns]
        rows = sorted(_TO_JSON(list(row)) for row in zip(*cells)) if columns else (
            ["[]"] * len(frame))  # a row per line of the table, as its tuples
        digest.update(_TO_JSON([name, columns, rows]).encode())
    return digest.hexdigest()


# json.dumps(..., ensure_ascii=False) without a new encoder per call
_TO_JSON = json.JSONEncoder(ensure_ascii=False).encode


def _canonical(value: object) -> object:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else repr(float(value))
    if isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_):
        return repr(float(value))
    if isinstance(value, bool | np.bool_):
        return bool(value)
    return str(value)


__all__ = ["Case", "Settings", "TABLE_BY_NAME", "interpolate_demand", "load_case"]
