"""Task functions that misbehave on purpose (importable by worker processes)."""

from __future__ import annotations

import os
from pathlib import Path

from model.sweep.worker import SampleOutcome, SampleTask, SweepContext, run_sample


def die_once(marker_dir: str, doomed: int, context: SweepContext, task: SampleTask
             ) -> SampleOutcome:
    """Kill the worker process the first time sample ``doomed`` runs.

    Every call leaves a marker file ``<sample>-<pid>-<n>`` so a test can count the
    attempts.
    """
    folder = Path(marker_dir)
    attempts = sorted(folder.glob(f"{task.sample}-*"))
    (folder / f"{task.sample}-{os.getpid()}-{len(attempts)}").touch()
    if task.sample == doomed and not attempts:
        os._exit(1)
    return run_sample(context, task)
