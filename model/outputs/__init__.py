"""Outputs that only ever replace Reroute's own files.

* **Marker and manifest.** An output folder carries ``.reroute-output.json``,
  listing per command the entries it wrote there (solve: ``report.xlsx``,
  ``tables/``, ``run.json``; sweep: ``store/``, ``sweep.xlsx``, ``run.json``;
  compare: ``compare.xlsx``, ``run.json``; hedge and frontier: as solve, in
  ``hedge/`` and ``frontier/<scenario>/``). A command writes into a folder only if
  it does not exist, is empty, holds nothing but Reroute output folders, or carries
  the marker (an output folder of a version before the marker is recognised by its
  content); anything else is refused (exit
  2) with the folder and some of its entries named. In a Reroute folder a command
  replaces only its own entries; a name another command or the user owns is
  refused, and every other file stays byte-identical. Outputs never overlap the
  input case, compared by (device, inode) up the parents (``overlap.py``).
* **Lock.** ``.reroute-<name>.lock`` beside the folder serialises writers
  (``lock.py``).
* **Staging.** A solve writes its entries into ``.<name>.tmp-*`` beside the
  folder, then fsyncs them and writes the new marker there. A new folder is that
  staging folder, renamed into place in one step. Otherwise a journal is added and
  the staging folder is renamed to ``.<name>.commit-*``: the commit point. Then
  each staged entry is moved into the folder (an earlier entry of that name is
  replaced atomically, an earlier sub-folder is first moved into the commit folder)
  and the marker last. The output folder itself is never moved, so its mode,
  group and everything in it that is not the command's stay as they were.
* **Kills.** Ctrl-C, SIGTERM and SIGHUP remove the staging folder; they are held
  back during the commit and the cleanup. A SIGKILL before the commit point leaves
  a ``.tmp-`` folder: the next run on the output deletes it, and the earlier
  outputs were never touched. After the commit point it leaves a ``.commit-``
  folder, which the next run completes (a kill in the middle of the moves leaves
  some entries new and some old until then). User files are never moved, so no
  instant of any run can lose them.
* **A child.** A solve may write its CSV tables from a forked child while it
  writes the workbook (``aside.py``); whatever ends the run early kills and reaps
  the child before the staging folder is removed.
* **Modes.** Folders are made with ``mkdir``, so their mode follows the umask; a
  staging folder beside a set-group-ID output folder takes its group, so new
  entries get the group they would get inside it.
"""

from model.outputs.commit import (claim_folder, recover_stale, refuse_unwritable,
                                  stale_folders, staged_output)
from model.outputs.folder import (MANIFESTS, MARKER, SWEEP_SUBFOLDER, case_name,
                                  default_out_dir, frontier_out_dir, hedge_out_dir)
from model.outputs.lock import LOCK_TIMEOUT_S, lock_path
from model.outputs.overlap import refuse_input_overlap

__all__ = ["LOCK_TIMEOUT_S", "MANIFESTS", "MARKER", "SWEEP_SUBFOLDER", "case_name",
           "claim_folder", "default_out_dir", "frontier_out_dir", "hedge_out_dir",
           "lock_path", "recover_stale",
           "refuse_input_overlap", "refuse_unwritable", "stale_folders",
           "staged_output"]
