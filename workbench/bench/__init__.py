"""Benchmarks (`make bench`): not product code and not timed tests; each prints a table and writes JSON."""
