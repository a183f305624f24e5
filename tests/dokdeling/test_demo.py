"""`dokdeling run` seeds its demo data through ITI-41 once per data folder, and the example it
prints works when pasted into a shell."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from dokdeling.client import XdsClient
from dokdeling.demo import demo_data, documents_of, is_seeded
from dokdeling.synthetic.metadata import NORS
from dokdeling.tokens import DevIssuerTokens
from schemas.ebrim.transform import metadata_to_rim
from schemas.errors import ResponseStatus
from schemas.norway import oids
from schemas.norway.identifiers import validate_national_identity_number
from schemas.validation import NORWAY, Transaction, validate_submission
from tests.support.deployment import Deployment, deployment_environment, start_deployment

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Deployment, Path]]:
    folder = tmp_path_factory.mktemp("demo")
    running = start_deployment(folder, demo=True)
    try:
        yield running, folder
    finally:
        running.process.stop()


def _log(folder: Path, name: str = "run.log") -> str:
    return (folder / name).read_text(errors="replace")


def test_the_plan_is_synthetic_norwegian_and_valid() -> None:
    data = demo_data()
    assert len(data.patients) == 6
    kinds = {d.kind.key for d in data.documents}
    assert {"epikrise", "poliklinisk-epikrise", "radiologisvar", "henvisning"} <= kinds
    assert sum(1 for d in data.documents if d.confidentiality == NORS) == 1
    for patient in data.patients:
        assert validate_national_identity_number(patient.national_id, oids.FODSELSNUMMER).synthetic
    for submission in data.submissions:
        rim = metadata_to_rim(submission.provide_request().submission.metadata)
        report = validate_submission(rim, Transaction.PROVIDE_AND_REGISTER, NORWAY)
        assert report.findings == ()
    assert [p.national_id for p in demo_data().patients] == [p.national_id for p in data.patients]


def test_the_demo_is_seeded_through_iti_41_and_read_back_by_a_gp(
    seeded: tuple[Deployment, Path],
) -> None:
    deployment, folder = seeded
    data = demo_data()
    log = _log(folder)
    assert f"demo data: 6 synthetic patients, {len(data.documents)} documents" in log
    assert is_seeded(deployment.data_dir)
    environ = deployment_environment({"DOKDELING_DATA_DIR": str(deployment.data_dir)})
    tokens = DevIssuerTokens.for_deployment(deployment.data_dir, environ)
    client = XdsClient(registry=deployment.registry_url, repository=deployment.repository_url)
    for patient in data.patients:
        found = client.find_documents(patient.cx, token=tokens.reader(patient.cx))
        assert found.status is ResponseStatus.SUCCESS
        nors = sum(1 for d in data.documents if d.patient == patient and d.confidentiality == NORS)
        assert len(found.metadata.document_entries) == documents_of(data, patient) - nors


def test_the_printed_example_query_works_when_pasted(seeded: tuple[Deployment, Path]) -> None:
    _, folder = seeded
    log = _log(folder)
    token_line = re.search(r"^  (TOKEN=\$\(.*\))$", log, re.MULTILINE)
    curl_line = re.search(r"^  (curl .*)$", log, re.MULTILINE)
    assert token_line is not None
    assert curl_line is not None
    example = demo_data().example_patient

    pasted = subprocess.run(
        ["bash", "-c", f"{token_line[1]}\n{curl_line[1]}"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=deployment_environment({}),
    )

    assert pasted.returncode == 0, pasted.stderr
    assert "ResponseStatusType:Success" in pasted.stdout
    expected = documents_of(demo_data(), example)
    assert pasted.stdout.count("<rim:ExtrinsicObject ") == expected
    assert example.national_id in pasted.stdout


def test_a_second_start_on_the_same_folder_seeds_nothing(
    seeded: tuple[Deployment, Path],
) -> None:
    deployment, folder = seeded
    deployment.process.stop()
    again = start_deployment(folder, demo=True, log_name="run-again.log")
    try:
        assert "demo data: already seeded" in _log(folder, "run-again.log")
        data = demo_data()
        environ = deployment_environment({"DOKDELING_DATA_DIR": str(again.data_dir)})
        tokens = DevIssuerTokens.for_deployment(again.data_dir, environ)
        client = XdsClient(registry=again.registry_url, repository=again.repository_url)
        example = data.example_patient
        found = client.find_documents(example.cx, token=tokens.reader(example.cx))
        assert len(found.metadata.document_entries) == documents_of(data, example)
    finally:
        again.process.stop()


def test_no_demo_seeds_nothing(tmp_path: Path) -> None:
    running = start_deployment(tmp_path)
    try:
        assert not is_seeded(running.data_dir)
        assert "demo data" not in _log(tmp_path)
    finally:
        running.process.stop()
