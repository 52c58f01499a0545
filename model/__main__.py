"""``python -m model`` runs the command line (as the ``reroute`` program)."""

from model.program import run

run()
