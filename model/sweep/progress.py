"""A progress bar for sweeps: samples done of the total, rate and ETA (rich)."""

from __future__ import annotations

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
    """Samples per minute, over the samples solved in this run."""

    def render(self, task: Task) -> Text:
        speed = task.speed
        if speed is None:
            return Text("-- samples/min")
        return Text(f"{60 * speed:.1f} samples/min")


class SweepProgress:
    """Context manager; ``advance()`` once per finished sample. Writes to stderr."""

    def __init__(self, total: int, already_done: int, enabled: bool,
                 console: Console | None = None) -> None:
        self.enabled = enabled
        self.progress = Progress(
            TextColumn("sweep"), BarColumn(), MofNCompleteColumn(), RateColumn(),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            console=console or Console(stderr=True), disable=not enabled)
        self.task = self.progress.add_task("sweep", total=total, completed=already_done)

    def __enter__(self) -> SweepProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def advance(self) -> None:
        self.progress.advance(self.task)
