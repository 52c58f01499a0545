"""Substitution (issue 14 item 3): an alternative recipe makes its base process's
product on the base's capacity with its own inputs and cost, from its ready year,
and the share of the output it makes grows by at most adoption_per_year a year up
to max_share."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.data.case import load_case
from model.errors import InputError
from tests.helpers import mine, settings, write_case


def _case(recipe: dict[str, object], make_tpa: float = 1000,
          dy_tpa: float = 3) -> dict[str, list[dict[str, object]]]:
    """Region a demands 100 t/yr of magnet ``mag`` (penalty 1000 USD/t), 2025-29.
    The base process ``make`` turns 0.04 t Dy into 1 t mag at no cost (capacity
    ``make_tpa``); the recipe ``lean`` needs 0.02 t Dy and costs 1 USD/t. A Dy mine
    gives ``dy_tpa`` t/yr at 10 USD/t."""
    dy, dy_out = mine("mine_dy", cost=10, out="dy")
    make = {"process": "make", "stage": "magnet", "lead_time_years": 0,
            "lifetime_years": 30}
    lean = {**make, "process": "lean", "variable_cost_usd_per_t": 1}
    return {
        "settings": settings(2025, 2029),
        "regions": [{"region": "a", "bloc": "alliance"}],
        "commodities": [
            {"commodity": "mag", "kind": "magnet", "shortfall_penalty_usd_per_t": 1000},
            {"commodity": "dy", "kind": "metal", "shortfall_penalty_usd_per_t": 1000}],
        "processes": [dy, make, lean],
        "process_io": [
            dy_out,
            {"process": "make", "commodity": "dy", "direction": "in",
             "coefficient": 0.04},
            {"process": "make", "commodity": "mag", "direction": "out",
             "coefficient": 1},
            {"process": "lean", "commodity": "dy", "direction": "in",
             "coefficient": 0.02},
            {"process": "lean", "commodity": "mag", "direction": "out",
             "coefficient": 1}],
        "capacity": [{"region": "a", "process": "mine_dy", "capacity_tpa": dy_tpa},
                     {"region": "a", "process": "make", "capacity_tpa": make_tpa}],
        "demand": [{"region": "a", "commodity": "mag", "year": 2025, "demand_t": 100}],
        "recipes": [{"recipe": "lean", "process": "make", **recipe}],
    }


def _output(tables: dict, process: str) -> dict[int, float]:
    prod = tables["production"]
    rows = prod[(prod["process"] == process) & (prod["activity_t"] > 0)]
    return dict(zip(rows["year"], rows["activity_t"], strict=True))


def test_a_recipe_switch_obeys_its_ready_year_and_adoption_cap(solve) -> None:
    # Dy (3 t/yr) binds; every magnet avoids a 1000 USD/t shortfall, so the LP
    # makes as many as the Dy allows, using the lean recipe as far as it may.
    # Output x = base b + lean l with l <= s x, Dy 0.04 b + 0.02 l <= 3:
    #   at l = s x, x = 3 / (0.04 - 0.02 s).
    # Ready 2026, adoption 0.1 a year, max_share 0.3: s = 0 (2025, not ready),
    #   0.1, 0.2, 0.3, 0.3 (0.4 capped), so x = 75, 78.947, 83.333, 88.235, 88.235
    #   and l = s x = 0, 7.8947, 16.667, 26.471, 26.471.
    t = solve(_case({"ready_year": 2026, "adoption_per_year": 0.1,
                     "max_share": 0.3}))
    x = {2025: 75, 2026: 3 / 0.038, 2027: 3 / 0.036, 2028: 3 / 0.034,
         2029: 3 / 0.034}
    share = {2026: 0.1, 2027: 0.2, 2028: 0.3, 2029: 0.3}
    assert _output(t, "lean") == pytest.approx({y: s * x[y] for y, s in share.items()},
                                               rel=1e-9)
    supplied = t["shortfall"].set_index("year")["supplied_t"].to_dict()
    assert supplied == pytest.approx(x, rel=1e-9)


def test_a_recipe_runs_on_its_base_capacity(solve) -> None:
    # Dy ample (100 t/yr), make's capacity 50, no adoption limit (max_share 1).
    # Base and recipe together make at most 50 a year: the recipe has no capacity
    # of its own (were it unlimited, it would fill the other 50 at 1.2 USD/t
    # against a 1000 USD/t shortfall). Per tonne the base costs 0.04 x 10 = 0.4
    # USD, the recipe 1 + 0.02 x 10 = 1.2: the base makes all 50. Shortfall 50.
    t = solve(_case({}, make_tpa=50, dy_tpa=100))
    supplied = t["shortfall"].set_index("year")["supplied_t"].to_dict()
    assert supplied == pytest.approx({y: 50 for y in range(2025, 2030)}, rel=1e-9)
    assert _output(t, "lean") == {}


def test_without_an_adoption_limit_the_recipe_takes_max_share(solve) -> None:
    # Ready from base_year, adoption blank, max_share 0.5: s = 0.5 every year,
    # x = 3 / (0.04 - 0.01) = 100: demand is met, l = 50 each year (the LP needs
    # all of the 0.5 share to reach 100 with 3 t of Dy).
    t = solve(_case({"max_share": 0.5}))
    assert _output(t, "lean") == pytest.approx({y: 50 for y in range(2025, 2030)},
                                               rel=1e-9)
    assert t["summary"]["shortfall_t"].iat[0] == pytest.approx(0, abs=1e-6)


def test_two_recipes_of_one_base_share_its_output(solve) -> None:
    # Demand 200 (out of reach), Dy 3 t/yr binds: the LP makes as many magnets as
    # the Dy allows. Two recipes of make, each capped on make's whole output
    # x = b + l + m (base b, lean l, leaner m): lean 0.02 t Dy, max_share 0.5;
    # leaner 0.01 t Dy (2 USD/t), max_share 0.25. At the caps l = 0.5 x,
    # m = 0.25 x, b = 0.25 x and Dy = (0.04 x 0.25 + 0.02 x 0.5 + 0.01 x 0.25) x
    # = 0.0225 x = 3: x = 133.33, l = 66.667, m = 33.333 every year.
    # (Were each share taken of base + that recipe alone, l <= b and m <= b / 3:
    # x = 7 b / 3 with Dy 0.19 b / 3 = 3, x = 110.5.)
    tables = _case({"max_share": 0.5})
    tables["demand"][0]["demand_t"] = 200
    tables["processes"].append({"process": "leaner", "stage": "magnet",
                                "lead_time_years": 0, "lifetime_years": 30,
                                "variable_cost_usd_per_t": 2})
    tables["process_io"] += [
        {"process": "leaner", "commodity": "dy", "direction": "in",
         "coefficient": 0.01},
        {"process": "leaner", "commodity": "mag", "direction": "out",
         "coefficient": 1}]
    tables["recipes"].append({"recipe": "leaner", "process": "make",
                              "max_share": 0.25})
    t = solve(tables)
    x = 3 / 0.0225
    years = range(2025, 2030)
    assert _output(t, "lean") == pytest.approx({y: 0.5 * x for y in years}, rel=1e-9)
    assert _output(t, "leaner") == pytest.approx({y: 0.25 * x for y in years},
                                                 rel=1e-9)
    assert _output(t, "make") == pytest.approx({y: 0.25 * x for y in years},
                                               rel=1e-9)


def test_recipe_rows_are_checked(tmp_path: Path) -> None:
    tables = _case({"ready_year": 2031})
    tables["processes"].append({"process": "odd", "stage": "magnet",
                                "lead_time_years": 0, "lifetime_years": 30})
    tables["process_io"].append({"process": "odd", "commodity": "dy",
                                 "direction": "out", "coefficient": 1})
    tables["recipes"] += [{"recipe": "odd", "process": "make"},
                          {"recipe": "mine_dy", "process": "make"},
                          {"recipe": "make", "process": "make"}]
    with pytest.raises(InputError) as err:
        load_case(write_case(tmp_path / "c", tables))
    text = str(err.value)
    assert "recipes.csv [recipes] row 2, column ready_year: 2031 is after end_year " \
           "2029" in text
    assert "recipes.csv [recipes] row 3, column process: recipe 'odd' makes " \
           "nothing that its base process 'make' makes" in text
    assert "recipes.csv [recipes] row 4, column recipe: recipe 'mine_dy' has rows " \
           "in capacity" in text
    assert "recipes.csv [recipes] row 5, column recipe: recipe 'make' is itself a " \
           "base process of a recipe" in text
