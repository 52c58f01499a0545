"""The worked example of docs/api.md, as a script (each block is a notebook cell).

    python docs/examples/notebook.py [CASE] [FIGURES_DIR]

CASE defaults to the bundled case; the figures go to FIGURES_DIR (default
``outputs/notebook-example``). The test suite runs it on a small case
(tests/integration/test_api.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # in a notebook, leave this out: the figures show inline

import model.api as rr  # noqa: E402
from model.pipeline import RunResult  # noqa: E402


def main(case_path: str | None = None, figures: str = "outputs/notebook-example"
         ) -> RunResult:
    # 1. Load a case: the bundled default, or any CSV folder or workbook.
    case = rr.load(case_path)
    scenarios = case.tables["scenarios"]
    print(scenarios[["scenario", "description"]].to_string(index=False))

    # 2. Edit it: a new scenario built on the first shock scenario (its rules
    #    first), with 10% more demand everywhere from the base year on.
    shocked = scenarios.loc[~scenarios["is_baseline"].astype(bool), "scenario"]
    parent = str(shocked.iloc[0]) if len(shocked) else ""
    case = rr.add_scenario(case, "more_demand", description="10% more demand",
                           based_on=parent, source="[E] a what-if")
    case = rr.add_rule(case, "more_demand", "scale", field="demand", value=1.1,
                       source="[E] +10% demand, a what-if")

    # 3. Solve it: only the new scenario (the baseline, and the scenario it is
    #    compared with, are always solved too). Nothing is written without `out`.
    run = rr.solve(case, scenarios=["more_demand"])

    # 4. Query: the headline, and any tidy table filtered by its columns.
    print(rr.headline(run).to_string(index=False))
    short = rr.query(run, "shortfall", scenario="more_demand")
    print(short.groupby("year")[["demand_t", "shortfall_t"]].sum())
    print(rr.value_met(run).round(1))

    # 5. Plot the headline figures (matplotlib: pip install 'reroute[plot]').
    out = Path(figures)
    out.mkdir(parents=True, exist_ok=True)
    rr.plot_value_met(run).figure.savefig(out / "value_met.png", dpi=80)
    rr.plot_headline(run).figure.savefig(out / "headline.png", dpi=80)
    return run


if __name__ == "__main__":
    main(*sys.argv[1:3])
