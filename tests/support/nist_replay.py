"""The NIST testkit replayed against a fresh `dokdeling run`, as `python -m tests.conformance.nist
--dev-issuer` replays it: `dokdeling db upgrade`, the deployment started with the given
variables, development-issuer tokens as a real client sends them, one report."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from tests.conformance.nist.catalogue import TestGroup, group_tests
from tests.conformance.nist.cli import build_replayer, deployment_trust
from tests.conformance.nist.client import Endpoints
from tests.conformance.nist.devtokens import DevIssuerCredentials
from tests.conformance.nist.patients import PatientSettings
from tests.conformance.nist.report import RunReport, step_lines
from tests.conformance.nist.runner import folders_to_run
from tests.support.deployment import deployment_environment, start_deployment


def _upgrade(folder: Path, overrides: Mapping[str, str]) -> None:
    """`dokdeling db upgrade` in the deployment's environment, before it starts."""
    environment = deployment_environment({**overrides, "DOKDELING_DATA_DIR": str(folder / "var")})
    subprocess.run(
        [sys.executable, "-m", "dokdeling", "db", "upgrade"],
        env=environment,
        check=True,
        capture_output=True,
        timeout=120,
    )


@contextmanager
def replayed(
    folder: Path, overrides: Mapping[str, str], groups: Sequence[TestGroup], testkit: Path
) -> Iterator[RunReport]:
    """The report of one replay of `groups` against a deployment made for it under `folder`."""
    _upgrade(folder, overrides)
    deployment = start_deployment(folder, overrides)
    try:
        settings = deployment_trust(deployment.data_dir, deployment_environment(overrides))
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
        yield replayer.run(replayer.plan(folders_to_run([testkit], list(groups))))
    finally:
        deployment.process.stop()


def failed_steps(report: RunReport, test_name: str) -> str:
    """The report lines of the test's failed steps ("" when they all passed)."""
    steps = [step for step in report.steps if step.test == test_name]
    assert steps, f"{test_name} was not replayed"
    return "\n".join(line for step in steps if not step.passed for line in step_lines(step))


def fixture_results(report: RunReport, groups: Sequence[TestGroup]) -> tuple[set[str], str]:
    """The fixtures the replay ran besides the tests of `groups` (15817, 12346, …), and the
    report lines of their failed steps ("" when they all passed)."""
    catalogue = set(group_tests(*groups))
    fixtures = {step.test for step in report.steps if step.test not in catalogue}
    failures = "".join(failed_steps(report, test) for test in sorted(fixtures))
    return fixtures, failures
