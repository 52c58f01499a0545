"""Sweeps under uncertainty (MODEL-SPEC §7).

``uncertainty`` reads and applies the uncertain inputs, ``sampling`` draws them,
``worker`` solves one sample, ``runner`` runs samples serially, in a process pool or
on Dask, ``store`` keeps one record file per sample, ``stats`` and ``report`` make
sweep.xlsx, ``command`` ties them together and ``cli`` is ``reroute sweep``.
"""
