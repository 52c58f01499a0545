r"""The stochastic LP: every scenario's LP side by side, tied where they share years.

Math:
    \min \sum_s p_s \, c_s^\top x_s
         \;+\; \lambda \Big( \eta + \frac{1}{1-\alpha} \sum_s p_s z_s \Big)
    \quad\text{s.t.}\quad A_s x_s \;(\le, =, \ge)\; b_s \;\;\forall s

    x^{a}_k = x^{b}_k \quad \forall\ \text{links } (a, b, T),\ k
    \text{ a decision of a year } < T

    z_s \ge L_s(x_s) - \eta, \quad z_s, \eta \ge 0

Each block ``A_s x_s ≤ b_s`` is the scenario's deterministic LP exactly as
``reroute solve`` builds it (``model.formulation.matrix.assemble``: every declared
constraint family); the links come from ``tree.tree_links``, the decisions from
``links.paired_columns``. The CVaR term (Rockafellar and Uryasev 2000) is present
only with a weight λ > 0: η is the value-at-risk at level α of the loss L_s (the
scenario's unmet demand at reference prices, discounted, or its full cost), z_s
its excess in scenario s; η ≥ 0 loses nothing since every loss is ≥ 0.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from model.data.calibration import calibration_rows
from model.data.case import Case
from model.data.indices import LPIndex, build_index
from model.data.scenarios import ScenarioData, scenario_data
from model.formulation.foresight import pin_to_comparator
from model.formulation.matrix import assemble
from model.hedge.links import Decisions, paired_columns
from model.hedge.tree import Link
from model.results.checks import check_scenario
from model.results.extract import ScenarioResult, extract_all
from model.solver.highs import solve
from model.solver.records import LinearProgram, Solution, SolveOptions
from model.solver.stack import ExtraRows, Stack, column_offsets, split, stack
from model.timing import PhaseTimer

LOSSES = ("shortfall", "cost")


@dataclass(frozen=True)
class Risk:
    """CVaR of ``loss`` at level ``alpha`` with weight ``weight`` (0: neutral)."""

    alpha: float = 0.9
    weight: float = 0.0
    loss: str = "shortfall"


@dataclass
class Member:
    """One scenario of the stochastic LP: its data, index and LP."""

    name: str
    probability: float
    data: ScenarioData
    index: LPIndex
    program: LinearProgram | None = None


@dataclass
class StochasticResult:
    """Per-scenario results of one stochastic solve and its CVaR figures."""

    results: dict[str, ScenarioResult]
    objective: float  # the whole objective, CVaR term included
    var_usd: float = 0.0
    cvar_usd: float = 0.0
    seconds: dict[str, float] = field(default_factory=dict)
    probability: dict[str, float] = field(default_factory=dict)

    @property
    def expected_cost(self) -> float:
        """Σ p_s · (scenario s's own cost, penalty included)."""
        return sum(self.probability[n] * r.objective for n, r in self.results.items())


def members(case: Case, weights: dict[str, float]) -> list[Member]:
    """The scenarios of ``weights`` with their index (their LPs come later).
    Every member keeps the baseline's calibration bands (MODEL-SPEC §8.3): the
    scenarios of a hedging set share the observed base year, and each one's plan
    is fixed in the others (regret, EEV), so a plan that ignored the bands could
    not be evaluated where they hold."""
    bands = calibration_rows(case, True)
    out = []
    for name, p in weights.items():
        data = scenario_data(case, name)
        data.calibration = bands
        out.append(Member(name, p, data, build_index(data)))
    return out


@dataclass(frozen=True)
class Plan:
    """The decisions of a solved scenario taken before a year: its builds decided
    before it (with their ``lead_time``), and its activity, flows and stock
    releases of the years before it (the §5 tables' rows)."""

    builds: pd.DataFrame
    production: pd.DataFrame
    flows: pd.DataFrame
    stock: pd.DataFrame


def plan_of(result: ScenarioResult, lead: pd.DataFrame, until: int) -> Plan:
    """``result``'s decisions before ``until``; ``lead``: (region, process,
    lead_time) of its scenario's expansion options."""
    t = result.tables
    builds = t["builds"].merge(lead, on=["region", "process"])
    builds = builds[builds["online_year"] - builds["lead_time"] < until]
    return Plan(*(frame.reset_index(drop=True) for frame in (
        builds, *(t[n][t[n]["year"] < until] for n in ("production", "flows",
                                                        "stock")))))


def fixed_to_plan(member: Member, plan: Plan, until: int) -> Member:
    """A copy of ``member`` whose decisions before ``until`` are ``plan``'s (the
    foresight family's fixings, MODEL-SPEC §8.2: builds matched by decision year)."""
    ix = dataclasses.replace(member.index, shock_year=until)
    ix.pinned = pin_to_comparator(ix, plan.builds, plan.production, plan.flows,
                                  plan.stock)
    return Member(member.name, member.probability, member.data, ix)


def solve_alone(case: Case, member: Member, options: SolveOptions) -> ScenarioResult:
    """The member's own deterministic LP, solved and extracted."""
    return scenario_result(case, member, solve(assemble(member.index), member.name,
                                               options))


def lead_times(member: Member) -> pd.DataFrame:
    """(region, process, lead_time) of the member's expansion options."""
    return member.data.expansion[["region", "process", "lead_time"]]


def solve_stochastic(case: Case, group: list[Member], links: list[Link],
                     options: SolveOptions, risk: Risk = Risk(),
                     label: str = "hedge") -> StochasticResult:
    """Solve ``group`` as one LP with ``links``; every block is assembled afresh
    (its index may carry fixed decisions)."""
    clock = PhaseTimer()
    with clock.phase("build"):
        for m in group:
            m.program = assemble(m.index)
        blocks = {m.name: m.program for m in group}
        weights = {m.name: m.probability for m in group}
        rows = link_rows(group, links, column_offsets(blocks))
        extra_cost, risk_rows = cvar_terms(group, blocks, risk)
        stacked = stack(blocks, weights, [rows, *risk_rows], extra_cost)
        for m in group:
            m.program.lp = None  # the stack holds its own copy
    solution = solve(stacked.program, label, options, clock)
    values = solution.column_values
    parts = split(stacked, solution, values)
    results = {}
    with clock.phase("extract"):
        for m in group:
            results[m.name] = scenario_result(case, m, parts[m.name])
    var = float(values[stacked.first_extra]) if extra_cost is not None else 0.0
    return StochasticResult(results, solution.objective, var,
                            _cvar(stacked, values, group, risk), dict(clock.seconds),
                            weights)


def scenario_result(case: Case, m: Member, sol: Solution) -> ScenarioResult:
    """The §5 tables of one block, checked like a deterministic solve's."""
    tables = extract_all(m.index, sol, m.name)
    check_scenario(tables, case.table("process_io"), sol.objective)
    return ScenarioResult(m.name, m.data.is_baseline, "optimal", sol.objective,
                          tables, dict(sol.seconds), dict(sol.size))


def link_rows(group: list[Member], links: list[Link], first: dict[str, int]
              ) -> ExtraRows:
    """One row x^a_k − x^b_k = 0 per shared decision of every link."""
    by_name = {m.name: m for m in group}
    rows, cols, coefs, n = [], [], [], 0
    for link in links:
        a, b = by_name[link.earlier], by_name[link.later]
        ca, cb = paired_columns(Decisions(a.index, a.program),
                                Decisions(b.index, b.program), link.until)
        k = np.arange(n, n + len(ca))
        for c, sign, name in ((ca, 1.0, a.name), (cb, -1.0, b.name)):
            there = c >= 0
            rows.append(k[there])
            cols.append(c[there] + first[name])
            coefs.append(np.full(int(there.sum()), sign))
        n += len(ca)
    return ExtraRows("nonanticipativity", np.zeros(n), np.zeros(n),
                     _cat(rows, np.int64), _cat(cols, np.int64), _cat(coefs, float))


def loss_vector(m: Member, risk: Risk) -> tuple[np.ndarray, float]:
    """(coefficient per column of the member's LP, constant) of its loss: unmet
    demand of the scope at reference prices, discounted, or its full cost."""
    program = m.program
    if risk.loss == "cost":
        return np.asarray(program.lp.col_cost_, dtype=float), float(program.lp.offset_)
    ix = m.index
    short = ix.short
    scope = m.data.regions.loc[m.data.regions["bloc"].isin(("alliance", "partner")),
                               "region"]
    price = short["commodity"].map(m.data.commodities.set_index("commodity")[
        "reference_price_usd_per_t"]).fillna(0.0).to_numpy(dtype=float)
    weight = (price * short["year"].map(ix.discount).to_numpy(dtype=float)
              * short["region"].isin(set(scope)).to_numpy())
    vector = np.zeros(program.lp.num_col_)
    columns = program.column_of["short"]
    present = columns >= 0
    vector[columns[present]] = weight[present]
    return vector, 0.0


def cvar_terms(group: list[Member], blocks: dict[str, LinearProgram], risk: Risk
               ) -> tuple[np.ndarray | None, list[ExtraRows]]:
    """Columns (η, z_s...) with their costs and the rows z_s + η − L_s ≥ 0."""
    if risk.weight <= 0:
        return None, []
    first = column_offsets(blocks)
    n_block = sum(b.lp.num_col_ for b in blocks.values())
    cost = np.concatenate([[risk.weight], [risk.weight * m.probability
                                           / (1 - risk.alpha) for m in group]])
    rows, cols, coefs, lower = [], [], [], []
    for k, m in enumerate(group):
        vector, constant = loss_vector(m, risk)
        nz = np.flatnonzero(vector)
        rows += [np.full(len(nz) + 2, k)]
        cols += [np.concatenate([[n_block, n_block + 1 + k], nz + first[m.name]])]
        coefs += [np.concatenate([[1.0, 1.0], -vector[nz]])]
        lower.append(constant)
    n = len(group)
    return cost, [ExtraRows("cvar", np.asarray(lower, dtype=float), np.full(n, np.inf),
                            _cat(rows, np.int64), _cat(cols, np.int64),
                            _cat(coefs, float))]


def _cvar(stacked: Stack, values: np.ndarray, group: list[Member], risk: Risk
          ) -> float:
    """CVaR of the loss at the optimum: η + Σ p_s z_s / (1 − α)."""
    if risk.weight <= 0:
        return 0.0
    first = stacked.first_extra
    z = values[first + 1:first + 1 + len(group)]
    return float(values[first] + sum(m.probability * zk for m, zk in zip(
        group, z, strict=True)) / (1 - risk.alpha))


def _cat(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype=dtype)
