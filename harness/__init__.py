"""Clients that drive the gallery from outside, shared by the tests and the benchmarks."""
