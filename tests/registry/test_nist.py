"""Every visible NIST registry, metadata-update and stored-query test, replayed against a running
deployment (`dokdeling run`: `registry serve` under gunicorn, the worker, the repository) on
SQLite and on PostgreSQL, with development-issuer tokens as a real client sends them.

The replay runs once per database (dependencies such as 15817 and 12346 once); each NIST test is
one pytest test, which fails with that test's report lines.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conformance.nist.catalogue import TestGroup, group_tests
from tests.conformance.nist.cli import build_replayer, deployment_trust
from tests.conformance.nist.client import Endpoints
from tests.conformance.nist.devtokens import DevIssuerCredentials
from tests.conformance.nist.patients import PatientSettings
from tests.conformance.nist.report import RunReport, step_lines
from tests.conformance.nist.runner import folders_to_run
from tests.support.deployment import deployment_environment, start_deployment
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


def _upgrade(folder: Path, overrides: dict[str, str]) -> None:
    """`dokdeling db upgrade` in the deployment's environment, before it starts."""
    environment = deployment_environment({**overrides, "DOKDELING_DATA_DIR": str(folder / "var")})
    subprocess.run(
        [sys.executable, "-m", "dokdeling", "db", "upgrade"],
        env=environment,
        check=True,
        capture_output=True,
        timeout=120,
    )


@pytest.fixture(scope="module", params=DATABASES)
def replay(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, conformance: Path
) -> Iterator[RunReport]:
    """The report of one replay of the three groups against a fresh deployment."""
    folder = tmp_path_factory.mktemp(f"nist-{request.param}")
    overrides = _database_overrides(request)
    _upgrade(folder, overrides)
    deployment = start_deployment(folder, overrides)
    try:
        environment = deployment_environment(overrides)
        settings = deployment_trust(deployment.data_dir, environment)
        patients = PatientSettings()
        credentials = DevIssuerCredentials.for_deployment(
            deployment.data_dir, settings, patients.authorities()
        )
        replayer = build_replayer(
            endpoints=Endpoints.of(deployment.registry_endpoint, deployment.repository_endpoint),
            credentials=credentials,
            patients=patients,
            source_id=None,
            timeout=60,
        )
        testkit = conformance / "nist-testkit"
        yield replayer.run(replayer.plan(folders_to_run([testkit], list(GROUPS))))
    finally:
        deployment.process.stop()


@pytest.mark.parametrize("test_name", group_tests(*GROUPS))
def test_nist(replay: RunReport, test_name: str) -> None:
    steps = [step for step in replay.steps if step.test == test_name]
    assert steps, f"{test_name} was not replayed"
    failed = [step for step in steps if not step.passed]
    assert not failed, "\n".join(line for step in failed for line in step_lines(step))


def test_the_fixtures_the_tests_use_passed_too(replay: RunReport) -> None:
    catalogue = set(group_tests(*GROUPS))
    fixtures = [step for step in replay.steps if step.test not in catalogue]
    assert {step.test for step in fixtures} >= {"15817", "15817b", "15818", "12346"}
    failed = [step for step in fixtures if not step.passed]
    assert not failed, "\n".join(line for step in failed for line in step_lines(step))
