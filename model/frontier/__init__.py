"""``reroute frontier`` (MODEL-SPEC §8.5): the exact cost–shortfall frontier of one
scenario and the cost of being self-sufficient by each year."""
