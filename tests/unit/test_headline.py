"""MODEL-SPEC §8.1 metric functions on hand-built frames (results/headline.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from model.data.case import load_case
from model.errors import InputError
from model.results import headline
from tests.helpers import mine, one_commodity, settings, write_case

YEARS = [2025, 2026, 2027, 2028]


def _yearly(unmet: list[float], value: float = 1000.0) -> pd.DataFrame:
    return pd.DataFrame({"year": YEARS, "demand_value_usd": value,
                         "unmet_reference_usd": unmet})


def test_mostly_met_ignores_a_blip_within_the_tolerance() -> None:
    # 2025 half unmet (500 of 1000), 2026 met, 2027 a 0.3 % blip (3 of 1000), 2028
    # met. Tolerance 1 %: the blip counts as met → mostly met from 2026. The strict
    # rule (tolerance 0.1 %) would have to wait for 2028.
    frame = _yearly([500, 0, 3, 0])
    assert headline.mostly_met_year(frame, 0.01, YEARS) == 2026
    assert headline.mostly_met_year(frame, 0.001, YEARS) == 2028
    # short in the last year → never
    assert headline.mostly_met_year(_yearly([0, 0, 0, 20]), 0.01, YEARS) is None


def test_a_year_without_demand_counts_as_mostly_met() -> None:
    # 2027 has no row at all (no demand that year) and the frame carries the text
    # column scenario, as value_met_by_year gives it: the missing year is filled
    # with 0 value and 0 unmet (met); 2025 is 500 of 1000 short, so mostly met
    # from 2026. Under pandas 3 the 0.0 fill of the text column raised TypeError.
    frame = pd.DataFrame({"scenario": "cut", "year": [2025, 2026, 2028],
                          "demand_value_usd": 1000.0,
                          "unmet_reference_usd": [500.0, 0.0, 0.0]})
    frame["scenario"] = frame["scenario"].astype("str")
    assert headline.mostly_met_year(frame, 0.01, YEARS) == 2026


def test_worst_year_is_the_largest_share_of_value_unmet() -> None:
    # shares 10 %, 30 %, 30 %, 0 %: the first of the two largest → 2026, 30 %
    year, share = headline.worst_year(_yearly([100, 300, 300, 0]))
    assert (year, share) == (2026, pytest.approx(30.0))
    assert headline.worst_year(_yearly([0, 0, 0, 0])) == (None, 0.0)


def test_values_are_discounted_like_cost() -> None:
    # 10 t demand of ox at 100 USD/t in 2025 and 2026, 4 t short in 2026; rate 10 %:
    # demand value 1000 + 1000/1.1 = 1909.0909; unmet 400/1.1 = 363.6364 (reference)
    # and 4 x 1000 / 1.1 = 3636.3636 (penalty 1000)
    short = pd.DataFrame({"scenario": "s", "region": "a", "commodity": "ox",
                          "year": [2025, 2026], "demand_t": 10.0,
                          "shortfall_t": [0.0, 4.0]})
    commodities = pd.DataFrame({"commodity": ["ox"], "kind": ["oxide"],
                                "reference_price_usd_per_t": [100.0],
                                "shortfall_penalty_usd_per_t": [1000.0]})
    settings_ = headline.HeadlineSettings(2025, 2026, 0.1)
    priced = headline.priced_shortfall(short, commodities, {"a"}, settings_)
    sums = headline.value_columns(priced, ["scenario"]).iloc[0]
    assert sums["demand_value_usd"] == pytest.approx(1000 + 1000 / 1.1)
    assert sums["unmet_reference_usd"] == pytest.approx(400 / 1.1)
    assert sums["unmet_value_usd"] == pytest.approx(4000 / 1.1)
    # the year view is in that year's money: 2026 met 60 % (600 of 1000)
    yearly = headline.value_met_by_year(priced).set_index("year")
    assert yearly.loc[2026, "met_pct"] == pytest.approx(60.0)
    assert yearly.loc[2026, "demand_value_usd"] == pytest.approx(1000.0)
    # a region outside the scope is left out
    assert headline.priced_shortfall(short, commodities, {"b"}, settings_).empty


def _chain() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    commodities = pd.DataFrame({
        "commodity": ["ox_n", "ox_d", "met_n", "mag", "mag_h", "scrap"],
        "kind": ["oxide", "oxide", "metal", "magnet", "magnet", "scrap"],
        "element": ["N", "D", "N", "N", "N", "N"]})
    processes = pd.DataFrame({"process": ["metal", "magnet", "upgrade", "buy_mag",
                                          "recycle"],
                              "stage": ["metal", "magnet", "magnet", "market",
                                        "recycling"]})
    io = pd.DataFrame([
        ("metal", "ox_n", "in", 1.25), ("metal", "met_n", "out", 1),
        ("magnet", "met_n", "in", 0.4), ("magnet", "mag", "out", 1),
        ("magnet", "scrap", "out", 0.5),
        ("upgrade", "mag", "in", 1), ("upgrade", "ox_d", "in", 0.05),
        ("upgrade", "mag_h", "out", 1),
        ("buy_mag", "mag", "out", 1),
        ("recycle", "scrap", "in", 1), ("recycle", "ox_n", "out", 0.3)],
        columns=["process", "commodity", "direction", "coefficient"])
    return io, processes, commodities


def test_element_content_follows_the_primary_route() -> None:
    # metal: 1.25 t ox_n per t; magnet: 0.4 t metal → 0.4 x 1.25 = 0.5 t N oxide
    # (the swarf co-product carries none; the market purchase is no route);
    # mag_h: one magnet (0.5 t N) + 0.05 t D oxide.
    io, processes, commodities = _chain()
    content = headline.element_content(io, processes, commodities)
    got = {(c, e): t for c, e, t in content.itertuples(index=False, name=None)}
    assert got[("mag", "N")] == pytest.approx(0.5)
    assert got[("mag_h", "N")] == pytest.approx(0.5)
    assert got[("mag_h", "D")] == pytest.approx(0.05)
    assert got[("met_n", "N")] == pytest.approx(1.25)
    assert got[("ox_d", "D")] == 1.0
    # scrap is made by no primary process (only as a co-product, which counts):
    # it takes the magnet process's inputs per t of scrap, 0.4 / 0.5 x 1.25 = 1.0
    assert got[("scrap", "N")] == pytest.approx(1.0)


def test_kpi_by_element_and_group_by_hand() -> None:
    # 10 t of mag_h short out of 40 t, 20 t of ox_d short out of 100 t:
    # N: 0.5 x 10 = 5 of 0.5 x 40 = 20 t (25 %); D: 0.05 x 10 + 20 = 20.5 of
    # 0.05 x 40 + 100 = 102 t.
    io, processes, commodities = _chain()
    content = headline.element_content(io, processes, commodities)
    short = pd.DataFrame({"scenario": "s", "region": "a",
                          "commodity": ["mag_h", "ox_d"], "year": 2025,
                          "demand_t": [40.0, 100.0], "shortfall_t": [10.0, 20.0]})
    element = headline.kpi_by_element(short, content, {"a"}).set_index("element")
    assert element.loc["N", "shortfall_oxide_t"] == pytest.approx(5.0)
    assert element.loc["N", "shortfall_pct"] == pytest.approx(25.0)
    assert element.loc["D", "shortfall_oxide_t"] == pytest.approx(20.5)
    assert element.loc["D", "demand_oxide_t"] == pytest.approx(102.0)
    # groups by kind: magnets 10 of 40 t, oxides 20 of 100 t; with prices 50 and 1
    # USD/t: magnet value 2000, unmet 500 (25 %); oxide 100, unmet 20 (20 %)
    priced_in = commodities.assign(reference_price_usd_per_t=[0, 1, 0, 0, 50, 0],
                                   shortfall_penalty_usd_per_t=1.0)
    priced = headline.priced_shortfall(short, priced_in, {"a"},
                                       headline.HeadlineSettings(2025, 2025, 0.0))
    group = headline.kpi_by_group(priced, commodities).set_index("group")
    assert group.loc["magnet", "shortfall_pct"] == pytest.approx(25.0)
    assert group.loc["magnet", "unmet_reference_usd"] == pytest.approx(500.0)
    assert group.loc["oxide", "unmet_share_pct"] == pytest.approx(20.0)


# ------------------------------------------------------------------ compare_to input


def _scenario_case(folder: Path, rows: list[dict[str, object]]) -> Path:
    proc, out = mine()
    return write_case(folder, {
        "settings": settings(2025, 2026),
        "regions": [{"region": "a", "bloc": "alliance"}],
        "commodities": one_commodity(), "processes": [proc], "process_io": [out],
        "capacity": [{"region": "a", "process": "mine", "capacity_tpa": 10}],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 1}],
        "scenarios": rows})


def _messages(path: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        load_case(path)
    return [str(p) for p in info.value.problems]


def test_unknown_compare_to_is_bad_input(tmp_path: Path) -> None:
    path = _scenario_case(tmp_path, [
        {"scenario": "base", "is_baseline": "true"},
        {"scenario": "b", "is_baseline": "false", "compare_to": "nope"}])
    (message,) = _messages(path)
    assert "[scenarios] row 3, column compare_to" in message
    assert "'nope'" in message


def test_circular_comparisons_are_bad_input(tmp_path: Path) -> None:
    path = _scenario_case(tmp_path, [
        {"scenario": "base", "is_baseline": "true"},
        {"scenario": "b", "is_baseline": "false", "compare_to": "c"},
        {"scenario": "c", "is_baseline": "false", "compare_to": "b"},
        {"scenario": "d", "is_baseline": "false", "compare_to": "d"}])
    messages = _messages(path)
    assert len(messages) == 3
    assert "row 3, column compare_to: 'c': the comparisons go round in a circle " \
        "(b -> c -> b)" in messages[0]
    assert "row 5, column compare_to: 'd'" in messages[2]


def test_baseline_with_a_comparator_is_bad_input(tmp_path: Path) -> None:
    path = _scenario_case(tmp_path, [
        {"scenario": "base", "is_baseline": "true", "compare_to": "b"},
        {"scenario": "b", "is_baseline": "false"}])
    (message,) = _messages(path)
    assert "row 2, column compare_to: 'b': the baseline is compared with nobody" \
        in message


def test_headline_settings_are_checked(tmp_path: Path) -> None:
    path = _scenario_case(tmp_path, [{"scenario": "base", "is_baseline": "true"}])
    extra = "steady_years,0\nmostly_met_tolerance,1.5\n"
    with open(path / "settings.csv", "a", encoding="utf-8") as handle:
        handle.write(extra)
    messages = _messages(path)
    assert any("steady_years must be a whole number of years >= 1" in m
               and "column value" in m for m in messages)
    assert any("mostly_met_tolerance must be a fraction in [0, 1)" in m
               for m in messages)


def test_worst_year_edges_of_the_share() -> None:
    # 2025 has no demand value (0 unmet of 0: no share, counted as 0 %), 2026 is
    # met (0 of 100): no year falls short → (None, 0).
    frame = pd.DataFrame({"year": [2025, 2026], "demand_value_usd": [0.0, 100.0],
                          "unmet_reference_usd": [0.0, 0.0]})
    assert headline.worst_year(frame) == (None, 0.0)
    # a demand value below 1 USD still counts: 0.25 of 0.5 unmet → 50 % in 2026
    frame = pd.DataFrame({"year": [2025, 2026], "demand_value_usd": [0.0, 0.5],
                          "unmet_reference_usd": [0.0, 0.25]})
    assert headline.worst_year(frame) == (2026, 50.0)


def test_mostly_met_counts_years_missing_from_the_frame_as_met() -> None:
    # rows for 2026 (50 of 100 unmet) and 2027 (met) only: 2025 and 2028 have no
    # demand and count as met, so the last year not mostly met is 2026 → 2027.
    frame = pd.DataFrame({"year": [2026, 2027], "demand_value_usd": [100.0, 100.0],
                          "unmet_reference_usd": [50.0, 0.0]})
    assert headline.mostly_met_year(frame, 0.01, YEARS) == 2027
