"""One simulated business day at Level-1: the steps the day simulator applies, in order (see simulator.py)."""
