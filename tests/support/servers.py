"""Session fixtures for the real servers (a pytest plugin loaded by tests/conftest.py).

Each server starts once per test session (per xdist worker) on free loopback ports, keeps its log
under the session's temporary folder and is stopped at the end even when tests fail. A missing
server binary fails the tests that need it: `make test` installs them
(scripts/install-system-deps.sh).

- `postgres_server` (session): `PostgresServer` with `.url(db)`, `.create_database()`,
  `.drop_database(url)`, `.admin_conninfo`.
- `postgres_url` (function): SQLAlchemy URL of a fresh, empty database, dropped afterwards.
- `redis_server` (session): `RedisServer` with `.url(db=0)`, `.port`.
- `seaweed_server` (session): `SeaweedServer` with `.endpoint`, `.access_key`, `.secret_key`,
  `.client()` (minio), `.storage_url(bucket)` (for DOKDELING_STORAGE_URL).
- `chromium_browser` (session): a Playwright `Browser` on /usr/bin/chromium.
- `deployment` (session): `Deployment` of `dokdeling run` with embedded defaults:
  `.registry_url`, `.repository_url`, `.registry_endpoint`, `.repository_endpoint`, `.data_dir`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from tests.support.browser import chromium
from tests.support.deployment import Deployment, start_deployment
from tests.support.postgres import PostgresServer, start_postgres
from tests.support.redis_server import RedisServer, start_redis
from tests.support.seaweed import SeaweedServer, start_seaweed


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    logs = tmp_path_factory.mktemp("postgres")
    server = start_postgres()
    try:
        yield server
    finally:
        server.stop(keep_log_in=logs)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    url = postgres_server.create_database()
    try:
        yield url
    finally:
        postgres_server.drop_database(url)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = start_redis(tmp_path_factory.mktemp("redis"))
    try:
        yield server
    finally:
        server.process.stop()


@pytest.fixture(scope="session")
def seaweed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedServer]:
    server = start_seaweed(tmp_path_factory.mktemp("seaweed"))
    try:
        yield server
    finally:
        server.process.stop()


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="session")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    running = start_deployment(tmp_path_factory.mktemp("deployment"))
    try:
        yield running
    finally:
        running.process.stop()
