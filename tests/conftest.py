"""Fixtures every test may use; server fixtures (PostgreSQL, Redis, S3, browser) are in support."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.paths import conformance_dir

pytest_plugins = ("tests.support.servers",)


@pytest.fixture(scope="session")
def conformance() -> Path:
    """The shared conformance corpus; its absence fails the run (CI must not pass without it)."""
    return conformance_dir()
