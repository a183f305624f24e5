"""`make bench`: dokdeling's benchmarks against the floor, on the production stack.

Never part of `make test`. It starts PostgreSQL, Redis, SeaweedFS and the services as the
integration suite does (tests.support), loads synthetic data through the bulk path, measures, and
writes bench/results/<date>.json and the results section of docs/benchmarks.md.
"""
