"""Servers the trust-framework tests start for real."""

from __future__ import annotations

import pytest

from tests.support.jose import TestIssuer
from tests.support.redis_server import RedisServer


@pytest.fixture(scope="module")
def issuer(tmp_path_factory: pytest.TempPathFactory) -> TestIssuer:
    """A test token issuer with RSA and EC keys and its JWKS file (one per test module)."""
    return TestIssuer(tmp_path_factory.mktemp("issuer"))


@pytest.fixture(scope="session")
def redis_url(redis_server: RedisServer) -> str:
    """The session's real redis-server (tests/support/servers.py), database 5."""
    return redis_server.url(db=5)
