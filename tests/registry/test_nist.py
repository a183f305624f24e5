"""Every visible NIST registry, metadata-update and stored-query test, replayed against a running
deployment (`dokdeling run`: `registry serve` under gunicorn, the worker, the repository) on
SQLite and on PostgreSQL, with development-issuer tokens as a real client sends them.

The replay runs once per database (dependencies such as 15817 and 12346 once); each NIST test is
one pytest test, which fails with that test's report lines.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conformance.nist.catalogue import TestGroup, group_tests
from tests.conformance.nist.report import RunReport
from tests.support.nist_replay import failed_steps, fixture_results, replayed
from tests.support.postgres import PostgresServer

pytestmark = pytest.mark.slow

GROUPS = (TestGroup.REGISTRY, TestGroup.METADATA_UPDATE, TestGroup.QUERY)
DATABASES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _database_overrides(request: pytest.FixtureRequest) -> dict[str, str]:
    if request.param == "sqlite":
        return {}
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return {
        "DOKDELING_REGISTRY_DATABASE_URL": server.create_database("registry"),
        "DOKDELING_REPOSITORY_DATABASE_URL": server.create_database("repository"),
    }


@pytest.fixture(scope="module", params=DATABASES)
def replay(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, conformance: Path
) -> Iterator[RunReport]:
    """The report of one replay of the three groups against a fresh deployment."""
    folder = tmp_path_factory.mktemp(f"nist-{request.param}")
    overrides = _database_overrides(request)
    with replayed(folder, overrides, GROUPS, conformance / "nist-testkit") as report:
        yield report


@pytest.mark.parametrize("test_name", group_tests(*GROUPS))
def test_nist(replay: RunReport, test_name: str) -> None:
    failures = failed_steps(replay, test_name)
    assert not failures, failures


def test_the_fixtures_the_tests_use_passed_too(replay: RunReport) -> None:
    fixtures, failures = fixture_results(replay, GROUPS)
    assert fixtures >= {"15817", "15817b", "15818", "12346"}
    assert not failures, failures
