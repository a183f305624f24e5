"""Servers the audit tests run against."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.audit_servers import create_database, postgres_cluster


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    with postgres_cluster() as url:
        yield url


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """A fresh database on the session's PostgreSQL server."""
    return create_database(postgres_server)
