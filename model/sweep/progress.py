"""The sweep's progress bar: samples done of the total, rate and ETA
(``model.parallel.progress``)."""

from __future__ import annotations

from rich.console import Console

from model.parallel.progress import TaskProgress


class SweepProgress(TaskProgress):
    """Context manager; ``advance()`` once per finished sample. Writes to stderr."""

    def __init__(self, total: int, already_done: int, enabled: bool,
                 console: Console | None = None) -> None:
        super().__init__("sweep", "samples", total, already_done, enabled, console)
