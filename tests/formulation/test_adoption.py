"""Substitution (issue 14 item 3): an alternative recipe makes its base process's
product on the base's capacity with its own inputs and cost, from its ready year,
and the share of the output it makes grows by at most adoption_per_year a year up
to max_share."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model.data.case import load_case
from model.errors import InputError
from model.formulation.adoption import adoption_rows
from model.formulation.declare import Rows
from tests.helpers import loaded_index, mine, row_terms, settings, write_case


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


def _two_recipes() -> dict[str, list[dict[str, object]]]:
    """The first case with demand 200 and two recipes of make: lean (max_share
    0.5) and leaner (0.01 t Dy, 2 USD/t, max_share 0.25)."""
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
    return tables


def test_two_recipes_of_one_base_share_its_output(solve) -> None:
    # Demand 200 (out of reach), Dy 3 t/yr binds: the LP makes as many magnets as
    # the Dy allows. Two recipes of make, each capped on make's whole output
    # x = b + l + m (base b, lean l, leaner m): lean 0.02 t Dy, max_share 0.5;
    # leaner 0.01 t Dy (2 USD/t), max_share 0.25. At the caps l = 0.5 x,
    # m = 0.25 x, b = 0.25 x and Dy = (0.04 x 0.25 + 0.02 x 0.5 + 0.01 x 0.25) x
    # = 0.0225 x = 3: x = 133.33, l = 66.667, m = 33.333 every year.
    # (Were each share taken of base + that recipe alone, l <= b and m <= b / 3:
    # x = 7 b / 3 with Dy 0.19 b / 3 = 3, x = 110.5.)
    t = solve(_two_recipes())
    x = 3 / 0.0225
    years = range(2025, 2030)
    assert _output(t, "lean") == pytest.approx({y: 0.5 * x for y in years}, rel=1e-9)
    assert _output(t, "leaner") == pytest.approx({y: 0.25 * x for y in years},
                                                 rel=1e-9)
    assert _output(t, "make") == pytest.approx({y: 0.25 * x for y in years},
                                               rel=1e-9)


def _growing_share() -> dict[str, list[dict[str, object]]]:
    return _case({"ready_year": 2026, "adoption_per_year": 0.1, "max_share": 0.3})


def _full_share() -> dict[str, list[dict[str, object]]]:
    return _case({})


def _rows(tables_of: Callable[[], dict]) -> tuple[Rows, pd.DataFrame]:
    """The adoption rows of the case ``tables_of()`` and its act frame (no solve;
    the index is loaded once per process)."""
    ix = loaded_index(tables_of)
    return adoption_rows(ix), ix.act


def test_adoption_rows_one_per_recipe_year_below_its_full_share() -> None:
    # Ready 2026, 0.1 a year, max 0.3: s = 0.1, 0.2, 0.3, 0.3 in 2026-29 (the
    # recipe has no act row in 2025), all < 1, so one row (a, lean, y) a year:
    #   (1 - s) lean - s make <= 0 (no other recipe of make).
    rows, act = _rows(_growing_share)
    years = [2026, 2027, 2028, 2029]
    assert list(rows.keys.columns) == ["region", "recipe", "year"]
    assert rows.keys.to_dict("list") == {"region": ["a"] * 4, "recipe": ["lean"] * 4,
                                         "year": years}
    assert list(rows.rhs) == [0.0] * 4
    share = {2026: 0.1, 2027: 0.2, 2028: 0.3, 2029: 0.3}
    got = {}
    for terms in rows.terms:
        for r, c, v in zip(terms.row, terms.position,
                           terms.coef * np.ones(len(terms.row)), strict=True):
            got[(years[r], act["process"].iat[c], int(act["year"].iat[c]))] = v
    want = {(y, "lean", y): 1 - s for y, s in share.items()}
    want |= {(y, "make", y): -s for y, s in share.items()}
    assert got == pytest.approx(want, rel=1e-12)


def test_a_recipe_at_full_share_has_no_adoption_row() -> None:
    # max_share blank = 1 and no adoption limit: s = 1, and the row would read
    # 0 x lean - make <= 0, true for every act >= 0: no row (docstring: s < 1).
    rows, _ = _rows(_full_share)
    assert len(rows.keys) == 0
    assert len(rows.rhs) == 0


def test_a_binding_adoption_cap_is_the_friction_that_sets_the_year(solve) -> None:
    # The first case: magnets are short every year (x < 100), the adoption row
    # binds in 2026-29 and no other friction (build rate, ramp-up, collection)
    # exists; the only other limit, the Dy mine's capacity, is no friction. By
    # rule 3 of model/results/frictions.py the adoption cap sets the (never
    # reached) year, at the stage of its recipe lean: magnet.
    t = solve(_case({"ready_year": 2026, "adoption_per_year": 0.1,
                     "max_share": 0.3}))
    (row,) = t["lead_times"].itertuples()
    assert (row.commodity, row.friction, row.friction_stage) == (
        "mag", "adoption", "magnet")


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


def test_adoption_rows_of_two_recipes_of_one_base() -> None:
    # _two_recipes: every year 2025-29 (no ready year, no adoption limit), a row
    # per recipe and year, its share taken of make's whole output (base and
    # both recipes), the recipe's own term 1 - s:
    #   (a, lean, y):   0.5 lean - 0.5 make - 0.5 leaner <= 0
    #   (a, leaner, y): 0.75 leaner - 0.25 make - 0.25 lean <= 0
    # rows in the act rows' order (region, process, year): lean, then leaner.
    ix = loaded_index(_two_recipes)
    rows = adoption_rows(ix)
    years = range(2025, 2030)
    assert list(rows.keys.itertuples(index=False, name=None)) == [
        ("a", q, y) for q in ("lean", "leaner") for y in years]
    assert rows.rhs.tolist() == [0.0] * 10
    coef = {"lean": {"lean": 0.5, "make": -0.5, "leaner": -0.5},
            "leaner": {"leaner": 0.75, "make": -0.25, "lean": -0.25}}
    want = {("a", q, y, "act", "a", p, y): c
            for q, terms in coef.items() for p, c in terms.items() for y in years}
    frames = {"act": (ix.act, ["region", "process", "year"])}
    assert row_terms(rows, ["region", "recipe", "year"], frames) == pytest.approx(
        want, rel=1e-12)
