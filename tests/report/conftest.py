"""A small two-element case solved once per session for the report tests.

China (CN) separates the alliance's ore today; an embargo scenario forces a new
separation plant in the US (lead time 2 years) and leaves Dy short until it runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from model.pipeline import RunResult, run_case
from tests.helpers import settings, shared_unless_mutating, write_case

EVIL = '=HYPERLINK("http://x.invalid","click")'


def report_case_tables() -> dict[str, list[dict[str, object]]]:
    """Tables of the report test case (regions, a two-stage chain, two scenarios)."""
    return {
        "settings": settings(2025, 2030, 0.05),
        "regions": [
            {"region": "CN", "bloc": "china", "source": "national statistics"},
            {"region": "US", "bloc": "alliance", "source": "USGS MCS 2025"},
            {"region": "AU", "bloc": "partner", "name": EVIL, "source": EVIL},
        ],
        "commodities": [
            {"commodity": "conc", "kind": "concentrate", "element": "mixed",
             "shortfall_penalty_usd_per_t": 1e5},
            {"commodity": "ndpr_ox", "kind": "oxide", "element": "NdPr",
             "reference_price_usd_per_t": 60000, "shortfall_penalty_usd_per_t": 5e5},
            {"commodity": "dy_ox", "kind": "oxide", "element": "Dy",
             "reference_price_usd_per_t": 300000,
             "shortfall_penalty_usd_per_t": 2e6},
        ],
        "processes": [
            {"process": "au_mine", "stage": "mining", "lead_time_years": 3,
             "lifetime_years": 30, "variable_cost_usd_per_t": 500},
            {"process": "sep", "stage": "separation", "lead_time_years": 2,
             "lifetime_years": 25, "capex_usd_per_tpa": 40000,
             "fixed_om_usd_per_tpa": 1000, "variable_cost_usd_per_t": 3000},
        ],
        "process_io": [
            {"process": "au_mine", "commodity": "conc", "direction": "out",
             "coefficient": 1},
            {"process": "sep", "commodity": "conc", "direction": "in",
             "coefficient": 1},
            {"process": "sep", "commodity": "ndpr_ox", "direction": "out",
             "coefficient": 0.2},
            {"process": "sep", "commodity": "dy_ox", "direction": "out",
             "coefficient": 0.01},
        ],
        "capacity": [
            {"region": "AU", "process": "au_mine", "capacity_tpa": 20000},
            {"region": "CN", "process": "sep", "capacity_tpa": 50000},
        ],
        "expansion": [
            {"region": "US", "process": "sep", "max_new_tpa": 30000,
             "max_new_tpa_per_year": 8000},
        ],
        "demand": [
            {"region": "US", "commodity": "ndpr_ox", "year": 2025, "demand_t": 2000},
            {"region": "US", "commodity": "ndpr_ox", "year": 2030, "demand_t": 3000},
            {"region": "US", "commodity": "dy_ox", "year": 2025, "demand_t": 100},
        ],
        "routes": [
            {"origin": "AU", "destination": "CN", "cost_usd_per_t": 50},
            {"origin": "AU", "destination": "US", "cost_usd_per_t": 80},
            {"origin": "CN", "destination": "US", "cost_usd_per_t": 100,
             "tariff_pct": 10},
        ],
        "scenarios": [
            {"scenario": "baseline", "is_baseline": "true",
             "description": "China supplies"},
            {"scenario": "no_china", "is_baseline": "false",
             "description": "China embargoes the alliance"},
        ],
        "scenario_rules": [
            {"scenario": "no_china", "rule": "embargo", "target": "china"},
        ],
    }


@pytest.fixture(scope=shared_unless_mutating("session"))
def solved(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    """The report case solved and written once: (run result with ``out_dir``)."""
    root = tmp_path_factory.mktemp("report_case")
    case = write_case(root / "demo", report_case_tables())
    return run_case(case, root / "out")


@pytest.fixture(scope=shared_unless_mutating("session"))
def report_path(solved: RunResult) -> Path:
    assert solved.out_dir is not None
    return solved.out_dir / "report.xlsx"
