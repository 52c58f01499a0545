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
    # the 13 tables of MODEL-SPEC §2, §7's uncertainty, §8.2's ramp_up and
    # build_limits, issue 14's eol_lifetimes, eol_history, eol_collection and
    # recipes, and §8.3's offtakes, price_floors and calibration (issue 15)
    assert len(files) == 23
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
    sales = run.tables["offtake_sales"]
    sold = sales[(sales["scenario"] == "baseline") & (sales["year"] == 2025)
                 & (sales["commodity"] == "ox_ndpr") & ~sales["buyer"].isin(scope)]
    # NdPr sold to buyers outside the alliance (Lynas to China) is not the
    # alliance's own supply
    own = (p["activity_t"] * p["coefficient"]).sum() - sold["quantity_t"].sum()
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


def test_decoupling_costs_more_than_baseline(run: RunResult) -> None:
    # brief §7: ex-China production costs more than China's market prices (capex of
    # new plants, US$20-40/kg magnet conversion vs US$10-20/kg in China): each unit
    # delivered costs more (MODEL-SPEC §8.1 delivered-cost premium). The supply-cost
    # premium cannot say so once the frictions leave a quarter of demand unmet: it
    # counts only what is bought (issue 14, docs/data.md §12).
    row = _summary(run).loc["decoupling"]
    assert row["delivered_cost_premium_pct"] > 0
    assert row["full_cost_premium_pct"] > 0  # the penalty included, it costs more too


def test_china_buys_through_offtakes_until_an_embargo_cuts_them(run: RunResult
                                                                ) -> None:
    # DATA-AUDIT b1/b5: China imported MP concentrate until MP's April-2025 halt
    # (12,673 t REO = 3 months of 2025's 50,692 t) and 3,261 t of Lynas NdPr in
    # 2024. Both are worth selling (MP: US$4,300/t against US$3,000 mining + 200
    # freight; Lynas: US$69/kg against the alliance's ~US$44/kg NdPr, DATA-AUDIT
    # b2), so the baseline sells both in full; decoupling's embargo on China from
    # 2026 leaves 2025 only; heavy_controls embargoes neither commodity.
    sales = run.tables["offtake_sales"]
    china = sales[sales["buyer"] == "china"]
    by = china.groupby(["scenario", "offtake", "year"])["quantity_t"].sum()
    for scenario in ("baseline", "heavy_controls"):
        assert by[(scenario, "mp_concentrate_china")].to_dict() == pytest.approx(
            {2025: 12673})
        assert by[(scenario, "lynas_ndpr_china")].to_dict() == pytest.approx(
            dict.fromkeys(range(2025, 2041), 3261))
    for scenario in ("decoupling", "delays", "high_demand", "members_only"):
        years = set(china.loc[china["scenario"] == scenario, "year"])
        assert years == {2025}, scenario


