"""Benchmarks (`make bench`): never part of the test suite; a package so import-linter checks its imports."""
