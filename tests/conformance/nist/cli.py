"""`python -m tests.conformance.nist`: replay NIST XDS Toolkit tests against a deployment.

Exit status: 0 when every step passed, 1 when a step failed, 2 when the replay could not run
(bad arguments, a test folder the reader does not understand, a dependency cycle).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from schemas.model.hl7v2 import Cx
from tests.conformance.nist.catalogue import (
    MAIN_PATIENT_FIXTURE,
    QUERY_PATIENT_FIXTURE,
    SECOND_PATIENT_FIXTURE,
    TestGroup,
)
from tests.conformance.nist.client import (
    BearerToken,
    Credentials,
    Endpoints,
    NoCredentials,
    XdsClient,
)
from tests.conformance.nist.devtokens import DevIssuerCredentials, DevIssuerUnusable
from tests.conformance.nist.memory import RunMemory
from tests.conformance.nist.patients import Patients, PatientSettings
from tests.conformance.nist.prepare import IdAllocator
from tests.conformance.nist.reader import TestkitError
from tests.conformance.nist.report import RunReport, StepResult, step_lines, summary_lines
from tests.conformance.nist.runner import Replayer, folders_to_run, locate_test
from tests.conformance.nist.steps import RunSettings, StepRunner
from trustframework.settings import TrustConfigurationError, TrustSettings

EXIT_FAILED = 1
EXIT_CANNOT_RUN = 2
TOKEN_VARIABLE = "DOKDELING_NIST_TOKEN"


def _patient_id(_ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    cx = Cx.parse(value)
    if not cx.id_number or not cx.authority_oid:
        raise click.BadParameter(
            f"{value!r} is not a CX patient id like 13116900216^^^&2.16.578.1.12.4.1.4.1&ISO",
            param=param,
        )
    return cx.render()


def _fixed_patients(main: str | None, second: str | None, query: str | None) -> dict[str, str]:
    given = {
        MAIN_PATIENT_FIXTURE: main,
        SECOND_PATIENT_FIXTURE: second,
        QUERY_PATIENT_FIXTURE: query,
    }
    return {fixture: patient for fixture, patient in given.items() if patient is not None}


def build_replayer(
    *,
    endpoints: Endpoints,
    credentials: Credentials,
    patients: PatientSettings,
    source_id: str | None,
    timeout: float,
) -> Replayer:
    """A replayer against one deployment, with fresh ids for this run."""
    client = XdsClient(endpoints, credentials, timeout=timeout)
    ids = IdAllocator()
    steps = StepRunner(
        client,
        RunMemory(locate_test),
        Patients(patients, ids),
        ids,
        RunSettings(source_id=source_id),
    )
    return Replayer(steps)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--registry", required=True, help="The registry's SOAP endpoint URL.")
@click.option("--repository", required=True, help="The repository's SOAP endpoint URL.")
@click.option(
    "--token",
    envvar=TOKEN_VARIABLE,
    show_envvar=True,
    help="Send 'Authorization: Bearer TOKEN' with every request.",
)
@click.option(
    "--dev-issuer",
    is_flag=True,
    help="Sign tokens with the development issuer (its key under --data-dir); the deployment "
    "must trust it (DOKDELING_TRUST_ISSUERS).",
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="DOKDELING_DATA_DIR",
    default=Path("var"),
    show_default=True,
    show_envvar=True,
    help="With --dev-issuer: the issuer's key is kept under DIR/dev-issuer/.",
)
@click.option(
    "--report",
    "report_file",
    type=click.Path(dir_okay=False, writable=True),
    help="Also write the report as JSON to this file.",
)
@click.option(
    "--no-patient-feed",
    is_flag=True,
    help="Do not feed the patient fixtures' ids (the deployment knows them without a feed).",
)
@click.option(
    "--patient-feed",
    "patient_feed",
    help="The patient feed URL [{registry base}/admin/patients].",
)
@click.option("--patient-id", callback=_patient_id, help="The patient of 15817 (CX).")
@click.option("--alt-patient-id", callback=_patient_id, help="The second patient, 15817b (CX).")
@click.option(
    "--query-patient-id", callback=_patient_id, help="The stored-query data's patient, 15818 (CX)."
)
@click.option("--source-id", help="Put this sourceId into every SubmissionSet sent.")
@click.option(
    "--group",
    "groups",
    multiple=True,
    type=click.Choice([group.value for group in TestGroup]),
    help="With the testkit root as DIR: run only this group (repeatable) [all].",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=60.0,
    show_default=True,
    help="Seconds to wait for each answer.",
)
@click.option("--quiet", is_flag=True, help="Print only failed steps and the summary.")
@click.argument(
    "folders",
    metavar="DIR...",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
def main(
    *,
    registry: str,
    repository: str,
    token: str | None,
    dev_issuer: bool,
    data_dir: Path,
    report_file: str | None,
    no_patient_feed: bool,
    patient_feed: str | None,
    patient_id: str | None,
    alt_patient_id: str | None,
    query_patient_id: str | None,
    source_id: str | None,
    groups: Sequence[str],
    timeout: float,
    quiet: bool,
    folders: Sequence[Path],
) -> None:
    """Replay NIST XDS Toolkit tests (DIR: test folders, or the testkit root) against a
    deployment; dependencies such as 12346 and 15817 run first. Exit 0 when every step passes,
    1 when a step fails, 2 when the replay cannot run."""
    patients = PatientSettings(
        feed=not no_patient_feed,
        fixed=_fixed_patients(patient_id, alt_patient_id, query_patient_id),
    )
    replayer = build_replayer(
        endpoints=Endpoints.of(registry, repository, patient_feed),
        credentials=_credentials(token, dev_issuer, data_dir, patients),
        patients=patients,
        source_id=source_id,
        timeout=timeout,
    )
    try:
        planned = replayer.plan(folders_to_run(folders, [TestGroup(g) for g in groups]))
    except TestkitError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_CANNOT_RUN)

    def show(step: StepResult) -> None:
        if not (quiet and step.passed):
            for line in step_lines(step):
                click.echo(line)

    try:
        report = replayer.run(planned, on_step=show)
    except TestkitError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_CANNOT_RUN)
    _finish(report, report_file)


def _credentials(
    token: str | None, dev_issuer: bool, data_dir: Path, patients: PatientSettings
) -> Credentials:
    if not dev_issuer:
        return BearerToken(token) if token else NoCredentials()
    if token:
        raise click.UsageError("give --token or --dev-issuer, not both")
    try:
        settings = TrustSettings.from_env()
        authorities = patients.authorities()
        return DevIssuerCredentials.for_deployment(data_dir, settings, authorities)
    except (DevIssuerUnusable, TrustConfigurationError) as exc:
        raise click.UsageError(str(exc)) from exc


def _finish(report: RunReport, report_file: str | None) -> None:
    for line in summary_lines(report):
        click.echo(line)
    if report_file is not None:
        report.write_json(report_file)
    sys.exit(0 if report.passed else EXIT_FAILED)
