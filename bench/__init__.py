"""Benchmarks: each prints a table and compares against a baseline run in the same process."""
