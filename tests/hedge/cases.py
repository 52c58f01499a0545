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
