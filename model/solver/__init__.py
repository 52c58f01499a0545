"""The one door to HiGHS: LP and solution records, HiGHS set-up and runs, the
standard-form conversion of a Pyomo model, the scaling check and the IIS.

Nothing here knows the formulation: an LP arrives as a ``LinearProgram`` whose
columns and rows are named by family and key, and leaves as a ``Solution`` keyed
the same way. The formulation (a later stage) builds ``LinearProgram`` records.
"""
