"""What the integration tests do to a deployment and look at afterwards: publish synthetic
documents with ITI-41, find and read them as a GP, count what the registry and repository hold."""

from __future__ import annotations

import hashlib
import json
import time
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa

from dokdeling.client import XdsClient
from dokdeling.synthetic import GeneratorSettings, SyntheticData, SyntheticSubmission
from dokdeling.synthetic.catalogue import EPIKRISE, POLIKLINISK_EPIKRISE, RADIOLOGISVAR
from dokdeling.tokens import DevIssuerTokens
from schemas.errors import ResponseStatus
from schemas.model import DocumentRequest, RegistryResponse

_SEEDS = iter(range(1000, 100_000))


def new_submission(documents: int = 3) -> SyntheticSubmission:
    """Documents of one new synthetic patient from one hospital, in one submission."""
    data = SyntheticData(GeneratorSettings(seed=next(_SEEDS), now=datetime.now(UTC)))
    patient = data.patient()
    kinds = (EPIKRISE, POLIKLINISK_EPIKRISE, RADIOLOGISVAR)
    chosen = [data.document(patient, kinds[n % 3], nors=False) for n in range(documents)]
    same_place = [d for d in chosen if d.organisation == chosen[0].organisation]
    (submission,) = data.submissions(same_place)
    return submission


def publish(
    client: XdsClient, tokens: DevIssuerTokens, submission: SyntheticSubmission
) -> RegistryResponse:
    token = tokens.publisher(submission.organisation.number)
    return client.provide(submission.provide_request(), token=token)


def check_listed_and_readable(
    client: XdsClient, tokens: DevIssuerTokens, submission: SyntheticSubmission
) -> None:
    """ITI-18 lists exactly the submission's documents with their hash and size; ITI-43 gives
    back their bytes."""
    patient = submission.patient.cx
    token = tokens.reader(patient)
    found = client.find_documents(patient, token=token)
    assert found.status is ResponseStatus.SUCCESS, found.errors
    entries = {e.unique_id: e for e in found.metadata.document_entries}
    assert set(entries) == {d.unique_id for d in submission.documents}
    requests = []
    for document in submission.documents:
        entry, pdf = entries[document.unique_id], document.pdf()
        assert entry.hash == hashlib.sha1(pdf, usedforsecurity=False).hexdigest()
        assert entry.size == len(pdf)
        assert entry.repository_unique_id is not None
        requests.append(
            DocumentRequest(
                repository_unique_id=entry.repository_unique_id,
                document_unique_id=document.unique_id,
            )
        )
    retrieved = client.retrieve(requests, token=token)
    assert retrieved.status is ResponseStatus.SUCCESS, retrieved.errors
    by_id = {d.document_unique_id: d for d in retrieved.documents}
    for document in submission.documents:
        with by_id[document.unique_id].content.open() as stream:
            assert stream.read() == document.pdf()


def audited_transactions(base_url: str, token: str, patient: str) -> list[str]:
    """The IHE transactions of the patient's records the auditor sees (FHIR AuditEvents)."""
    request = urllib.request.Request(
        f"{base_url}/audit/api/events?patient={patient}",
        headers={"Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        bundle = json.load(response)
    return [
        coding["code"]
        for entry in bundle.get("entry", [])
        for coding in entry["resource"].get("subtype", [])
    ]


def document_entries_with(database_url: str, unique_id: str) -> int:
    """How many DocumentEntries with this uniqueId the registry database holds."""
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            count = connection.execute(
                sa.text("SELECT count(*) FROM document_entries WHERE unique_id = :u"),
                {"u": unique_id},
            ).scalar_one()
    finally:
        engine.dispose()
    return int(count)


def registrations(database_url: str) -> list[tuple[str, bool, int]]:
    """(state, in doubt, attempts) of every registration in the repository's outbox."""
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT state, in_doubt, attempts FROM repository_registration")
            ).all()
    finally:
        engine.dispose()
    return [(row[0], bool(row[1]), int(row[2])) for row in rows]


def wait_for(condition: Callable[[], bool], timeout: float = 60.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)