def test_mountain_pass_mines_for_china_in_2025(run: RunResult) -> None:
    # DATA-AUDIT finding 4: Mountain Pass mined 2,050 t REO in the old baseline
    # against 50,692 t observed in 2025; the concentrate China bought until April
    # (12,673 t) is now mined on top of what the alliance uses.
    prod = run.tables["production"]
    mp = prod[(prod["scenario"] == "baseline") & (prod["year"] == 2025)
              & (prod["region"] == "usa") & (prod["process"] == "mine_bastnasite")]
    assert mp["activity_t"].sum() >= 12673 - 1e-3


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
# 2026-12-01: issue 14, the default case uses the frictions of a real build-out
#   (docs/data.md §12): foresight none, ramp_up curves per stage, build_limits per
#   stage for the alliance and partner blocs (the 2010 crisis pace), hurdle rates
#   (19 % mining/separation, 15 % metal/alloy/magnets). Why each number moved:
#   - baseline: supply cost 57.02 -> 57.67 bn (+1.1 %): the hurdle rates raise the
#     annuity of its builds and the ramp curves cost the listed projects' first
#     years; it still meets all demand. Constraints 7116 -> 7251: the build_rate rows.
#   - decoupling, heavy_controls, delays, members_only: shortfall 122/47/175/134 kt
#     -> 351/153/399/382 kt and never self-sufficient by 2040 (was 2035, 2030, 2037,
#     never): no 2025 decision anticipates the embargo, new plants ramp, at most
#     ~17 kt of new magnet lines (and 4 % of each stage's world volume) a year
#     outside China, dearer capital; the Dy/Tb grade needs new mines and separation
#     and stays short. Supply-cost premiums turn negative (-16.0/-3.9/-19.9/-16.2 %)
#     because much less is bought; full-cost premiums +117/+66/+155/+126 % ->
#     +259/+148/+276/+267 %. Constraints +2,250 (foresight rows pinning 2025's
#     activity, flows and builds, and the build_rate rows).
#   - high_demand_china: premium 29.63 -> 29.47 % (the same frictions in both it
#     and the baseline; no shortfall). Constraints 7116 -> 7301 (build_rate rows).
#   - high_demand: now pinned before 2026 to high_demand_china (its compare_to), not
#     the baseline; shortfall 290 -> 607 kt, premium -7.3 -> -27.0 %, full cost
#     +198 -> +343 %.
# 2026-12-01: issue 15 (offtakes and price floors, MODEL-SPEC §8.3). China buys:
#   MP concentrate (12,673 t REO, 2025 only: the April-2025 halt) and Lynas NdPr
#   (3,261 t/yr from Malaysia); the DoD takes up to 7,000 t/yr of 10X magnets at
#   US$80.2/kg (2028-37) and Apple 1,000 t/yr at US$58/kg (2027-); the DoD-MP
#   US$110/kg NdPr floor (2025-34, <= 6,000 t/yr) is a transfer. The baseline now
#   makes what the offtakes take: its supply cost rises 57.02 -> 60.78 bn, with
#   5.44 bn of offtake revenue apart. Embargoes cut China's offtakes from 2026, so
#   the embargo scenarios make less and their supply-cost premium falls
#   (decoupling +0.81 % -> -1.98 %, full cost +116.9 % -> +107.0 %); the premium
#   net of offtake revenue (net_cost_premium_pct, MONEY below) is +2.54 %: losing
#   China costs the alliance its sales to China as well. Shortfall moves a little
#   in delays (175.2 -> 174.8 kt) and members_only (134.11 -> 134.06 kt) only.
#   Apple's offtake sells nothing in the baseline (US magnets cost more than
#   China's US$58/kg); LP sizes grow by the sale variables and offtake rows.
# 2026-12-01: issue 14 items 2-3 (recycling from the stock in use, recipes). EOL
#   collection is now at most a rate ceiling (1 % in 2025, +3 points a year, at most
#   50 %) of the scrap the stock in use releases (deliveries since 2000 over the
#   lifetimes of eol_lifetimes), instead of capacity alone; and the high-coercivity
#   grade may be made with a lean (3 % Dy + 0.5 % Tb) or a Tb-free (6 % Dy) recipe,
#   adopted 7 and 3 points of the grade's output a year (docs/data.md §12). The
#   recipes cut the baseline's Dy/Tb needs: its cost falls 2.7 % (57.02 -> 55.48 bn),
#   so every supply-cost premium falls. Decoupling: shortfall 121.9 -> 124.0 kt
#   (less recycled: collection 2.4 kt in 2027, 7 kt in 2031, against ~26 kt by 2030
#   before) but the self-sufficient year 2035 -> 2030 (the recipes alone give 2029
#   and 115.3 kt, the stock limit alone never and 153.3 kt: docs/data.md §12); heavy_controls 2030 (unchanged); members_only
#   never -> 2030; delays 2037 -> 2032; high_demand still never, its mostly-met year
#   never -> 2035. Sizes: + the recipes' activity
#   columns and their capacity and adoption rows, + the collection rows.
# 2026-12-01: issue 15 (calibrated base year, data corrections). Every number moves:
#   China's magnet offers at customs unit values (US$38.35/69.35 per kg, were 58/89)
#   make the China-supplied baseline cheaper (57.0 -> 44.5 bn) and decoupling's
#   premium +0.8 % -> +22.2 % (Energy Fuels Phase 2 at its published capex, built in
#   decoupling 2033-36, takes 0.05 points off); US magnet demand x 0.8 cuts its
#   shortfall 121.9 -> 113.2 kt and brings its self-sufficient year 2035 -> 2030;
#   the US NDS stock at 0 (fewer stock rows: baseline 39,063 -> 38,935 variables);
#   7 calibration rows held in the baseline (14 rows less the empty ones, 7,066
#   constraints; other scenarios have none and lose the NDS stock rows).

