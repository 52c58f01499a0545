"""Ramp-up (MODEL-SPEC §8.2): new capacity is usable at a fraction of nameplate in
its first years in service."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.data.case import load_case
from model.errors import InputError
from tests.helpers import mine, one_commodity, settings, write_case


def _ramp_case() -> dict[str, list[dict[str, object]]]:
    a, out_a = mine("mine", cost=10, lead=0)
    b, out_b = mine("mine2", cost=5, lead=0)
    c, out_c = mine("mine3", cost=5, lead=0)
    return {
        "settings": settings(2025, 2027),
        "regions": [{"region": "a", "bloc": "alliance"}],
        "commodities": one_commodity(penalty=1000),
        "processes": [a, b, c], "process_io": [out_a, out_b, out_c],
        "capacity": [
            {"region": "a", "process": "mine2", "capacity_tpa": 40,
             "online_year": 2026},
            {"region": "a", "process": "mine3", "capacity_tpa": 10,
             "online_year": 2025},
        ],
        "expansion": [{"region": "a", "process": "mine", "max_new_tpa": 100}],
        "ramp_up": [
            {"stage": "mining", "year_in_service": 1, "fraction": 0.5},
            {"stage": "mining", "year_in_service": 2, "fraction": 0.8},
            {"process": "mine2", "year_in_service": 1, "fraction": 0.25},
        ],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 100}],
    }


def test_ramp_curve_delays_output(solve) -> None:
    # Demand 100 t/yr 2025-27, rate 0, penalty 1000 >> cost.
    # mine: built (lead 0, at most 100 in total); stage curve 0.5, 0.8, then 1.
    # mine2: 40 t/yr in `capacity` online 2026 (after base_year): its own curve
    #   (0.25 in year 1, then 1; the stage's 0.8 does not apply) → 10 in 2026, 40
    #   in 2027.
    # mine3: 10 t/yr online 2025 = base_year: not ramped, 10 every year.
    # Building x in 2025 and 100 − x in 2026 gives mine 0.5x in 2025 and
    # 0.8x + 0.5(100 − x) = 50 + 0.3x in 2026, so shortfall 2025 = 90 − 0.5x and
    # 2026 = max(0, 100 − 10 − 10 − 50 − 0.3x); x = 100 minimises both:
    # shortfall 40 in 2025, 0 in 2026 (80 + 10 + 10), 0 in 2027.
    # Activity: 2025 mine 50, mine3 10; 2026 mine 80, mine2 10, mine3 10; 2027 the
    # cheap mine2 (40) and mine3 (10) first, mine 50.
    # Without the curve the 2025 build would cover all demand (no shortfall).
    t = solve(_ramp_case())
    assert t["builds"][["process", "online_year", "capacity_tpa"]].values.tolist() \
        == [["mine", 2025, 100]]
    short = t["shortfall"].set_index("year")["shortfall_t"].to_dict()
    assert short == pytest.approx({2025: 40, 2026: 0, 2027: 0}, abs=1e-6)
    act = t["production"].set_index(["process", "year"])["activity_t"].to_dict()
    assert act == pytest.approx({
        ("mine", 2025): 50, ("mine", 2026): 80, ("mine", 2027): 50,
        ("mine2", 2026): 10, ("mine2", 2027): 40,
        ("mine3", 2025): 10, ("mine3", 2026): 10, ("mine3", 2027): 10}, abs=1e-6)
    # production reports nameplate capacity in service, not the ramped share
    cap = t["production"].set_index(["process", "year"])["capacity_tpa"]
    assert cap[("mine2", 2026)] == pytest.approx(40)
    assert cap[("mine", 2025)] == pytest.approx(100)


def test_ramp_rows_name_stage_or_process(tmp_path: Path) -> None:
    tables = _ramp_case()
    tables["ramp_up"] = [
        {"stage": "mining", "process": "mine", "year_in_service": 1, "fraction": 0.5},
        {"stage": "minning", "year_in_service": 1, "fraction": 0.5},
        {"stage": "mining", "year_in_service": 2, "fraction": 0},
    ]
    with pytest.raises(InputError) as err:
        load_case(write_case(tmp_path / "c", tables))
    text = str(err.value)
    assert "ramp_up.csv [ramp_up] row 2, column stage: give a stage or a process, " \
           "not both (stage 'mining', process 'mine')" in text
    assert "ramp_up.csv [ramp_up] row 3, column stage: unknown stage 'minning'" in text
    assert "ramp_up.csv [ramp_up] row 4, column fraction: 0 is out of range " \
           "(expected a number > 0 and <= 1)" in text
