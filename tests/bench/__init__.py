"""Benchmarks and the corpus generator they use (not collected as tests)."""
