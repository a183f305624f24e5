"""Replaying the NIST XDS testkit: reading its tests, translating and preparing its metadata.

See docs/nist-testkit.md. The replayer (`python -m tests.conformance.nist`) builds on this package.
"""
