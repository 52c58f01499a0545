"""Scenario inheritance (``scenarios.based_on``, MODEL-SPEC §2): a scenario's rules
are its parent's followed by its own; cycles and unknown parents are input errors
located at the scenario's row and the based_on column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from model.data.case import load_case
from model.data.scenarios import rules_of, without_inheritance
from model.errors import InputError
from model.sweep.uncertainty import apply_draws, uncertain_inputs
from tests.helpers import mine, one_commodity, settings, write_case

EMBARGO = {"scenario": "cut", "rule": "embargo", "target": "c", "from_year": 2026}
SCALE = {"scenario": "cut_more", "rule": "scale", "field": "demand", "value": 1.5}


def _case(scenarios: list[dict], rules: list[dict], **extra: object) -> dict:
    # a: alliance, mine 40 t/yr at 10 $/t; c: china, mine 100 t/yr at 1 $/t,
    # route c -> a free; a demands 60 t/yr of ox (penalty 1000 $/t)
    proc, out = mine(cost=10)
    china, china_out = mine("mine_c", cost=1)
    return {
        "settings": settings(2025, 2027),
        "regions": [{"region": "a", "bloc": "alliance"},
                    {"region": "c", "bloc": "china"}],
        "commodities": one_commodity(penalty=1000),
        "processes": [proc, china], "process_io": [out, china_out],
        "capacity": [{"region": "a", "process": "mine", "capacity_tpa": 40},
                     {"region": "c", "process": "mine_c", "capacity_tpa": 100}],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 60}],
        "routes": [{"origin": "c", "destination": "a", "cost_usd_per_t": 0}],
        "scenarios": scenarios, "scenario_rules": rules, **extra,
    }


CHAIN = [{"scenario": "base", "is_baseline": "true"},
         {"scenario": "cut", "is_baseline": "false"},
         {"scenario": "cut_more", "is_baseline": "false", "based_on": "cut"},
         {"scenario": "cut_late", "is_baseline": "false", "based_on": "cut_more"}]
LATE = {"scenario": "cut_late", "rule": "lead_time_add", "field": "mining",
        "value": 1}


def test_rules_are_the_parents_then_their_own(tmp_path: Path) -> None:
    case = load_case(write_case(tmp_path, _case(CHAIN, [LATE, SCALE, EMBARGO])))
    listed = {name: [r.rule for r in rules_of(case, name).itertuples()]
              for name in ("base", "cut", "cut_more", "cut_late")}
    # cut_late <- cut_more <- cut: the root's rules first, then each child's own,
    # whatever the order of the rows in the file
    assert listed == {"base": [], "cut": ["embargo"],
                      "cut_more": ["embargo", "scale"],
                      "cut_late": ["embargo", "scale", "lead_time_add"]}


def test_a_child_solves_with_its_parents_rules(solve) -> None:
    # base: c supplies all 60 t (1 $/t < 10 $/t), no shortfall. cut: embargo on c
    # from 2026: a's 40 t/yr only, 20 t short in 2026 and 2027. cut_more (based on
    # cut, demand x1.5 = 90 t/yr): 2025 from c (90 t), then 40 t/yr from a and
    # 50 t short in 2026 and 2027. Without the inherited embargo it would have
    # bought 90 t/yr from c and gone short of nothing.
    t = solve(_case(CHAIN[:3], [EMBARGO, SCALE]))
    short = t["shortfall"].groupby(["scenario", "year"])["shortfall_t"].sum()
    assert short.get(("base", 2026), 0.0) == pytest.approx(0.0, abs=1e-6)
    assert short[("cut", 2026)] == pytest.approx(20.0)
    assert short[("cut_more", 2025)] == pytest.approx(0.0, abs=1e-6)
    assert short[("cut_more", 2026)] == pytest.approx(50.0)
    assert short[("cut_more", 2027)] == pytest.approx(50.0)


def test_the_same_answer_as_the_rules_written_out(solve) -> None:
    # the inherited case and the same case with cut's embargo copied under
    # cut_more (no based_on) are one LP: every output table is equal
    inherited = solve(_case(CHAIN[:3], [EMBARGO, SCALE]))
    flat = [dict(CHAIN[2], based_on="")]
    copied = solve(_case([*CHAIN[:2], *flat],
                         [EMBARGO, dict(EMBARGO, scenario="cut_more"), SCALE]))
    for name in ("shortfall", "production", "flows", "summary"):
        pd.testing.assert_frame_equal(inherited[name], copied[name])


@pytest.mark.parametrize(("based", "row", "text"), [
    ({"cut": "cut"}, 3, "'cut': a scenario cannot be based on itself"),
    ({"cut": "cut_more", "cut_more": "cut"}, 3,
     "'cut_more': the scenarios are based on each other in a circle "
     "(cut -> cut_more -> cut)"),
])
def test_cycles_are_located_input_errors(tmp_path: Path, based: dict, row: int,
                                         text: str) -> None:
    scenarios = [dict(s, based_on=based.get(s["scenario"], "")) for s in CHAIN[:3]]
    folder = write_case(tmp_path, _case(scenarios, [EMBARGO]))
    with pytest.raises(InputError) as caught:
        load_case(folder)
    # row 3 of scenarios.csv is 'cut' (header row 1, base row 2)
    assert (f"{folder / 'scenarios.csv'} [scenarios] row {row}, column based_on: "
            f"{text}") in str(caught.value)


def test_an_unknown_parent_is_a_located_input_error(tmp_path: Path) -> None:
    scenarios = [*CHAIN[:2], dict(CHAIN[2], based_on="cutt")]
    folder = write_case(tmp_path, _case(scenarios, [EMBARGO]))
    with pytest.raises(InputError) as caught:
        load_case(folder)
    assert (f"{folder / 'scenarios.csv'} [scenarios] row 4, column based_on: "
            "unknown scenario 'cutt'; did you mean 'cut'?") in str(caught.value)


def test_a_sweep_draw_applies_once_per_scenario(tmp_path: Path) -> None:
    # a draw for every scenario (blank scenario) is one rule of each scenario; a
    # child must not get its parent's draw as well as its own (x1.2 twice)
    uncertainty = [{"field": "demand", "distribution": "uniform", "low": 1,
                    "high": 2}]
    case = load_case(write_case(tmp_path, _case(CHAIN[:3], [EMBARGO, SCALE],
                                                 uncertainty=uncertainty)))
    drawn = apply_draws(case, uncertain_inputs(case), [1.2])
    rules = rules_of(drawn, "cut_more")
    scales = rules[rules["rule"] == "scale"]["value"].tolist()
    assert sorted(scales) == pytest.approx([1.2, 1.5])  # its own draw and rule
    assert rules["rule"].tolist().count("embargo") == 1  # inherited once


def test_without_inheritance_writes_the_rules_out(tmp_path: Path) -> None:
    case = load_case(write_case(tmp_path, _case(CHAIN, [EMBARGO, SCALE, LATE])))
    flat = without_inheritance(case)
    assert set(flat.table("scenarios")["based_on"]) == {""}
    for name in ("cut", "cut_more", "cut_late"):
        columns = ["rule", "target", "field"]
        assert (rules_of(flat, name)[columns].astype(str).values.tolist()
                == rules_of(case, name)[columns].astype(str).values.tolist())
