"""ITI-41 against the real registry engine (`registry.services`, behind the registry stand-in's
HTTP until the registry serves ITI-42 itself): what it registers, what it refuses, and how it
answers a re-send of a submission it already holds."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from repository.model import RegistrationMode, RegistrationState
from repository.registry_client import SoapRegistryClient
from repository.services.registration import Registrar
from repository.wiring import build_services
from schemas import vocabulary as v
from schemas.ebrim.rim import RimKind, RimObject, RimObjectList
from schemas.errors import ResponseStatus, XdsErrorCode
from tests.support import submissions as s
from tests.support.engine_registry import EngineRegistry
from tests.support.fake_registry import Behaviour
from tests.support.repository import (
    MovableClock,
    RecordingQueue,
    document_unique_id,
    migrated_runtime,
    provide_request,
    provided_submission,
    repository_settings,
    stored_keys,
    threaded_services,
)

EPIKRISE = b"%PDF-1.7 epikrise etter innleggelse\n"
NOTAT = b"%PDF-1.7 poliklinisk notat\n"
UNFED_PATIENT = "SELF-5^^^&1.3.6.1.4.1.21367.2005.3.7&ISO"


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[EngineRegistry]:
    engine = EngineRegistry(folder=tmp_path / "registry").start()
    try:
        yield engine
    finally:
        engine.stop()


def for_patient(objects: RimObjectList, patient_id: str) -> RimObjectList:
    def change(obj: RimObject) -> RimObject:
        for scheme in (v.SS_PATIENT_ID, v.DE_PATIENT_ID):
            if obj.external_identifiers_by_scheme(scheme):
                return s.with_external_identifier(obj, scheme, patient_id)
        return obj

    return s.in_every(objects, [RimKind.EXTRINSIC_OBJECT, RimKind.REGISTRY_PACKAGE], change)


def test_the_registry_holds_what_the_repository_stored(
    tmp_path: Path, registry: EngineRegistry
) -> None:
    settings = repository_settings(tmp_path, registry.url)
    services, _ = threaded_services(settings)
    outcome = services.provide.provide(provide_request([EPIKRISE, NOTAT]))
    assert outcome.response.status is ResponseStatus.SUCCESS
    held = {e.unique_id: e for e in registry.held([document_unique_id(1), document_unique_id(2)])}
    for number, content in ((1, EPIKRISE), (2, NOTAT)):
        entry = held[document_unique_id(number)]
        assert entry.repository_unique_id == settings.repository_unique_id
        assert entry.hash == hashlib.sha1(content, usedforsecurity=False).hexdigest()
        assert entry.size == len(content)


def test_the_same_document_in_a_new_submission_is_a_resubmission(
    tmp_path: Path, registry: EngineRegistry
) -> None:
    services, _ = threaded_services(repository_settings(tmp_path, registry.url))
    assert services.provide.provide(provide_request([EPIKRISE])).response.status is (
        ResponseStatus.SUCCESS
    )
    again = services.provide.provide(provide_request([EPIKRISE]))
    assert again.response.status is ResponseStatus.SUCCESS
    assert len(registry.held([document_unique_id(1)])) == 1


def test_the_registrys_refusal_is_passed_back_and_nothing_stays(
    tmp_path: Path, registry: EngineRegistry
) -> None:
    settings = repository_settings(tmp_path, registry.url, {"VALIDATION_PROFILE": "ihe-strict"})
    services, _ = threaded_services(settings)
    objects = for_patient(provided_submission(1), UNFED_PATIENT)
    outcome = services.provide.provide(provide_request([EPIKRISE], objects))
    assert outcome.response.status is ResponseStatus.FAILURE
    assert [e.code for e in outcome.response.errors] == [XdsErrorCode.UNKNOWN_PATIENT_ID.value]
    assert stored_keys(services) == []
    assert registry.held([document_unique_id(1)]) == []


def test_a_committed_registration_whose_answer_was_lost_ends_registered_once(
    tmp_path: Path, registry: EngineRegistry
) -> None:
    settings = repository_settings(tmp_path, registry.url, {"REGISTRY_READ_TIMEOUT": "0.2"})
    services = build_services(settings, migrated_runtime(settings), queue=RecordingQueue())
    clock = MovableClock()
    registrar = Registrar(
        store=services.store,
        storage=services.storage,
        registry=SoapRegistryClient(registry.url, connect_timeout=2, read_timeout=0.2),
        policy=settings.registration,
        clock=clock,
    )
    registration_id = services.provide.provide(
        provide_request([EPIKRISE]), mode=RegistrationMode.DEFERRED
    ).registration_id
    registry.behaviour = Behaviour.HOLD  # the engine commits, the answer comes too late
    assert registrar.attempt(registration_id).state is RegistrationState.PENDING
    registry.behaviour = Behaviour.ACCEPT
    registry.release.set()
    clock.advance(timedelta(minutes=5))
    assert registrar.attempt(registration_id).state is RegistrationState.REGISTERED
    assert len(registry.received) == 2
    assert len(registry.held([document_unique_id(1)])) == 1
    assert len(stored_keys(services)) == 1
