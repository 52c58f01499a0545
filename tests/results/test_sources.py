"""Where the scope's supply comes from (model/results/sources.py), by hand.

The case (2025-2026, rate 0): us (alliance) needs 10 t of magnet ``mag`` a year and
makes it from ``ox`` (1 t ox per t mag, 20 tpa of magnet plant). Oxide per tonne
delivered to us, cheapest first:
* us recycling: 2 USD/t, 1 tpa existing, +2 tpa buildable from 2026 (lead 1,
  capex 1 USD/tpa: it saves 2 USD/t over cn in 2026, so it is built);
* cn separation (china, outside the scope): au concentrate 1 + route au→cn 1 +
  separation 1 + route cn→us 1 = 4 USD/t, 6 tpa;
* au separation (partner, in the scope): concentrate 1 + separation 5 + route 1 =
  7 USD/t, 5 tpa;
* the us stockpile: 20 USD/t, 3 t, at most 1 t a year.

baseline: 2025 recycling 1, cn 6, au 3 (= 10); 2026 recycling 3, cn 6, au 1.
no_china (embargo on china): 2025 recycling 1, au 5, stock 1 (= 7, 3 t short);
2026 recycling 3, au 5, stock 1 (= 9, 1 t short). Magnets: what us makes.
Both scenarios build the 2 tpa of recycling (capex 2 USD).
"""

from __future__ import annotations

import pandas as pd
import pytest

from model.pipeline import RunResult, run_case
from tests.helpers import settings, shared_unless_mutating, write_case


def _process(name: str, stage: str, cost: float, lead: int = 0, capex: float = 0.0
             ) -> dict[str, object]:
    return {"process": name, "stage": stage, "lead_time_years": lead,
            "lifetime_years": 30, "capex_usd_per_tpa": capex,
            "variable_cost_usd_per_t": cost}


def _io(process: str, commodity: str, direction: str) -> dict[str, object]:
    return {"process": process, "commodity": commodity, "direction": direction,
            "coefficient": 1}


def source_case() -> dict[str, list[dict[str, object]]]:
    """The case of the module docstring: two origins of oxide besides us."""
    return {
        "settings": settings(2025, 2026),
        "regions": [{"region": "us", "bloc": "alliance"},
                    {"region": "au", "bloc": "partner"},
                    {"region": "cn", "bloc": "china"}],
        "commodities": [
            {"commodity": "conc", "kind": "concentrate", "element": "mixed",
             "shortfall_penalty_usd_per_t": 1000},
            {"commodity": "ox", "kind": "oxide", "element": "Nd",
             "shortfall_penalty_usd_per_t": 1000},
            {"commodity": "mag", "kind": "magnet", "element": "Nd",
             "shortfall_penalty_usd_per_t": 1000}],
        "processes": [_process("mine", "mining", 1),
                      _process("sep_cn", "separation", 1),
                      _process("sep_au", "separation", 5),
                      _process("magnet", "magnet", 0),
                      _process("recycle", "recycling", 2, lead=1, capex=1)],
        "process_io": [_io("mine", "conc", "out"), _io("sep_cn", "conc", "in"),
                       _io("sep_cn", "ox", "out"), _io("sep_au", "conc", "in"),
                       _io("sep_au", "ox", "out"), _io("magnet", "ox", "in"),
                       _io("magnet", "mag", "out"), _io("recycle", "ox", "out")],
        "capacity": [{"region": "au", "process": "mine", "capacity_tpa": 100},
                     {"region": "cn", "process": "sep_cn", "capacity_tpa": 6},
                     {"region": "au", "process": "sep_au", "capacity_tpa": 5},
                     {"region": "us", "process": "magnet", "capacity_tpa": 20},
                     {"region": "us", "process": "recycle", "capacity_tpa": 1}],
        "expansion": [{"region": "us", "process": "recycle", "max_new_tpa": 2}],
        "stockpiles": [{"region": "us", "commodity": "ox", "initial_t": 3,
                        "max_release_tpa": 1, "release_cost_usd_per_t": 20}],
        "demand": [{"region": "us", "commodity": "mag", "year": 2025,
                    "demand_t": 10}],
        "routes": [{"origin": "au", "destination": "cn", "cost_usd_per_t": 1},
                   {"origin": "cn", "destination": "us", "cost_usd_per_t": 1},
                   {"origin": "au", "destination": "us", "cost_usd_per_t": 1}],
        "scenarios": [{"scenario": "baseline", "is_baseline": "true"},
                      {"scenario": "no_china", "is_baseline": "false"}],
        "scenario_rules": [{"scenario": "no_china", "rule": "embargo",
                            "target": "china"}],
    }


