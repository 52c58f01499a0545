"""Exceptions that the command line maps to exit codes (MODEL-SPEC §6).

``InputError`` → 2 (bad input), ``SolveError`` → 3 (the solver could not solve),
anything else → 1.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_PROBLEMS_SHOWN = 200


@dataclass(frozen=True)
class Problem:
    """One problem with the input, located as precisely as possible."""

    message: str
    file: str = ""
    table: str = ""
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.table:
            where.append(f"[{self.table}]")
        if self.row is not None:
            where.append(f"row {self.row}")
        location = " ".join(where)
        if self.column:
            location = f"{location}, column {self.column}" if location else (
                f"column {self.column}"
            )
        return f"{location}: {self.message}" if location else self.message


class ModelError(Exception):
    """Base class of the errors Reroute reports without a traceback."""

    exit_code = 1


class InputError(ModelError):
    """The input case is unreadable, unsafe or invalid (exit 2).

    Carries every problem found in one pass.
    """

    exit_code = 2

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__(self.render())

    def render(self) -> str:
        lines = [f"error: {p}" for p in self.problems[:MAX_PROBLEMS_SHOWN]]
        hidden = len(self.problems) - MAX_PROBLEMS_SHOWN
        if hidden > 0:
            lines.append(f"error: ... and {hidden} more problems")
        return "\n".join(lines)


class SolveError(ModelError):
    """The solver could not solve a scenario (exit 3)."""

    exit_code = 3

    def __init__(self, scenario: str, condition: str, detail: str = "") -> None:
        self.scenario = scenario
        self.condition = condition
        self.detail = detail
        text = f"error: scenario '{scenario}': solver stopped: {condition}"
        if detail:
            text += f" ({detail})"
        super().__init__(text)


class OutputError(ModelError):
    """The outputs could not be written (exit 1); earlier outputs are kept."""

    exit_code = 1
