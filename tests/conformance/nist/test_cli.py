"""`python -m tests.conformance.nist`: exit codes, printed and JSON reports, options."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from schemas import vocabulary as v
from tests.conformance.nist.cli import TOKEN_VARIABLE, main
from tests.conformance.nist.fake_xds import RunningFake, failure
from tests.support.paths import REPO_ROOT

FNR_PATIENT = "15838510075^^^&2.16.578.1.12.4.1.4.1&ISO"  # synthetic fødselsnummer


def replay(fake: RunningFake, *arguments: str, env: dict[str, str] | None = None) -> Result:
    endpoints = ("--registry", fake.registry, "--repository", fake.repository)
    return CliRunner().invoke(main, [*endpoints, *arguments], env=env)


def test_every_step_passing_exits_0_and_writes_the_json_report(
    testkit: Path, fake: RunningFake, tmp_path: Path
) -> None:
    report_file = tmp_path / "report.json"
    result = replay(fake, "--token", "t0k", "--report", str(report_file), str(testkit / "11990"))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("PASS 15817/pif/step [PatientIdentityFeedTransaction]")
    assert lines[-2:] == ["4 steps in 2 tests: 4 passed, 0 failed", "PASSED"]
    report = json.loads(report_file.read_text())
    assert report["passed"] is True
    assert report["summary"] == {
        "steps": 4,
        "steps_failed": 0,
        "tests": ["15817", "11990"],
        "tests_failed": [],
    }
    submit = report["steps"][1]
    assert submit["test"] == "11990"
    assert submit["section"] == "submit"
    assert submit["transaction"] == "RegisterTransaction"
    assert submit["expected_statuses"] == [v.RESPONSE_SUCCESS]
    assert submit["actual_status"] == v.RESPONSE_SUCCESS
    assert submit["failures"] == []
    assert submit["passed"] is True
    assert set(fake.state.authorizations) == {"Bearer t0k"}


def test_a_failed_step_exits_1_and_says_which_check_failed(
    testkit: Path, fake: RunningFake, tmp_path: Path
) -> None:
    fake.state.scripts[v.ACTION_REGISTER] = lambda _: failure(
        v.ACTION_REGISTER, "XDSRegistryError", "the database is away"
    )
    report_file = tmp_path / "report.json"
    result = replay(fake, "--quiet", "--report", str(report_file), str(testkit / "11990"))
    assert result.exit_code == 1
    assert "PASS" not in result.output, "--quiet prints failed steps only"
    assert "    error XDSRegistryError (Error): the database is away" in result.output
    assert "    failed ExpectedStatus: expected Success, got Failure" in result.output
    assert result.output.splitlines()[-2:] == ["failed tests: 11990", "FAILED"]
    report = json.loads(report_file.read_text())
    assert report["passed"] is False
    assert report["summary"]["tests_failed"] == ["11990"]
    (submit,) = [s for s in report["steps"] if s["step"] == "submit"]
    assert submit["errors"] == [
        {
            "code": "XDSRegistryError",
            "context": "the database is away",
            "severity": v.SEVERITY_ERROR,
            "location": None,
        }
    ]
    assert submit["failures"] == [
        {"check": "ExpectedStatus", "detail": "expected Success, got Failure"}
    ]


def test_a_known_patient_without_a_feed_and_the_token_from_the_environment(
    testkit: Path, fake: RunningFake
) -> None:
    fake.state.patients.add(FNR_PATIENT)
    result = replay(
        fake,
        "--no-patient-feed",
        "--patient-id",
        FNR_PATIENT,
        str(testkit / "11990"),
        env={TOKEN_VARIABLE: "from-env"},
    )
    assert result.exit_code == 0, result.output
    assert f"note: patient {FNR_PATIENT} not fed (--no-patient-feed)" in result.output
    assert set(fake.state.authorizations) == {"Bearer from-env"}
    assert fake.state.patients == {FNR_PATIENT}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("{testkit}/11990/submit",), "is a section of"),
        (("--patient-id", "13116900216", "{testkit}/11990"), "is not a CX patient id"),
        (("--group", "xca", "{testkit}"), "Invalid value for '--group'"),
        (("{testkit}/no-such-test",), "does not exist"),
    ],
)
def test_a_replay_that_cannot_run_exits_2(
    testkit: Path, fake: RunningFake, arguments: tuple[str, ...], message: str
) -> None:
    result = replay(fake, *(a.format(testkit=testkit) for a in arguments))
    assert result.exit_code == 2
    assert message in result.output
    assert fake.state.received == []


def test_the_module_runs_as_a_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tests.conformance.nist", "--help"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "--registry" in done.stdout
    assert "DIR..." in done.stdout
