"""``reroute hedge`` (MODEL-SPEC §8.4): the scenarios with a probability as one
non-anticipative stochastic LP, and the value of information.

``tree`` finds from the data when two scenarios part; ``links`` pairs their
copies of each decision; ``problem`` stacks the scenario LPs (every constraint
family of the deterministic model, each scenario's LP built as for ``solve``) with
the non-anticipativity rows and an optional CVaR term; ``mean_value`` writes the
mean-value scenario; ``value`` computes RP, WS, EV, EEV, VSS, EVPI, BPE and the
regret table in two rounds of independent solves, the tasks of ``tasks``, on any
executor of ``model.parallel``; ``command`` runs it all and writes the outputs.
"""