@pytest.fixture(scope=shared_unless_mutating("module"))
def run(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    root = tmp_path_factory.mktemp("sources")
    return run_case(write_case(root / "case", source_case()), root / "out")


EXPECTED = {  # (scenario, commodity, origin, stage, year) -> t, from the docstring
    ("baseline", "mag", "us", "magnet", 2025): 10,
    ("baseline", "mag", "us", "magnet", 2026): 10,
    ("baseline", "ox", "us", "recycling", 2025): 1,
    ("baseline", "ox", "us", "recycling", 2026): 3,
    ("baseline", "ox", "cn", "separation", 2025): 6,
    ("baseline", "ox", "cn", "separation", 2026): 6,
    ("baseline", "ox", "au", "separation", 2025): 3,
    ("baseline", "ox", "au", "separation", 2026): 1,
    ("no_china", "mag", "us", "magnet", 2025): 7,
    ("no_china", "mag", "us", "magnet", 2026): 9,
    ("no_china", "ox", "us", "recycling", 2025): 1,
    ("no_china", "ox", "us", "recycling", 2026): 3,
    ("no_china", "ox", "au", "separation", 2025): 5,
    ("no_china", "ox", "au", "separation", 2026): 5,
    ("no_china", "ox", "us", "stockpile", 2025): 1,
    ("no_china", "ox", "us", "stockpile", 2026): 1,
}


def _as_dict(frame: pd.DataFrame) -> dict[tuple[object, ...], float]:
    return {(s, c, o, st, int(y)): float(v) for s, c, o, st, y, v in
            frame.itertuples(index=False, name=None)}


def test_supply_by_origin_and_stage(run: RunResult) -> None:
    got = _as_dict(run.tables["supply_by_origin"])
    assert set(got) == set(EXPECTED)
    for key, tonnes in EXPECTED.items():
        assert got[key] == pytest.approx(tonnes, abs=1e-6), key


def test_supply_of_magnets_is_demand_less_shortfall(run: RunResult) -> None:
    # independent check: the magnets the scope has = demand - shortfall (shortfall
    # table), year by year
    supply = run.tables["supply_by_origin"]
    short = run.tables["shortfall"]
    for (scenario, year), group in short[short["commodity"] == "mag"].groupby(
            ["scenario", "year"]):
        made = supply[(supply["scenario"] == scenario) & (supply["year"] == year)
                      & (supply["commodity"] == "mag")]["supplied_t"].sum()
        expected = float(group["demand_t"].sum() - group["shortfall_t"].sum())
        assert made == pytest.approx(expected, abs=1e-6)


def test_new_capacity_by_region_and_stage(run: RunResult) -> None:
    frame = run.tables["new_capacity_by_stage"]
    got = {(s, r, st): (float(c), float(x)) for s, r, st, c, x in
           frame.itertuples(index=False, name=None)}
    # 2 tpa of recycling at 1 USD/tpa in us, in both scenarios
    assert got == {("baseline", "us", "recycling"): pytest.approx((2.0, 2.0)),
                   ("no_china", "us", "recycling"): pytest.approx((2.0, 2.0))}


def test_tables_are_written_as_csv(run: RunResult) -> None:
    assert run.out_dir is not None
    for name in ("supply_by_origin", "new_capacity_by_stage"):
        written = pd.read_csv(run.out_dir / "tables" / f"{name}.csv")
        assert list(written.columns) == list(run.tables[name].columns)
        assert len(written) == len(run.tables[name])
    supply = pd.read_csv(run.out_dir / "tables" / "supply_by_origin.csv")
    assert supply["supplied_t"].sum() == pytest.approx(sum(EXPECTED.values()))

