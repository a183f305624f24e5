"""Fixtures of the integration suite: production stacks (tests.support.production_stack) over
the session's PostgreSQL, Redis and SeaweedFS, each with its own databases, bucket and Redis
database."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.postgres import PostgresServer
from tests.support.production_stack import ProductionStack, StackServers
from tests.support.redis_server import RedisServer
from tests.support.seaweed import SeaweedServer

_REDIS_DATABASES = itertools.count(1)
# Crash tests want quick retries and a short lease (connect + read timeout + 10 s).
CRASH_VARIABLES = {
    "DOKDELING_REGISTRATION_RETRY_FIRST": "0.2",
    "DOKDELING_REGISTRATION_RETRY_MAX": "1",
    "DOKDELING_REGISTRY_CONNECT_TIMEOUT": "1",
    "DOKDELING_REGISTRY_READ_TIMEOUT": "2",
    "DOKDELING_RECONCILE_INTERVAL": "0.5",
    "DOKDELING_REGISTRATION_TIMEOUT": "90",
}


@pytest.fixture(scope="session")
def stack_servers(
    postgres_server: PostgresServer, redis_server: RedisServer, seaweed_server: SeaweedServer
) -> StackServers:
    return StackServers(postgres=postgres_server, redis=redis_server, seaweed=seaweed_server)


def new_stack(folder: Path, servers: StackServers, **variables: str) -> ProductionStack:
    return ProductionStack(
        folder, servers, redis_db=next(_REDIS_DATABASES) % 16, variables=variables
    )


@pytest.fixture(scope="module")
def production_stack(
    stack_servers: StackServers, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ProductionStack]:
    """A running stack shared by a module's tests (they add data, never break processes)."""
    stack = new_stack(tmp_path_factory.mktemp("stack"), stack_servers)
    try:
        yield stack.start(workers=2)
    finally:
        stack.stop()


@pytest.fixture
def crash_stack(
    stack_servers: StackServers, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ProductionStack]:
    """A stack of its own, not started, for a test that kills its processes."""
    stack = new_stack(tmp_path_factory.mktemp("crash-stack"), stack_servers, **CRASH_VARIABLES)
    try:
        yield stack
    finally:
        stack.stop()
