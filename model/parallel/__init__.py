"""Independent solves on several cores or a cluster, shared by ``reroute sweep``,
``reroute hedge`` and ``reroute frontier``: ``executors`` runs tasks in this
process, a local process pool or on Dask; ``options`` gives every command the same
``--executor``, ``--workers`` and ``--scheduler``; ``progress`` is the progress bar.
"""
