"""Property (MODEL-SPEC §8.2, issue 14): the frictions change nothing unless a case
uses them. A case without friction tables, and the same case with every friction
given its neutral value, build identical LPs (array for array) and solve to the
same objective (1e-9 relative), through both builders."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model.data.case import load_case
from model.data.indices import build_index
from model.data.scenarios import scenario_data, scenario_names
from model.formulation.matrix import assemble
from model.pipeline import run_case
from model.solver.records import SolveOptions
from model.synth import SynthSpec, write_synthetic

ARRAYS = ("col_cost_", "col_lower_", "col_upper_", "row_lower_", "row_upper_")


def _neutral_frictions(folder: Path, out: Path, rows: bool = False) -> Path:
    """``folder`` copied to ``out`` with every friction at its neutral value:
    each process's hurdle_rate = the discount rate, a ramp-up curve at 1 for
    every stage, foresight perfect written out, and (``rows``: they add rows to
    the LP) a build-rate limit of 1e9 t/yr per stage, far above anything the case
    can build."""
    shutil.copytree(folder, out)
    settings = pd.read_csv(out / "settings.csv", dtype=str)
    rate = settings.set_index("key")["value"].get("discount_rate", "0.08")
    settings = pd.concat([settings, pd.DataFrame({"key": ["foresight"],
                                                  "value": ["perfect"]})])
    settings.to_csv(out / "settings.csv", index=False)
    processes = pd.read_csv(out / "processes.csv", dtype=str, keep_default_na=False)
    processes["hurdle_rate"] = rate
    processes.to_csv(out / "processes.csv", index=False)
    stages = processes["stage"].drop_duplicates()
    pd.DataFrame({"stage": stages, "year_in_service": 1, "fraction": 1.0}).to_csv(
        out / "ramp_up.csv", index=False)
    if rows:
        pd.DataFrame({"stage": stages, "max_new_tpa_per_year": 1e9}).to_csv(
            out / "build_limits.csv", index=False)
    return out


def _arrays(folder: Path) -> dict[str, dict[str, np.ndarray]]:
    case = load_case(folder)
    out: dict[str, dict[str, np.ndarray]] = {}
    for name in scenario_names(case):
        lp = assemble(build_index(scenario_data(case, name))).lp
        arrays = {a: np.asarray(getattr(lp, a)) for a in ARRAYS}
        arrays |= {m: np.asarray(getattr(lp.a_matrix_, m))
                   for m in ("start_", "index_", "value_")}
        out[name] = arrays
    return out


def assert_same_lps(a_case: Path, b_case: Path) -> None:
    """Both cases build, scenario by scenario, the same LP arrays exactly."""
    a, b = _arrays(a_case), _arrays(b_case)
    assert a.keys() == b.keys()
    for name in a:
        for key, value in a[name].items():
            np.testing.assert_array_equal(value, b[name][key], err_msg=key)


def _objectives(folder: Path, builder: str) -> dict[str, float]:
    run = run_case(folder, None, None, SolveOptions(builder=builder))
    return {r.name: r.objective for r in run.scenarios}


@pytest.mark.parametrize("seed", [1, 2])
def test_neutral_frictions_build_the_same_lp(tmp_path: Path, seed: int) -> None:
    plain = write_synthetic(tmp_path / "plain", SynthSpec(4, 4, seed=seed))
    neutral = _neutral_frictions(plain, tmp_path / "neutral")
    assert_same_lps(plain, neutral)


@pytest.mark.parametrize("builder", ["numpy", "pyomo"])
def test_neutral_frictions_solve_to_the_same_objective(tmp_path: Path,
                                                       builder: str) -> None:
    plain = write_synthetic(tmp_path / "plain", SynthSpec(4, 4, seed=1))
    neutral = _neutral_frictions(plain, tmp_path / "neutral", rows=True)
    a, b = _objectives(plain, builder), _objectives(neutral, builder)
    assert a.keys() == b.keys() and len(a) > 1
    for name, objective in a.items():
        assert b[name] == pytest.approx(objective, rel=1e-9), name


RECYCLING_AND_RECIPES = {
    "eol_lifetimes": ["product", "scrap", "years_after", "share"],
    "eol_history": ["region", "product", "year", "delivered_t"],
    "eol_collection": ["scrap", "target", "max_rate", "start_rate", "start_year",
                       "growth_per_year"],
    "recipes": ["recipe", "process", "ready_year", "max_share", "adoption_per_year"],
}


@pytest.mark.parametrize("seed", [1, 2])
def test_empty_recycling_and_recipe_tables_build_the_same_lp(tmp_path: Path,
                                                             seed: int) -> None:
    """The tables of recycling from stock and of recipes, present with a header
    and no rows, leave the LP as it is without them, array for array."""
    plain = write_synthetic(tmp_path / "plain", SynthSpec(4, 4, seed=seed))
    empty = tmp_path / "empty"
    shutil.copytree(plain, empty)
    for table, columns in RECYCLING_AND_RECIPES.items():
        pd.DataFrame(columns=columns).to_csv(empty / f"{table}.csv", index=False)
    assert_same_lps(plain, empty)


def _with_copy_recipe(folder: Path, out: Path, base: str) -> Path:
    """``folder`` copied to ``out`` with a recipe of ``base`` that is its exact
    copy (same process_io, same variable cost), free to make all of its output."""
    shutil.copytree(folder, out)
    processes = pd.read_csv(out / "processes.csv", dtype=str, keep_default_na=False)
    row = processes[processes["process"] == base].assign(process=f"{base}_copy")
    pd.concat([processes, row]).to_csv(out / "processes.csv", index=False)
    io = pd.read_csv(out / "process_io.csv", dtype=str, keep_default_na=False)
    rows = io[io["process"] == base].assign(process=f"{base}_copy")
    pd.concat([io, rows]).to_csv(out / "process_io.csv", index=False)
    pd.DataFrame({"recipe": [f"{base}_copy"], "process": [base]}).to_csv(
        out / "recipes.csv", index=False)
    return out


@pytest.mark.parametrize("builder", ["numpy", "pyomo"])
def test_a_recipe_that_copies_its_base_changes_no_objective(tmp_path: Path,
                                                           builder: str) -> None:
    """A recipe identical to its base process, sharing its capacity and free to
    make all of its output, only splits the base's activity in two: every scenario
    solves to the same objective (1e-9 relative)."""
    plain = write_synthetic(tmp_path / "plain", SynthSpec(4, 4, seed=1))
    copied = _with_copy_recipe(plain, tmp_path / "copy", "magnet_NdFeB")
    a, b = _objectives(plain, builder), _objectives(copied, builder)
    assert a.keys() == b.keys() and len(a) > 1
    for name, objective in a.items():
        assert b[name] == pytest.approx(objective, rel=1e-9), name
