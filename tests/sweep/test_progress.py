"""The progress bar shows samples done of the total, the rate and the ETA."""

from __future__ import annotations

import io

from rich.console import Console

from model.sweep.progress import SweepProgress


def test_progress_shows_done_rate_and_eta() -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=140)
    with SweepProgress(4, 1, True, console=console) as progress:
        progress.advance()
        progress.advance()
    text = out.getvalue()
    assert "3/4" in text  # one reused from the store plus two solved
    assert "samples/min" in text and "ETA" in text


def test_disabled_progress_writes_nothing() -> None:
    out = io.StringIO()
    with SweepProgress(2, 0, False, console=Console(file=out)) as progress:
        progress.advance()
    assert out.getvalue() == ""
