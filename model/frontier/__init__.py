"""``reroute frontier`` (MODEL-SPEC §8.5): the exact cost–shortfall frontier of one
scenario and the cost of being self-sufficient by each year: ``trace`` (the
dichotomic method, a round of independent solves at a time), ``tasks`` (those
solves on any executor of ``model.parallel``), ``command``, ``report``."""
