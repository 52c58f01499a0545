"""A progress bar on stderr (rich): tasks done of the total, rate and ETA.

Off when asked (``enabled=False``: stderr is not a terminal, or ``--quiet``); then
it writes nothing. A command whose tasks are found as it goes (``reroute
frontier``) raises the total with ``grow``.
"""

from __future__ import annotations

import sys
from typing import Protocol

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class RateColumn(ProgressColumn):
    """Tasks per minute, over the tasks finished in this run."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        speed = task.speed
        if speed is None:
            return Text(f"-- {self.unit}/min")
        return Text(f"{60 * speed:.1f} {self.unit}/min")


class TaskProgress:
    """Context manager; ``advance()`` once per finished task."""

    def __init__(self, label: str, unit: str, total: int, already_done: int,
                 enabled: bool, console: Console | None = None) -> None:
        self.enabled = enabled
        self.progress = Progress(
            TextColumn(label), BarColumn(), MofNCompleteColumn(), RateColumn(unit),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            TextColumn("{task.description}"),
            console=console or Console(stderr=True), disable=not enabled)
        self.task = self.progress.add_task("", total=total, completed=already_done)

    def __enter__(self) -> TaskProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def advance(self, description: str | None = None) -> None:
        """One more task done; ``description``: what it was."""
        if description is None:
            self.progress.advance(self.task)
        else:
            self.progress.update(self.task, advance=1, description=description)

    def grow(self, more: int) -> None:
        """``more`` tasks more in the total."""
        task = next(t for t in self.progress.tasks if t.id == self.task)
        total = task.total or 0
        self.progress.update(self.task, total=total + more)


def show_progress(quiet: bool) -> bool:
    """Whether a command shows its bar: stderr is a terminal and not ``--quiet``."""
    return not quiet and sys.stderr.isatty()


class Steps(Protocol):
    """What a command tells of its tasks: ``grow`` before a round, ``advance``
    after each task (``TaskProgress``, ``StepLines`` or ``NO_STEPS``)."""

    def grow(self, more: int) -> None: ...

    def advance(self, description: str | None = None) -> None: ...


class _NoSteps:
    def grow(self, more: int) -> None:
        pass

    def advance(self, description: str | None = None) -> None:
        pass


NO_STEPS: Steps = _NoSteps()


class StepLines(_NoSteps):
    """One line on stdout per finished task (where no bar is shown)."""

    def advance(self, description: str | None = None) -> None:
        from model.streams import say

        say(f"  solved {description or 'a task'}", flush=True)
