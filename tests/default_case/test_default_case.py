"""The bundled default case (inputs/default): loads, solves, is sourced and plausible.

One solve of every scenario for the package (fixture in conftest.py, into a tmp
dir). The plausibility expectations come from the data brief (DATA-BRIEF.md, as
summarised in docs/data.md), never from the solve itself; each says why. The
headline ledger at the end is a regression record only: what backs each of its
numbers independently is said there (and tested in test_independent_checks.py).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd
import pytest

from model.pipeline import RunResult
from tests.default_case.conftest import CASE
from tests.default_case.readme_section import END, START, readme_block, render

README = Path(__file__).resolve().parents[2] / "README.md"

STANDARD, HEAVY = "magnet_ndfeb", "magnet_ndfeb_h"
MAGNETS = (STANDARD, HEAVY)
# t NdPr oxide per t of each form (docs/data.md: 0.85 x 0.95 oxide->metal; 0.306 t
# metal per t alloy; 1.43 t alloy per t magnet)
NDPR_OXIDE_EQ = {"ox_ndpr": 1.0, "metal_ndpr": 1 / 0.8075,
                 "alloy_ndfeb": 0.306 / 0.8075,
                 STANDARD: 1.4286 * 0.306 / 0.8075, HEAVY: 1.4286 * 0.306 / 0.8075}


def _summary(run: RunResult) -> pd.DataFrame:
    return run.tables["summary"].set_index("scenario")


def _year(value: object) -> float:
    """A self-sufficient year; blank (never) counts as +inf."""
    if value is None or pd.isna(value) or value == "":
        return math.inf
    return float(value)


def _kpi_year(run: RunResult, scenario: str, commodity: str) -> float:
    kpi = run.tables["kpi_by_commodity"]
    row = kpi[(kpi["scenario"] == scenario) & (kpi["commodity"] == commodity)]
    return _year(row["self_sufficient_year"].iloc[0])


def _objective(run: RunResult, scenario: str) -> float:
    return next(s.objective for s in run.scenarios if s.name == scenario)


# ------------------------------------------------------------------ loads, sourced


def test_every_row_of_every_table_has_a_source() -> None:
    # issue 3: every number carries its source (brief tag + document) on its row
    files = sorted(CASE.glob("*.csv"))
    # the 13 tables of MODEL-SPEC §2, §7's uncertainty and §8.3's calibration
    assert len(files) == 15
    for path in files:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert rows, path.name
        assert "source" in rows[0], f"{path.name} has no source column"
        blank = [i + 2 for i, row in enumerate(rows)
                 if not (row["source"] or "").strip()]
        assert not blank, f"{path.name}: rows {blank[:10]} have no source"


def test_runs_every_default_scenario_to_optimality(run: RunResult) -> None:
    # an "it runs" check: names and solver status only (numbers: see below)
    summary = _summary(run)
    assert list(summary.index) == ["baseline", "decoupling", "heavy_controls", "delays",
                                   "high_demand_china", "high_demand", "members_only"]
    assert (summary["status"] == "optimal").all()


def test_lp_stays_moderate(run: RunResult) -> None:
    # the task's size budget: well under ~150k variables per scenario
    for result in run.scenarios:
        assert result.size["variables"] < 150_000, result.name


# ------------------------------------------------------------------ plausibility


def test_baseline_meets_all_demand(run: RunResult) -> None:
    # the baseline is today's China-supplied world: demand is met (brief §0, §4)
    row = _summary(run).loc["baseline"]
    assert row["shortfall_t"] <= 0.001 * row["demand_t"]
    assert _year(row["self_sufficient_year"]) == 2025


def test_baseline_china_supplies_most_magnets_in_2025(run: RunResult,
                                                      scope: set[str]) -> None:
    # brief §0/§4: China makes 94% of the world's sintered magnets and exported 58 kt
    # in 2024, against ~64 kt of alliance demand (EU 20 kt, US ~10 kt from China, ...);
    # ex-China plants (~6% of ~320 kt, mostly in Japan/Vietnam/Korea) sit inside the
    # alliance, so China's share of the alliance's magnets is ~70-75%, not 94%.
    flows = run.tables["flows"]
    short = run.tables["shortfall"]
    f = flows[(flows["scenario"] == "baseline") & (flows["year"] == 2025)
              & (flows["origin"] == "china") & flows["destination"].isin(scope)
              & flows["commodity"].isin(MAGNETS)]
    d = short[(short["scenario"] == "baseline") & (short["year"] == 2025)
              & short["commodity"].isin(MAGNETS)]
    share = f["quantity_t"].sum() / d["demand_t"].sum()
    assert share >= 0.6, f"China supplies only {share:.0%} of the alliance's magnets"


def test_baseline_china_supplies_most_ndpr_in_2025(run: RunResult, scope: set[str]
                                                   ) -> None:
    # brief §3: China separates ~91-92% of the world's REO and ~106 of ~115 kt NdPr
    # oxide; the alliance's own separation (Lynas ~6.6 kt, MP ~2.6 kt, others ~1.5 kt)
    # is small against the ~25 kt NdPr-equivalent in China's exports to it, so China
    # supplies well over half of the NdPr the alliance uses (oxide, metal, alloy or
    # inside magnets, counted as NdPr oxide equivalent).
    flows = run.tables["flows"]
    prod = run.tables["production"]
    f = flows[(flows["scenario"] == "baseline") & (flows["year"] == 2025)
              & (flows["origin"] == "china") & flows["destination"].isin(scope)]
    china = sum(f.loc[f["commodity"] == c, "quantity_t"].sum() * k
                for c, k in NDPR_OXIDE_EQ.items())
    io = run.case.table("process_io")
    ndpr_out = io[(io["commodity"] == "ox_ndpr") & (io["direction"] == "out")]
    p = prod[(prod["scenario"] == "baseline") & (prod["year"] == 2025)
             & prod["region"].isin(scope)].merge(ndpr_out, on="process")
    own = (p["activity_t"] * p["coefficient"]).sum()
    share = china / (china + own)
    assert share >= 0.6, f"China supplies only {share:.0%} of the alliance's NdPr"


# Observed 2025 dependence on China that the calibrated baseline must reproduce
# (issue 15), as bands: the observed value (or range) ± the case's 10 % tolerance.
# NdPr: "~85-90 %" upstream (issue 15 / DATA-AUDIT finding 4; IEA: China 92 % of
# refining in 2023, via SEAISI 3 Jun 2024; REEx 20 Jul 2025: China 85-90 % of
# magnet output) -> [0.85 x 0.9, 0.90 x 1.1]. Dy, Tb: the West 99 % dependent on
# China for heavy-RE processing in 2024 (Benchmark via CRBC News) and Japan took
# 100 % of its heavy REs from China in 2024 (TrendForce citing Nikkei / METI)
# -> [0.99 x 0.9, 1].
OBSERVED_2025_SHARE = {"NdPr": (0.85 * 0.9, 0.90 * 1.1), "Dy": (0.99 * 0.9, 1.0),
                       "Tb": (0.99 * 0.9, 1.0)}


@pytest.mark.parametrize("element", list(OBSERVED_2025_SHARE))
def test_baseline_2025_china_content_matches_observed_dependence(
        run: RunResult, scope: set[str], element: str) -> None:
    # China's traced share of the element delivered to alliance and partner demand
    # in 2025: Σ element_t × china_share / Σ element_t over the scope's rows.
    cc = run.tables["china_content"]
    rows = cc[(cc["scenario"] == "baseline") & (cc["year"] == 2025)
              & (cc["element"] == element) & cc["region"].isin(scope)]
    share = (rows["element_t"] * rows["china_share"]).sum() / rows["element_t"].sum()
    low, high = OBSERVED_2025_SHARE[element]
    assert low <= share <= high, f"{element}: China {share:.1%}, observed band " \
        f"{low:.1%}-{high:.1%}"


def test_baseline_holds_every_calibration_row(run: RunResult) -> None:
    # MODEL-SPEC §8.3: one calibration_fit row per row of calibration.csv, all in the
    # baseline, each within its tolerance (gap = (model - observed) / observed).
    calibration = pd.read_csv(CASE / "calibration.csv")
    fit = run.tables["calibration_fit"]
    assert len(fit) == len(calibration) and set(fit["scenario"]) == {"baseline"}
    gap = 100 * (fit["model"] - fit["observed"]) / fit["observed"]
    assert gap.to_numpy() == pytest.approx(fit["gap_pct"].to_numpy())
    assert (gap.abs() <= fit["tolerance_pct"] + 1e-6).all()


def test_decoupling_falls_short_in_2026(run: RunResult) -> None:
    # brief §3/§5a: ex-China separation and magnet capacity is a fraction of alliance
    # demand and new plants take years (§8); IEA: without the largest supplier the rest
    # covers only 35-40% of 2035 demand. Cutting China off in 2026 must leave a gap.
    short = run.tables["shortfall"]
    s = short[(short["scenario"] == "decoupling") & (short["year"] == 2026)]
    assert s["shortfall_t"].sum() > 0.05 * s["demand_t"].sum()


def test_decoupling_heavy_elements_no_earlier_than_ndpr(run: RunResult) -> None:
    # brief §2/§11 (co-production): Dy/Tb are a few % or less of most baskets and ~99%
    # of heavy separation is Chinese (§3), so Dy/Tb-bearing magnets cannot be met
    # before standard (NdPr-only) magnets.
    assert _kpi_year(run, "decoupling", HEAVY) >= _kpi_year(run, "decoupling", STANDARD)


def test_decoupling_costs_more_than_baseline(run: RunResult) -> None:
    # brief §7: ex-China production costs more than China's market prices (capex of
    # new plants, US$20-40/kg magnet conversion vs US$10-20/kg in China)
    assert _summary(run).loc["decoupling", "cost_premium_pct"] > 0


def test_delays_never_earlier_than_decoupling(run: RunResult) -> None:
    # delays = decoupling + 2 years on mining and separation lead times: nothing can
    # come sooner
    summary = _summary(run)
    assert (_year(summary.loc["delays", "self_sufficient_year"])
            >= _year(summary.loc["decoupling", "self_sufficient_year"]))
    for commodity in run.tables["kpi_by_commodity"]["commodity"].unique():
        assert (_kpi_year(run, "delays", commodity)
                >= _kpi_year(run, "decoupling", commodity)), commodity


@pytest.mark.parametrize("scenario", ["delays", "high_demand", "members_only"])
def test_restricted_scenarios_cost_at_least_decoupling(run: RunResult, scenario: str
                                                       ) -> None:
    # each adds a restriction (later builds, more demand, fewer suppliers) to
    # decoupling, so its optimal objective (cost + penalty) cannot be lower
    assert _objective(run, scenario) >= _objective(run, "decoupling") * (1 - 1e-7)


def test_heavy_controls_no_worse_than_decoupling(run: RunResult) -> None:
    # heavy_controls embargoes a subset of what decoupling embargoes
    heavy = _objective(run, "heavy_controls")
    assert heavy <= _objective(run, "decoupling") * (1 + 1e-7)
    assert _objective(run, "baseline") <= heavy * (1 + 1e-7)


def test_high_demand_is_compared_with_the_same_demand_from_china(run: RunResult
                                                                ) -> None:
    # MODEL-SPEC §8.1 compare_to: with China still supplying, the extra magnet demand
    # is met (China's offers grow with it, as the baseline's grow with demand), so
    # high_demand's premium measures the loss of China, not 30 % more magnets.
    summary = _summary(run)
    assert summary.loc["high_demand", "compare_to"] == "high_demand_china"
    assert summary.loc["high_demand_china", "shortfall_t"] <= 1e-3
    assert (summary.loc["high_demand_china", "demand_t"]
            == pytest.approx(summary.loc["high_demand", "demand_t"]))
    premium = (summary.loc["high_demand", "total_cost_usd"]
               / summary.loc["high_demand_china", "total_cost_usd"] - 1) * 100
    assert summary.loc["high_demand", "cost_premium_pct"] == pytest.approx(premium)


@pytest.mark.parametrize("scenario", ["decoupling", "heavy_controls", "delays",
                                      "high_demand", "members_only"])
def test_full_cost_premium_does_not_reward_shortfall(run: RunResult, scenario: str
                                                     ) -> None:
    # §8.1: a scenario whose options are a subset of its comparator's never has the
    # smaller full cost; and delays (decoupling with later builds) must cost more in
    # full than decoupling, whatever its supply-cost premium says.
    summary = _summary(run)
    assert summary.loc[scenario, "full_cost_premium_pct"] > 0
    if scenario == "delays":
        assert (summary.loc["delays", "full_cost_usd"]
                > summary.loc["decoupling", "full_cost_usd"])


# ------------------------------------------------------------------ regression ledger
# REGRESSION LEDGER, not a derivation: the numbers below are what the model said
# when they were recorded; they catch a change, not an error. Each is also backed by
# a check whose expected value is derived independently of the solve's reporting:
# - total_cost_usd: = the solver's objective minus the shortfall penalty recomputed
#   from the shortfall and the inputs; its variable, transport and tariff parts
#   recomputed from activity, flows and input prices
#   (test_independent_checks.py::test_total_cost_is_objective_less_penalty,
#   ::test_cost_categories_from_decisions_and_input_prices), and the cost table =
#   objective in every run (model/results/checks.py, tested in
#   tests/results/test_checks_broken.py);
# - cost_premium_pct: recomputed from the costs against the flagged baseline
#   (::test_premium_from_costs); the rule itself by hand in
#   tests/formulation/test_mutation_classes.py::test_premium_is_measured_against_...;
# - shortfall_t: rebuilt from the balance with demand interpolated from demand.csv
#   and the scenario's scale rules (::test_scope_shortfall_from_the_balance);
# - self_sufficient_year: the §4 rule re-implemented as a plain loop over the
#   rebuilt shortfall, with the case's tolerance (::test_self_sufficient_year_by_rule);
# - variables, constraints: LP size, a pure regression guard on the sparsity of the
#   formulation (no independent value; tests/perf/test_matrix.py checks both builders
#   give the same LP).
# - full_cost_premium_pct, unmet_share_pct, mostly_met_year (§8.1): the rules derived
#   by hand on tiny cases in tests/unit/test_headline_case.py and test_headline.py;
#   full cost > its comparator's for every restricted scenario (above).
# Ledger (one dated line per change of expected values):
# 2026-11-29: first recording, default case v1 (issue 3).
# 2026-12-01: issue 13. New scenario high_demand_china (high_demand's demand, China
#   supplying; its own size = the baseline's, as it adds only scale rules);
#   high_demand is now compared with it (compare_to), so its cost premium moves from
#   +20.2 % (against the baseline, mostly the cost of 30 % more magnets) to -7.3 %
#   (against the same demand with China: cheaper only because 20 % of demand value
#   goes unmet). Every other number is unchanged. Added the §8.1 full-cost premium,
#   unmet share of demand value and mostly-met year (values of this solve).
# 2026-12-01: issue 15 (calibrated base year, data corrections). Every number moves:
#   China's magnet offers at customs unit values (US$38.35/69.35 per kg, were 58/89)
#   make the China-supplied baseline cheaper (57.0 -> 44.5 bn) and decoupling's
#   premium +0.8 % -> +22.2 % (Energy Fuels Phase 2 at its published capex, built in
#   decoupling 2033-36, takes 0.05 points off); US magnet demand x 0.8 cuts its
#   shortfall 121.9 -> 113.2 kt and brings its self-sufficient year 2035 -> 2030;
#   the US NDS stock at 0 (fewer stock rows: baseline 39,063 -> 38,935 variables);
#   7 calibration rows held in the baseline (14 rows less the empty ones, 7,066
#   constraints; other scenarios have none and lose the NDS stock rows).

EXPECTED = {
    # scenario: (total_cost_usd, cost_premium_pct, shortfall_t, self_sufficient_year,
    #            variables, constraints, full_cost_premium_pct, unmet_share_pct,
    #            mostly_met_year)
    "baseline": (44524338420.0, 0.0,
        0.0, 2025, 38935, 7066, 0.0, 0.0, 2025),
    "decoupling": (54427332840.0, 22.24175536,
        113177.0154, 2030, 36760, 7052, 158.1406422, 10.73490925, 2030),
    "heavy_controls": (53124491770.0, 19.31562299,
        44119.0765, 2030, 37870, 7052, 93.31733088, 5.906739185, 2030),
    "delays": (51977299990.0, 16.73907314,
        159341.3937, 2037, 36564, 6990, 200.2316863, 14.48729538, 2037),
    "high_demand_china": (56055532050.0, 25.89862992,
        0.0, 2025, 38935, 7052, 25.89862992, 0.0, 2025),
    "high_demand": (65879241700.0, 17.52496015,
        260366.6982, None, 36760, 7052, 261.7455139, 18.87991315, None),
    "members_only": (55979623200.0, 25.72814149,
        123828.473, None, 36760, 7067, 169.0702725, 11.30060022, 2030),
}
COST_RTOL = 1e-6
SHORT_RTOL = 1e-4


@pytest.mark.parametrize("scenario", list(EXPECTED))
def test_headline_numbers_regression_ledger(run: RunResult, scenario: str) -> None:
    (cost, premium, short, year, variables, constraints, full, unmet,
     mostly) = EXPECTED[scenario]
    row = _summary(run).loc[scenario]
    assert row["full_cost_premium_pct"] == pytest.approx(full, rel=COST_RTOL, abs=1e-6)
    assert row["unmet_share_pct"] == pytest.approx(unmet, rel=SHORT_RTOL, abs=1e-6)
    assert _year(row["mostly_met_year"]) == _year(mostly)
    assert row["total_cost_usd"] == pytest.approx(cost, rel=COST_RTOL)
    assert row["cost_premium_pct"] == pytest.approx(premium, rel=COST_RTOL, abs=1e-6)
    assert row["shortfall_t"] == pytest.approx(short, rel=SHORT_RTOL, abs=1e-3)
    assert _year(row["self_sufficient_year"]) == _year(year)
    size = next(s.size for s in run.scenarios if s.name == scenario)
    assert (size["variables"], size["constraints"]) == (variables, constraints)


# ------------------------------------------------------------------ README


def test_readme_section_matches_a_fresh_solve(run: RunResult) -> None:
    # README's "What the default case says" must be what the model says today.
    # Regenerate: python -m tests.default_case.readme_section outputs/default
    fresh = render(run.tables, run.case)
    current = readme_block(README.read_text(encoding="utf-8"))
    assert current is not None, (
        f"README.md has no {START} ... {END} section; paste the output of "
        "python -m tests.default_case.readme_section")
    assert current == fresh


def test_readme_section_renders_the_same_from_csv(run: RunResult) -> None:
    # the regeneration command reads tables/*.csv: it must give the same text
    from tests.default_case.readme_section import read_tables
    assert render(read_tables(run.out_dir), run.case) == render(run.tables, run.case)
