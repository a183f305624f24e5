"""Smoke tests of the server fixtures: each server really answers."""

from __future__ import annotations

import uuid

import psycopg
import pytest
import redis
from minio import Minio
from minio.error import S3Error
from playwright.sync_api import Browser

from tests.support.postgres import PostgresServer
from tests.support.processes import require_binary
from tests.support.redis_server import RedisServer
from tests.support.seaweed import SeaweedServer


@pytest.mark.postgres
def test_postgres_gives_a_fresh_database_per_test(
    postgres_server: PostgresServer, postgres_url: str
) -> None:
    conninfo = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo) as connection:
        connection.execute("CREATE TABLE probe (id int)")
        tables = connection.execute("SELECT count(*) FROM pg_tables WHERE schemaname='public'")
        assert tables.fetchone() == (1,)
    with psycopg.connect(postgres_server.admin_conninfo) as admin:
        version = admin.execute("SHOW server_version_num").fetchone()
    assert version is not None
    assert int(version[0]) >= 150000


@pytest.mark.redis
def test_redis_answers(redis_server: RedisServer) -> None:
    client = redis.Redis.from_url(redis_server.url())
    try:
        client.set("probe", "ja")
        assert client.get("probe") == b"ja"
    finally:
        client.close()


@pytest.mark.s3
def test_seaweed_stores_objects_and_enforces_credentials(seaweed_server: SeaweedServer) -> None:
    client = seaweed_server.client()
    bucket = f"probe-{uuid.uuid4().hex[:8]}"
    client.make_bucket(bucket)
    assert client.bucket_exists(bucket)
    intruder = Minio(
        seaweed_server.endpoint,
        access_key=seaweed_server.access_key,
        secret_key="wrong",
        secure=False,
    )
    with pytest.raises(S3Error):
        intruder.list_buckets()


@pytest.mark.browser
def test_chromium_renders_a_page(chromium_browser: Browser) -> None:
    page = chromium_browser.new_page()
    try:
        page.set_content("<h1 id='t'>Pasientens journaldokumenter</h1>")
        assert page.inner_text("#t") == "Pasientens journaldokumenter"
    finally:
        page.close()


def test_a_missing_server_binary_fails_with_the_install_hint() -> None:
    with pytest.raises(RuntimeError, match="make system-deps"):
        require_binary("dokdeling-no-such-server")
