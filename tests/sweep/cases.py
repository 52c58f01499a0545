"""Tiny sweep cases, written with tests/helpers.py.

The ``chain`` case: one alliance region ``us`` and ``cn`` (bloc china). ``cn`` mines
oxide at 10 USD/t with 1000 t/yr existing capacity and ships to ``us`` at 5 USD/t;
``us`` can build a mine (capex 100 USD per t/yr, lifetime 10 years, variable cost 40
USD/t, lead time 1 year). ``us`` demands 100 t/yr, shortfall penalty 1000 USD/t.
Scenario ``embargo`` cuts ``cn`` off from the alliance from the base year.
"""

from __future__ import annotations

from pathlib import Path

from tests.helpers import mine, settings, write_case


def chain_tables(uncertainty: list[dict[str, object]] | None = None,
                 end: int = 2029, max_new_tpa: float | None = 500
                 ) -> dict[str, list[dict[str, object]]]:
    cn_mine, cn_io = mine("cn_mine", cost=10.0)
    us_mine, us_io = mine("us_mine", cost=40.0, lead=1, life=10, capex=100.0)
    tables: dict[str, list[dict[str, object]]] = {
        "settings": settings(2025, end, 0.05),
        "regions": [{"region": "us", "bloc": "alliance"},
                    {"region": "cn", "bloc": "china"}],
        "commodities": [{"commodity": "ox", "kind": "oxide",
                         "reference_price_usd_per_t": 50,
                         "shortfall_penalty_usd_per_t": 1000}],
        "processes": [cn_mine, us_mine],
        "process_io": [cn_io, us_io],
        "capacity": [{"region": "cn", "process": "cn_mine", "capacity_tpa": 1000}],
        "expansion": [{"region": "us", "process": "us_mine",
                       "max_new_tpa": "" if max_new_tpa is None else max_new_tpa}],
        "demand": [{"region": "us", "commodity": "ox", "year": 2025, "demand_t": 100}],
        "routes": [{"origin": "cn", "destination": "us", "cost_usd_per_t": 5}],
        "scenarios": [{"scenario": "baseline", "is_baseline": "true"},
                      {"scenario": "embargo", "is_baseline": "false"}],
        "scenario_rules": [{"scenario": "embargo", "rule": "embargo",
                            "target": "china"}],
    }
    if uncertainty is not None:
        tables["uncertainty"] = uncertainty
    return tables


DEFAULT_UNCERTAINTY: list[dict[str, object]] = [
    {"field": "demand", "target": "alliance", "distribution": "uniform",
     "low": 0.8, "high": 1.2},
    {"field": "lead_time", "stage": "mining", "target": "alliance",
     "distribution": "triangular", "low": 0, "mode": 1, "high": 3},
    {"field": "capex", "distribution": "lognormal", "low": 0.7, "high": 1.6},
]


def chain_case(folder: Path, uncertainty: list[dict[str, object]] | None = None
               ) -> Path:
    rows = DEFAULT_UNCERTAINTY if uncertainty is None else uncertainty
    return write_case(folder, chain_tables(rows))
