"""What ``reroute solve`` imports before it needs it (each a lazy import).

The expectations come from which code paths need each library, not from a
measurement: Pyomo only builds the LP with ``--builder pyomo``; scipy only traces
China content after a solve (``model.results.china_content``) or sums repeated
matrix entries (``model.solver.records.column_wise_lp``, which the numpy builder's
sorted, repeat-free arrays never need); rich only lays out the headline table,
which ``--quiet`` never prints. Each check runs in a fresh interpreter, so
nothing imported by other tests counts.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LATER = ("pyomo", "scipy", "rich")

# What model.cli._solve imports before run_case starts (and run_case's module).
SOLVE_IMPORTS = ("import model.cli, model.program; "
                 "from model.outputs import default_out_dir; "
                 "from model.pipeline import run_case; "
                 "from model.solver.records import SolveOptions; "
                 "from model.report.terminal import headline_text, scenario_line; ")


def loaded_after(code: str) -> list[str]:
    """The LATER libraries in sys.modules once ``code`` has run, in a new process
    started in the checkout (its ``model`` package)."""
    probe = code + ("import sys, json; print(json.dumps(sorted(m for m in "
                    f"{LATER!r} if m in sys.modules)))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True,
                          text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_solve_command_imports_no_pyomo_scipy_or_rich_before_it_solves() -> None:
    assert loaded_after(SOLVE_IMPORTS) == []


def test_a_numpy_built_lp_needs_no_scipy() -> None:
    """Building and passing the default case's baseline LP (numpy builder) imports
    neither scipy nor Pyomo: its columns arrive sorted and without repeats."""
    code = (SOLVE_IMPORTS +
            "from model.data.case import load_case; "
            "from model.data.scenarios import scenario_data; "
            "from model.data.indices import build_index; "
            "from model.formulation.matrix import assemble; "
            "from model.solver.highs import make_highs; "
            "case = load_case('inputs/default'); "
            "name = case.table('scenarios')['scenario'].iloc[0]; "
            "lp = assemble(build_index(scenario_data(case, name))).lp; "
            "h = make_highs(SolveOptions(), columns=lp.num_col_); "
            "assert str(h.passModel(lp)) == 'HighsStatus.kOk'; ")
    assert loaded_after(code) == []
