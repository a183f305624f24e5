"""The NIST repository tests (11966 11979 11983 11986 12029 12360), replayed against a running
deployment (`dokdeling run`: registry, repository and worker as processes) with
development-issuer tokens: once on SQLite, file storage and the embedded broker, once on
PostgreSQL, SeaweedFS S3 and Redis. Each NIST test is one pytest test, failing with its report
lines; the patient fixtures they use are checked too.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conformance.nist.catalogue import TestGroup, group_tests
from tests.conformance.nist.report import RunReport
from tests.support.nist_replay import failed_steps, fixture_results, replayed
from tests.support.postgres import PostgresServer
from tests.support.redis_server import RedisServer
from tests.support.seaweed import SeaweedServer

pytestmark = pytest.mark.slow

GROUPS = (TestGroup.REPOSITORY,)
BROKER_DB = 7  # this module's Redis database
STACKS = [
    "sqlite-file-embedded",
    pytest.param(
        "postgresql-s3-redis",
        marks=[pytest.mark.postgres, pytest.mark.s3, pytest.mark.redis],
    ),
]


def _stack_overrides(request: pytest.FixtureRequest) -> dict[str, str]:
    if request.param == "sqlite-file-embedded":
        return {}
    postgres: PostgresServer = request.getfixturevalue("postgres_server")
    seaweed: SeaweedServer = request.getfixturevalue("seaweed_server")
    redis: RedisServer = request.getfixturevalue("redis_server")
    bucket = f"nist-{uuid.uuid4().hex[:12]}"
    seaweed.client().make_bucket(bucket)
    return {
        "DOKDELING_REGISTRY_DATABASE_URL": postgres.create_database("registry"),
        "DOKDELING_REPOSITORY_DATABASE_URL": postgres.create_database("repository"),
        "DOKDELING_STORAGE_URL": seaweed.storage_url(bucket),
        "DOKDELING_S3_ACCESS_KEY": seaweed.access_key,
        "DOKDELING_S3_SECRET_KEY": seaweed.secret_key,
        "DOKDELING_BROKER_URL": redis.url(db=BROKER_DB),
    }


@pytest.fixture(scope="module", params=STACKS)
def replay(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, conformance: Path
) -> Iterator[RunReport]:
    folder = tmp_path_factory.mktemp(f"nist-{request.param}")
    overrides = _stack_overrides(request)
    with replayed(folder, overrides, GROUPS, conformance / "nist-testkit") as report:
        yield report


@pytest.mark.parametrize("test_name", group_tests(*GROUPS))
def test_nist(replay: RunReport, test_name: str) -> None:
    failures = failed_steps(replay, test_name)
    assert not failures, failures


def test_the_fixtures_the_tests_use_passed_too(replay: RunReport) -> None:
    fixtures, failures = fixture_results(replay, GROUPS)
    assert fixtures >= {"15817"}
    assert not failures, failures
