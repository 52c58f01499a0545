"""The import graph of model/: no cycles, and no module imports from a later stage.

Every ``import`` and ``from ... import`` in model/ counts, including those inside
functions (a lazy import is still a dependency). ``from package import name``
depends on ``package.name`` when that is a module, else on ``package``; a
submodule's implicit import of its parent package is not an edge.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "model"

# Stages in order; a module may import from its own stage or an earlier one.
STAGES: tuple[tuple[str, ...], ...] = (
    ("model.errors", "model.memory", "model.timing", "model.files", "model.version",
     "model.outputs", "model.streams", "model.interrupts",
     "model.arguments", "model.parallel"),   # errors, timing, files, output folders,
                                             # executors of independent tasks
    ("model.solver",),                       # the one door to HiGHS
    ("model.data",),                         # read, validate, scenarios, indices
    ("model.formulation",),                  # the LP declarations and builders
    ("model.results", "model.diagnose"),     # what a solution and an IIS say
    ("model.report",),                       # tables, workbook, run record
    ("model.scenario_run", "model.scenario_schedule", "model.pipeline"),
    ("model.sweep", "model.hedge", "model.frontier"),  # studies over many solves
    ("model.synth", "model.study_cli", "model.cli", "model.program", "model.__main__",
     "model.api", "model"),
)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """Module → the model modules it imports."""
    files = {module_name(p): p for p in root.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                deps |= {a.name for a in node.names if a.name.split(".")[0] == "model"}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and (
                    node.module or "").split(".")[0] == "model":
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    deps.add(sub if sub in files else node.module)
        graph[name] = deps - {name}
    return graph


def stage_of(module: str) -> int:
    """Index of the stage whose longest prefix matches ``module``."""
    best, rank = -1, -1
    for i, prefixes in enumerate(STAGES):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(
                    prefix) > best:
                best, rank = len(prefix), i
    if rank < 0:
        raise AssertionError(f"{module} belongs to no stage: add it to STAGES")
    return rank


def backward_imports(graph: dict[str, set[str]]) -> list[str]:
    """'a -> b' for every import of a later stage."""
    return sorted(f"{a} -> {b}" for a, deps in graph.items() for b in deps
                  if stage_of(b) > stage_of(a))


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One path per import cycle found by depth-first search."""
    found, state = [], dict.fromkeys(graph, 0)  # 0 new, 1 on the path, 2 done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph.get(node, ())):
            if state.get(dep, 2) == 1:
                found.append(path[path.index(dep):] + [dep])
            elif state.get(dep) == 0:
                visit(dep, path + [dep])
        state[node] = 2

    for node in sorted(graph):
        if state[node] == 0:
            visit(node, [node])
    return found


def test_model_has_no_import_cycle() -> None:
    assert cycles(import_graph()) == []


def test_no_module_imports_from_a_later_stage() -> None:
    assert backward_imports(import_graph()) == []


def test_the_checks_fail_on_a_cycle_and_on_a_backward_import() -> None:
    # a hand-made graph: solver -> data is backward (stage 1 imports stage 2), and
    # data.a -> data.b -> data.a is a cycle
    graph = {"model.solver.highs": {"model.data.a"}, "model.data.a": {"model.data.b"},
             "model.data.b": {"model.data.a"}}
    assert backward_imports(graph) == ["model.solver.highs -> model.data.a"]
    assert cycles(graph) == [["model.data.a", "model.data.b", "model.data.a"]]


def test_the_door_to_highs_is_the_only_importer_of_highspy() -> None:
    importers = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom)
                     else [])
            if any(n.split(".")[0] == "highspy" for n in names):
                importers.add(module_name(path))
    assert importers and all(m.startswith("model.solver") for m in importers), importers
