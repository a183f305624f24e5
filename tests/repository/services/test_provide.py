"""ITI-41 end to end below HTTP: real storage, database and registry client against a registry
stand-in on a real port; registrations are attempted by threads (the Celery worker process is
tested in tests/repository/test_worker.py)."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import pytest

from repository.model import RegistrationMode, RegistrationState
from repository.settings import RepositorySettings
from repository.state import RepositoryServices
from repository.wiring import build_services
from schemas import vocabulary as v
from schemas.ebrim.rim import RimKind
from schemas.errors import RegistryError, ResponseStatus, Severity, XdsErrorCode, XdsFailure
from schemas.model.messages import RegistryResponse, RetrieveDocumentSetRequest
from schemas.mtom import AttachmentSpool
from tests.support import submissions as s
from tests.support.fake_registry import Behaviour, FakeRegistry
from tests.support.repository import (
    document_request,
    document_unique_id,
    entry_id,
    eventually,
    migrated_runtime,
    provide_request,
    provided_submission,
    repository_settings,
    stored_keys,
    threaded_services,
)
from tests.support.seaweed import SeaweedServer

EPIKRISE = b"%PDF-1.7 epikrise etter innleggelse\n"
NOTAT = b"%PDF-1.7 poliklinisk notat\n"


def setup(
    tmp_path: Path, registry: FakeRegistry, **variables: str
) -> tuple[RepositorySettings, RepositoryServices]:
    settings = repository_settings(tmp_path, registry.url, variables)
    services, _ = threaded_services(settings)
    return settings, services


def codes(failure: XdsFailure | RegistryResponse) -> list[str]:
    return [e.code for e in failure.errors]


def retrieved(
    services: RepositoryServices, settings: RepositorySettings, number: int
) -> bytes | None:
    request = RetrieveDocumentSetRequest(documents=(document_request(settings, number),))
    with services.retrieve.retrieve(request) as result:
        if not result.response.documents:
            return None
        with result.response.documents[0].content.open() as stream:
            return stream.read()


def test_provided_documents_are_stored_and_registered(
    tmp_path: Path, registry: FakeRegistry
) -> None:
    settings, services = setup(tmp_path, registry)
    outcome = services.provide.provide(provide_request([EPIKRISE, NOTAT]))
    assert outcome.response == RegistryResponse(status=ResponseStatus.SUCCESS)
    registered = {e.unique_id: e for e in registry.entries_registered()}
    for number, content in ((1, EPIKRISE), (2, NOTAT)):
        entry = registered[document_unique_id(number)]
        assert entry.repository_unique_id == settings.repository_unique_id
        assert entry.hash == hashlib.sha1(content, usedforsecurity=False).hexdigest()
        assert entry.size == len(content)
        assert retrieved(services, settings, number) == content
    assert len(stored_keys(services)) == 2


def test_an_entry_without_its_document_is_refused(tmp_path: Path, registry: FakeRegistry) -> None:
    _, services = setup(tmp_path, registry)
    request = provide_request([EPIKRISE], objects=provided_submission(2))
    with pytest.raises(XdsFailure) as refused:
        services.provide.provide(request)
    (error,) = refused.value.errors
    assert error.code == XdsErrorCode.MISSING_DOCUMENT.value
    assert entry_id(2) in error.context
    assert document_unique_id(2) in error.context
    assert registry.received == []
    assert stored_keys(services) == []


def test_a_document_without_its_entry_is_refused(tmp_path: Path, registry: FakeRegistry) -> None:
    _, services = setup(tmp_path, registry)
    request = provide_request([EPIKRISE, NOTAT], objects=provided_submission(1))
    with pytest.raises(XdsFailure) as refused:
        services.provide.provide(request)
    assert codes(refused.value) == [XdsErrorCode.MISSING_DOCUMENT_METADATA.value]
    assert entry_id(2) in refused.value.errors[0].context
    assert stored_keys(services) == []


@pytest.mark.parametrize(
    ("slot", "value"),
    [(v.SLOT_HASH, "0" * 40), (v.SLOT_SIZE, str(len(EPIKRISE) + 1))],
)
def test_a_declared_hash_or_size_must_be_the_documents(
    tmp_path: Path, registry: FakeRegistry, slot: str, value: str
) -> None:
    _, services = setup(tmp_path, registry)
    objects = s.replace_object(
        provided_submission(1), entry_id(1), lambda e: s.with_slot(e, slot, value)
    )
    with pytest.raises(XdsFailure) as refused:
        services.provide.provide(provide_request([EPIKRISE], objects))
    assert codes(refused.value) == [XdsErrorCode.REPOSITORY_METADATA_ERROR.value]
    assert value in refused.value.errors[0].context
    assert stored_keys(services) == []


def test_a_correct_declared_hash_and_size_are_kept(tmp_path: Path, registry: FakeRegistry) -> None:
    _, services = setup(tmp_path, registry)
    sha1 = hashlib.sha1(EPIKRISE, usedforsecurity=False).hexdigest()
    objects = s.replace_object(
        provided_submission(1),
        entry_id(1),
        lambda e: s.with_slot(s.with_slot(e, v.SLOT_HASH, sha1.upper()), v.SLOT_SIZE, "36"),
    )
    outcome = services.provide.provide(provide_request([EPIKRISE], objects))
    assert outcome.response.status is ResponseStatus.SUCCESS
    assert [e.hash for e in registry.entries_registered()] == [sha1]


def test_documents_above_the_maximum_size_are_refused(
    tmp_path: Path, registry: FakeRegistry
) -> None:
    _, services = setup(tmp_path, registry, MAX_DOCUMENT_BYTES="30")
    with pytest.raises(XdsFailure) as refused:
        services.provide.provide(provide_request([EPIKRISE]))
    assert codes(refused.value) == [XdsErrorCode.REPOSITORY_ERROR.value]
    assert "at most 30 bytes" in refused.value.errors[0].context
    assert stored_keys(services) == []


def test_invalid_metadata_is_refused_before_anything_is_stored(
    tmp_path: Path, registry: FakeRegistry
) -> None:
    _, services = setup(tmp_path, registry)
    objects = s.replace_object(
        provided_submission(1), entry_id(1), s.dropping_external_identifier(v.DE_PATIENT_ID)
    )
    with pytest.raises(XdsFailure) as refused:
        services.provide.provide(provide_request([EPIKRISE], objects))
    assert XdsErrorCode.REGISTRY_METADATA_ERROR.value in codes(refused.value)
    assert stored_keys(services) == []
    assert registry.received == []


def test_the_registry_errors_come_back_unchanged_and_nothing_stays(
    tmp_path: Path, registry: FakeRegistry
) -> None:
    settings, services = setup(tmp_path, registry)
    registry.behaviour = Behaviour.REJECT
    registry.errors = (
        RegistryError(
            code=XdsErrorCode.PATIENT_ID_DOES_NOT_MATCH.value,
            context="The patient id is not the SubmissionSet's",
            location=entry_id(1),
        ),
        RegistryError(
            code=XdsErrorCode.EXTRA_METADATA_NOT_SAVED.value,
            context="urn:example:slot",
            severity=Severity.WARNING,
        ),
    )
    outcome = services.provide.provide(provide_request([EPIKRISE]))
    assert outcome.response == RegistryResponse(
        status=ResponseStatus.FAILURE, errors=registry.errors
    )
    assert stored_keys(services) == []
    assert retrieved(services, settings, 1) is None
    registration = services.store.registration(outcome.registration_id)
    assert registration is not None
    assert registration.state is RegistrationState.REJECTED


def test_an_unreachable_registry_fails_the_request_after_its_deadline(
    tmp_path: Path, registry: FakeRegistry
) -> None:
    settings, services = setup(tmp_path, registry, REGISTRATION_TIMEOUT="0.5")
    registry.behaviour = Behaviour.UNAVAILABLE
    outcome = services.provide.provide(provide_request([EPIKRISE]))
    assert outcome.response.status is ResponseStatus.FAILURE
    assert codes(outcome.response) == [XdsErrorCode.REGISTRY_NOT_AVAILABLE.value]
    assert stored_keys(services) == []
    assert retrieved(services, settings, 1) is None
    registration = services.store.registration(outcome.registration_id)
    assert registration is not None
    assert registration.state is RegistrationState.ABANDONED
    assert registration.attempts >= 1


def test_without_a_worker_the_request_fails_as_busy(tmp_path: Path, registry: FakeRegistry) -> None:
    settings = repository_settings(tmp_path, registry.url, {"REGISTRATION_TIMEOUT": "0.3"})
    services = build_services(settings, migrated_runtime(settings))  # the broker, but no worker
    outcome = services.provide.provide(provide_request([EPIKRISE]))
    assert codes(outcome.response) == [XdsErrorCode.REPOSITORY_BUSY.value]
    assert stored_keys(services) == []
    assert registry.received == []


def test_a_registration_in_doubt_is_completed_in_the_background(
    tmp_path: Path, registry: FakeRegistry
) -> None:
    settings, services = setup(
        tmp_path, registry, REGISTRATION_TIMEOUT="0.3", REGISTRY_READ_TIMEOUT="0.1"
    )
    registry.behaviour = Behaviour.HOLD  # registers, then the answer does not come in time
    outcome = services.provide.provide(provide_request([EPIKRISE]))
    assert codes(outcome.response) == [XdsErrorCode.REGISTRY_NOT_AVAILABLE.value]
    assert "may have received it" in outcome.response.errors[0].context
    registry.behaviour = Behaviour.ACCEPT
    registry.release.set()

    def registered() -> bool:
        registration = services.store.registration(outcome.registration_id)
        return registration is not None and registration.state is RegistrationState.REGISTERED

    eventually(registered)
    assert retrieved(services, settings, 1) == EPIKRISE
    assert [e.unique_id for e in registry.entries_registered()] == [document_unique_id(1)]
    registration = services.store.registration(outcome.registration_id)
    assert registration is not None
    assert (registration.in_doubt, registration.mode) == (True, RegistrationMode.DEFERRED)


def test_deferred_mode_answers_once_stored_and_registers_later(
    tmp_path: Path, registry: FakeRegistry
) -> None:
    settings, services = setup(tmp_path, registry)
    registry.behaviour = Behaviour.UNAVAILABLE
    outcome = services.provide.provide(provide_request([EPIKRISE]), mode=RegistrationMode.DEFERRED)
    assert outcome.response.status is ResponseStatus.SUCCESS
    assert outcome.mode is RegistrationMode.DEFERRED
    assert retrieved(services, settings, 1) is None  # stored, not yet registered
    registry.behaviour = Behaviour.ACCEPT
    eventually(lambda: retrieved(services, settings, 1) == EPIKRISE)


def test_the_same_document_again_is_a_resubmission(tmp_path: Path, registry: FakeRegistry) -> None:
    _, services = setup(tmp_path, registry)
    first = services.provide.provide(provide_request([EPIKRISE]))
    again = services.provide.provide(provide_request([EPIKRISE]))
    assert first.response.status is again.response.status is ResponseStatus.SUCCESS
    assert len(registry.received) == 2
    assert len(list(registry.entries_registered())) == 1
    assert len(stored_keys(services)) == 1


def test_other_bytes_under_a_held_unique_id_are_refused(
    tmp_path: Path, registry: FakeRegistry
) -> None:
    _, services = setup(tmp_path, registry)
    services.provide.provide(provide_request([EPIKRISE]))
    with pytest.raises(XdsFailure) as refused:
        services.provide.provide(provide_request([NOTAT]))
    assert codes(refused.value) == [XdsErrorCode.NON_IDENTICAL_HASH.value]
    assert len(stored_keys(services)) == 1


def test_mtom_attachments_are_stored_with_their_precomputed_digest(
    tmp_path: Path, registry: FakeRegistry
) -> None:
    settings, services = setup(tmp_path, registry)
    with AttachmentSpool() as spool:
        attachment = spool.store([EPIKRISE[:10], EPIKRISE[10:]], content_id="a", content_type="x")
        outcome = services.provide.provide(provide_request([attachment]))
    assert outcome.response.status is ResponseStatus.SUCCESS
    assert retrieved(services, settings, 1) == EPIKRISE


def test_entries_get_this_repositorys_unique_id(tmp_path: Path, registry: FakeRegistry) -> None:
    settings, services = setup(tmp_path, registry)
    objects = s.in_every(
        provided_submission(1),
        [RimKind.EXTRINSIC_OBJECT],
        lambda e: s.with_slot(e, v.SLOT_REPOSITORY_UNIQUE_ID, "2.999.9.9"),
    )
    services.provide.provide(provide_request([EPIKRISE], objects))
    assert [e.repository_unique_id for e in registry.entries_registered()] == [
        settings.repository_unique_id
    ]


@pytest.mark.postgres
@pytest.mark.s3
def test_provide_and_retrieve_on_postgresql_and_s3(
    tmp_path: Path, registry: FakeRegistry, postgres_url: str, seaweed_server: SeaweedServer
) -> None:
    settings, services = setup(
        tmp_path,
        registry,
        REPOSITORY_DATABASE_URL=postgres_url,
        STORAGE_URL=seaweed_server.storage_url(f"produksjon-{uuid.uuid4().hex[:8]}"),
        S3_ACCESS_KEY=seaweed_server.access_key,
        S3_SECRET_KEY=seaweed_server.secret_key,
        S3_CREATE_BUCKET="true",
    )
    outcome = services.provide.provide(provide_request([EPIKRISE, NOTAT]))
    assert outcome.response.status is ResponseStatus.SUCCESS
    assert retrieved(services, settings, 2) == NOTAT
    registry.behaviour = Behaviour.REJECT
    registry.errors = (RegistryError(code="XDSUnknownPatientId", context="unknown"),)
    objects = s.replace_object(
        provided_submission(1),
        entry_id(1),
        lambda entry: s.with_external_identifier(entry, v.DE_UNIQUE_ID, "2.999.47.999"),
    )
    rejected = services.provide.provide(provide_request([b"%PDF another"], objects))
    assert rejected.response.status is ResponseStatus.FAILURE
    assert len(stored_keys(services)) == 2