# 2026-12-01: all of the above together (frictions, recycling from stock and
#   recipes, offtakes and floors, calibration and corrections; high_demand now
#   builds on high_demand_china, so its 2025 world is its comparator's, as foresight
#   none requires). The frictions compound: NdPr metal is the binding stage in
#   decoupling (dual ~US$1.3 m per tpa in 2028; new metal lines are limited to
#   2.6 + 3.0 kt a year, ramp to 50 % in their first year and carry a 15 % hurdle
#   rate), so standard magnets stay ~20 kt a year short into the late 2030s and
#   decoupling, delays, high_demand and members_only are never self-sufficient by
#   2040; heavy_controls from 2036. With China's magnets at customs unit values the
#   baseline costs 47.3 bn. Net of offtake revenue decoupling now costs less than
#   the baseline (-7.5 %) for the same reason as the supply cost: a third of demand
#   by value is never bought; per unit delivered it costs +22.9 %. The plausibility
#   test "Dy/Tb-bearing magnets no earlier than standard magnets" is gone: it assumed
#   Dy/Tb bind; now NdPr metal binds both grades and the LP serves the dearer
#   high-coercivity grade first (met 2038, standard magnets never by 2040).
# 2026-12-01: issue 18 (sweeps): foresight none fixes the decisions before the
#   shock year as column bounds (lower = upper = the comparator's value), not as
#   one row each. Every answer is unchanged; the constraint counts drop by the
#   fixed variables (the pre-2026 act, flow and release columns and the builds
#   decided before 2026): 2,122 in decoupling, heavy_controls, delays, high_demand
#   and members_only, 50 in high_demand_china (counted with
#   foresight.pin_to_comparator on each scenario's index). Variables unchanged.
EXPECTED = {
    # scenario: (total_cost_usd, cost_premium_pct, shortfall_t, self_sufficient_year,
    #            variables, constraints, full_cost_premium_pct, unmet_share_pct,
    #            mostly_met_year)
    "baseline": (47254330030.0, 0.0,
        0.0, 2025, 39322, 8022, 0.0, 0.0, 2025),
    "decoupling": (38538967690.0, -18.44352113,
        484191.0922, None, 37117, 7993, 382.1706315, 33.63609153, None),
    "heavy_controls": (46710797470.0, -1.150228059,
        99641.16691, 2036, 38257, 8008, 137.7175795, 11.76391196, 2036),
    "delays": (35733806160.0, -24.37982692,
        577360.5626, None, 36921, 7923, 422.3345246, 37.47512908, None),
    "high_demand_china": (58912629180.0, 24.67138808,
        0.0, 2025, 39322, 8008, 24.67138808, 0.0, 2025),
    "high_demand": (40154875650.0, -31.83995315,
        864102.9176, None, 37117, 7993, 533.3875597, 45.85165103, None),
    "members_only": (38485350700.0, -18.55698583,
        514594.5733, None, 37117, 8008, 396.2957958, 34.7599847, None),
}
MONEY = {
    # scenario: (net_cost_premium_pct, transfers_usd, offtake_revenue_usd)
    "baseline": (0.0, 205730230.2, 5877838070.0),
    "decoupling": (-7.533328768, 1366134262.0, 279502900.0),
    # heavy_controls' floor payments are 1,309.07 M USD with the default method
    # (dual simplex at this size) against 1,308.20 M with IPX: an alternative
    # optimum, same cost and shortfall, whose output splits across regions differ
    # where the floors pay (docs/performance.md, "HiGHS method")
    "heavy_controls": (-1.301402267, 1309069077.0, 5872780112.0),
    "delays": (-14.3129309, 1314649056.0, 279502900.0),
    "high_demand_china": (28.17614204, 109825826.0, 5877838070.0),
    "high_demand": (-24.81280322, 1270630910.0, 279502900.0),
    "members_only": (-7.66291198, 1408461093.0, 279502900.0),
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
    net, floors, revenue = MONEY[scenario]
    assert row["net_cost_premium_pct"] == pytest.approx(net, rel=COST_RTOL, abs=1e-6)
    assert row["transfers_usd"] == pytest.approx(floors, rel=COST_RTOL)
    assert row["offtake_revenue_usd"] == pytest.approx(revenue, rel=COST_RTOL)


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
