"""Benchmarks: scripts that print figures, run by hand (not by the tests)."""
