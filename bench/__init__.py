"""Benchmarks with their own data generator; never part of the pass/fail test suite."""
