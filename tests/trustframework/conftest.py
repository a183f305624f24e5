"""Servers the trust-framework tests start for real."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from tests.support.jose import TestIssuer
from tests.support.redis_server import running_redis


@pytest.fixture(scope="module")
def issuer(tmp_path_factory: pytest.TempPathFactory) -> TestIssuer:
    """A test token issuer with RSA and EC keys and its JWKS file (one per test module)."""
    return TestIssuer(tmp_path_factory.mktemp("issuer"))


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (make test installs it)")
    with running_redis(tmp_path_factory.mktemp("redis")) as url:
        yield url
