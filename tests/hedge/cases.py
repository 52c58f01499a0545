"""Small hedging and frontier cases, each solved by hand in its docstring."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import settings, write_case


def early_build_case(folder: Path, lead: int = 1, fom: float = 200.0,
                     p_embargo: float = 0.5, china_tpa: float = 10.0,
                     demand: float = 10.0, mine_cost: float = 150.0,
                     china_cost: float = 100.0) -> Path:
    r"""A domestic mine that pays only under an embargo from 2026.

    Years 2025-2026, rate 0. Demand of ``ox`` in ``home`` (alliance): 10 t a year;
    price 100, penalty 1000 US$/t. China (``cn``) sells up to 10 t a year at 100
    (route cost 0). The mine: lead time ``lead``, fixed O&M ``fom`` per tpa a year
    in service, 150 US$/t to run. Scenarios: baseline (no rules), embargo on
    China from 2026, with probabilities 1 − p and p.
    """
    return write_case(folder, {
        "settings": settings(2025, 2026, 0.0),
        "regions": [{"region": "home", "bloc": "alliance"},
                    {"region": "cn", "bloc": "china"}],
        "commodities": [{"commodity": "ox", "kind": "oxide",
                         "reference_price_usd_per_t": 100,
                         "shortfall_penalty_usd_per_t": 1000}],
        "processes": [
            {"process": "buy_cn", "stage": "market", "lead_time_years": 0,
             "lifetime_years": 30, "variable_cost_usd_per_t": china_cost},
            {"process": "mine", "stage": "mining", "lead_time_years": lead,
             "lifetime_years": 30, "fixed_om_usd_per_tpa": fom,
             "variable_cost_usd_per_t": mine_cost}],
        "process_io": [
            {"process": "buy_cn", "commodity": "ox", "direction": "out",
             "coefficient": 1},
            {"process": "mine", "commodity": "ox", "direction": "out",
             "coefficient": 1}],
        "capacity": [{"region": "cn", "process": "buy_cn",
                      "capacity_tpa": china_tpa}],
        "expansion": [{"region": "home", "process": "mine"}],
        "routes": [{"origin": "cn", "destination": "home", "cost_usd_per_t": 0}],
        "demand": [{"region": "home", "commodity": "ox", "year": 2025,
                    "demand_t": demand}],
        "scenarios": [
            {"scenario": "baseline", "is_baseline": "true",
             "probability": 1 - p_embargo},
            {"scenario": "embargo", "is_baseline": "false",
             "probability": p_embargo}],
        "scenario_rules": [{"scenario": "embargo", "rule": "embargo",
                            "target": "china", "from_year": 2026}],
    })


def frontier_case(folder: Path) -> Path:
    r"""Three ways to supply 10 t of ``ox`` a year in 2025-2027 (rate 0; price 100,
    penalty 1000 US$/t, so U = 100 × shortfall tonnes and the penalty is 10 US$
    per US$ of U):

    * mine ``a``: 6 tpa existing, 100 US$/t (1 US$ per US$ of U avoided);
    * mine ``n``: buildable from 2026 (lead time 1), at most 4 tpa, fixed O&M 50
      per tpa a year and 100 US$/t: 150 US$/t whenever it runs (1.5 per US$);
    * ``spot``: 4 tpa existing, 2000 US$/t (20 per US$).
    """
    def proc(name: str, cost: float, lead: int = 0, fom: float = 0.0) -> dict:
        return {"process": name, "stage": "mining", "lead_time_years": lead,
                "lifetime_years": 30, "fixed_om_usd_per_tpa": fom,
                "variable_cost_usd_per_t": cost}

    return write_case(folder, {
        "settings": settings(2025, 2027, 0.0),
        "regions": [{"region": "home", "bloc": "alliance"}],
        "commodities": [{"commodity": "ox", "kind": "oxide",
                         "reference_price_usd_per_t": 100,
                         "shortfall_penalty_usd_per_t": 1000}],
        "processes": [proc("a", 100), proc("n", 100, lead=1, fom=50),
                      proc("spot", 2000)],
        "process_io": [{"process": p, "commodity": "ox", "direction": "out",
                        "coefficient": 1} for p in ("a", "n", "spot")],
        "capacity": [{"region": "home", "process": "a", "capacity_tpa": 6},
                     {"region": "home", "process": "spot", "capacity_tpa": 4}],
        "expansion": [{"region": "home", "process": "n", "max_new_tpa": 4}],
        "demand": [{"region": "home", "commodity": "ox", "year": 2025,
                    "demand_t": 10}],
    })


# Birge and Louveaux, Introduction to Stochastic Programming (2nd ed., 2011), §1.1:
# the farmer. 500 acres of wheat, corn and sugar beets; planting costs 150, 230,
# 260 US$/acre; mean yields 2.5, 3, 20 t/acre, 20 % higher or lower with
# probability 1/3 each; the cattle need 200 t of wheat and 240 t of corn, bought
# at 238 and 210 US$/t or grown; surplus sold at 170 and 150; beets sell at 36
# US$/t up to 6000 t (quota) and 10 beyond.
CROPS = {"wheat": (150, 2.5), "corn": (230, 3.0), "beets": (260, 20.0)}
FEED = {"wheat": (200, 238), "corn": (240, 210)}
SALES = {"wheat": [("wheat_sold", 170, 2000)], "corn": [("corn_sold", 150, 2000)],
         "beets": [("beets_quota", 36, 6000), ("beets_extra", 10, 12000)]}
YIELD_FACTORS = {"average": 1.0, "above": 1.2, "below": 0.8}
# Every sales commodity's demand D (above what any plan can sell) is unmet at its
# sale price, so the Reroute cost of a plan is K − profit, K = Σ price · D:
SALES_CONSTANT = sum(price * cap for rows in SALES.values()
                     for _name, price, cap in rows)  # 976,000


def farmer_case(folder: Path) -> Path:
    r"""The farmer through the Reroute input format.

    Planting is a build of ``grow_<crop>`` capacity (acres) decided in 2025 and
    online in 2026 (lead time 1, lifetime 1, fixed O&M = planting cost per acre);
    the land is a build limit of 500 on the stage ``farming``. In 2026 each acre
    yields its crop (``process_io``); feed is a demand met by the crop or bought
    (``buy_<crop>``, a market source); sales are demands ``<crop>_sold`` (beets:
    ``beets_quota`` up to 6000 t and ``beets_extra``) with the sale price as the
    shortfall penalty, reached by ``sell_*`` processes at no cost.

    A yield factor f is not a Reroute rule, but it is the same LP as demand × 1/f
    and prices × f: with y, w the tonnes bought and sold, f·Y·x + y − w ≥ d is
    Y·x + y/f − w/f ≥ d/f, and p·y − s·w = f·p·(y/f) − f·s·(w/f); a sale
    cap w ≤ D becomes w/f ≤ D/f; the constant s·D = (f·s)·(D/f) is the same in every
    scenario. So ``above`` (f = 1.2) and ``below`` (0.8) scale demand by 1/f and
    variable cost and penalty by f from 2026; ``average`` is the baseline.
    """
    processes, io, expansion, demand, commodities = [], [], [], [], []
    for crop, (cost, yield_t) in CROPS.items():
        processes.append({"process": f"grow_{crop}", "stage": "farming",
                          "lead_time_years": 1, "lifetime_years": 1,
                          "fixed_om_usd_per_tpa": cost})
        io.append({"process": f"grow_{crop}", "commodity": crop, "direction": "out",
                   "coefficient": yield_t})
        expansion.append({"region": "farm", "process": f"grow_{crop}"})
        commodities.append({"commodity": crop, "reference_price_usd_per_t": 0,
                            "shortfall_penalty_usd_per_t": 1000})
        for sold, price, cap in SALES[crop]:
            commodities.append({"commodity": sold, "reference_price_usd_per_t": 0,
                                "shortfall_penalty_usd_per_t": price})
            processes.append({"process": f"sell_{sold}", "stage": "sales",
                              "lead_time_years": 0, "lifetime_years": 30})
            io += [{"process": f"sell_{sold}", "commodity": crop, "direction": "in",
                    "coefficient": 1},
                   {"process": f"sell_{sold}", "commodity": sold,
                    "direction": "out", "coefficient": 1}]
            demand += _two_years(sold, cap)
    for crop, (need, price) in FEED.items():
        processes.append({"process": f"buy_{crop}", "stage": "market",
                          "lead_time_years": 0, "lifetime_years": 30,
                          "variable_cost_usd_per_t": price})
        io.append({"process": f"buy_{crop}", "commodity": crop, "direction": "out",
                   "coefficient": 1})
        demand += _two_years(crop, need)
    capacity = [{"region": "farm", "process": p["process"], "capacity_tpa": 1e5}
                for p in processes if not p["process"].startswith("grow_")]
    rules = []
    for name, f in YIELD_FACTORS.items():
        if f == 1.0:
            continue
        for field, value in (("demand", 1 / f), ("variable_cost", f),
                             ("penalty", f)):
            rules.append({"scenario": name, "rule": "scale", "field": field,
                          "value": repr(value), "from_year": 2026})
    return write_case(folder, {
        "settings": settings(2025, 2026, 0.0),
        "regions": [{"region": "farm", "bloc": "alliance"}],
        "commodities": commodities,
        "processes": processes,
        "process_io": io,
        "capacity": capacity,
        "expansion": expansion,
        "build_limits": [{"stage": "farming", "max_new_tpa_per_year": 500}],
        "demand": demand,
        "scenarios": [{"scenario": name, "is_baseline": str(f == 1.0).lower(),
                       "probability": repr(1 / 3)}
                      for name, f in YIELD_FACTORS.items()],
        "scenario_rules": rules,
    })


def _two_years(commodity: str, tonnes: float) -> list[dict[str, object]]:
    """Nothing in 2025 (planting), ``tonnes`` in 2026 (harvest)."""
    return [{"region": "farm", "commodity": commodity, "year": 2025, "demand_t": 0},
            {"region": "farm", "commodity": commodity, "year": 2026,
             "demand_t": tonnes}]
