"""The worker's registration attempts: idempotent, due-time and deadline aware, never abandoning a
registration the registry may have received."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

from repository.model import NewDocument, NewRegistration, RegistrationMode, RegistrationState
from repository.registry_client import SoapRegistryClient
from repository.services.registration import OutcomeWaiter, Registrar
from repository.settings import RepositorySettings
from repository.state import RepositoryServices
from repository.storage.documents import new_storage_key
from repository.wiring import build_services
from schemas.ebrim.submit import parse_submit_objects_request
from schemas.errors import RegistryError
from schemas.xml import parse_xml
from tests.support.fake_registry import Behaviour, FakeRegistry
from tests.support.repository import (
    MovableClock,
    RecordingQueue,
    migrated_runtime,
    provide_request,
    repository_settings,
    stored_keys,
)

EPIKRISE = b"%PDF-1.7 epikrise\n"


class Rig:
    """Services whose registrations wait in a queue nobody consumes, and a registrar to run."""

    def __init__(self, folder: Path, registry: FakeRegistry, **variables: str) -> None:
        self.settings: RepositorySettings = repository_settings(folder, registry.url, variables)
        self.queue = RecordingQueue()
        self.services: RepositoryServices = build_services(
            self.settings, migrated_runtime(self.settings), queue=self.queue
        )
        self.clock = MovableClock()
        policy = self.settings.registration
        self.registrar = Registrar(
            store=self.services.store,
            storage=self.services.storage,
            registry=SoapRegistryClient(
                registry.url,
                connect_timeout=policy.connect_timeout,
                read_timeout=policy.read_timeout,
            ),
            policy=policy,
            clock=self.clock,
        )

    def deferred(self) -> str:
        return self.services.provide.provide(
            provide_request([EPIKRISE]), mode=RegistrationMode.DEFERRED
        ).registration_id

    def state(self, registration_id: str) -> RegistrationState:
        registration = self.services.store.registration(registration_id)
        assert registration is not None
        return registration.state


def test_a_second_attempt_after_success_sends_nothing(
    tmp_path: Path, registry: FakeRegistry
) -> None:
    rig = Rig(tmp_path, registry)
    registration_id = rig.deferred()
    assert rig.queue.sent == [registration_id]
    assert rig.registrar.attempt(registration_id).state is RegistrationState.REGISTERED
    assert rig.registrar.attempt(registration_id).state is RegistrationState.REGISTERED
    assert len(registry.received) == 1


def test_a_failed_attempt_schedules_the_next_with_backoff(
    tmp_path: Path, registry: FakeRegistry
) -> None:
    rig = Rig(tmp_path, registry, REGISTRATION_RETRY_FIRST="10", REGISTRATION_RETRY_MAX="15")
    registry.behaviour = Behaviour.UNAVAILABLE
    registration_id = rig.deferred()
    first = rig.registrar.attempt(registration_id)
    assert (first.state, first.retry_in) == (RegistrationState.PENDING, 10.0)
    not_due = rig.registrar.attempt(registration_id)
    assert not_due.state is RegistrationState.PENDING
    assert not_due.retry_in is not None
    assert len(registry.received) == 1  # not due: nothing sent
    rig.clock.advance(timedelta(seconds=11))
    second = rig.registrar.attempt(registration_id)
    assert second.retry_in == 15.0  # 20 s, capped
    registry.behaviour = Behaviour.ACCEPT
    rig.clock.advance(timedelta(seconds=16))
    assert rig.registrar.attempt(registration_id).state is RegistrationState.REGISTERED
    registration = rig.services.store.registration(registration_id)
    assert registration is not None
    assert (registration.attempts, registration.in_doubt) == (3, False)


def test_an_undelivered_wait_past_its_deadline_is_abandoned_without_sending(
    tmp_path: Path, registry: FakeRegistry
) -> None:
    rig = Rig(tmp_path, registry)
    key = new_storage_key()
    digest = rig.services.storage.put(key, io.BytesIO(EPIKRISE))
    rig.services.store.stage(  # as a waiting request leaves it before a worker came
        NewRegistration(
            id="waiting",
            submission_set_unique_id="2.999.47.1",
            request=b"<never-sent/>",
            mode=RegistrationMode.WAIT,
            deadline=rig.clock() + timedelta(seconds=30),
        ),
        [NewDocument(unique_id="2.999.47.900", storage_key=key, digest=digest, mime_type="a/b")],
        repository_unique_id=rig.settings.repository_unique_id,
        now=rig.clock(),
    )
    rig.clock.advance(timedelta(seconds=31))
    assert rig.registrar.attempt("waiting").state is RegistrationState.ABANDONED
    assert registry.received == []
    assert stored_keys(rig.services) == []
    registration = rig.services.store.registration("waiting")
    assert registration is not None
    assert [e.code for e in registration.registry_errors] == ["XDSRepositoryBusy"]


def test_a_registration_held_by_another_worker_is_left_alone(
    tmp_path: Path, registry: FakeRegistry
) -> None:
    rig = Rig(tmp_path, registry)
    registration_id = rig.deferred()
    now = rig.clock()
    assert rig.services.store.claim(registration_id, now=now, lease_until=now + timedelta(hours=1))
    assert rig.registrar.attempt(registration_id).state is RegistrationState.SENDING
    assert registry.received == []


def test_an_in_doubt_registration_is_sent_until_the_registry_answers(
    tmp_path: Path, registry: FakeRegistry
) -> None:
    rig = Rig(tmp_path, registry, REGISTRY_READ_TIMEOUT="0.1")
    registry.behaviour = Behaviour.HOLD
    registration_id = rig.deferred()
    assert rig.registrar.attempt(registration_id).state is RegistrationState.PENDING
    registry.behaviour = Behaviour.ACCEPT
    registry.release.set()
    rig.clock.advance(timedelta(minutes=10))
    assert rig.registrar.attempt(registration_id).state is RegistrationState.REGISTERED
    assert len(registry.received) == 2
    assert len(list(registry.entries_registered())) == 1


def test_a_rejection_deletes_the_staged_bytes(tmp_path: Path, registry: FakeRegistry) -> None:
    rig = Rig(tmp_path, registry)
    registry.behaviour = Behaviour.SENDER_FAULT
    registration_id = rig.deferred()
    assert len(stored_keys(rig.services)) == 1
    assert rig.registrar.attempt(registration_id).state is RegistrationState.REJECTED
    assert stored_keys(rig.services) == []
    assert all(d.purged for d in rig.services.store.documents_of(registration_id))


def test_an_unknown_registration_is_ignored(tmp_path: Path, registry: FakeRegistry) -> None:
    rig = Rig(tmp_path, registry)
    assert rig.registrar.attempt("no-such-registration").state is None


def test_a_registration_the_registry_already_holds_ends_registered(
    tmp_path: Path, registry: FakeRegistry
) -> None:
    rig = Rig(tmp_path, registry, REGISTRY_READ_TIMEOUT="0.1")
    registry.behaviour = Behaviour.HOLD  # committed, the answer lost
    registration_id = rig.deferred()
    assert rig.registrar.attempt(registration_id).state is RegistrationState.PENDING
    registry.behaviour = Behaviour.ACCEPT
    registry.release.set()
    rig.clock.advance(timedelta(minutes=10))
    assert rig.registrar.attempt(registration_id).state is RegistrationState.REGISTERED
    registration = rig.services.store.registration(registration_id)
    assert registration is not None
    assert registration.registry_errors == ()  # the re-send's refusal is not passed on
    (submission_set,) = parse_submit_objects_request(
        parse_xml(registration.request)
    ).metadata.submission_sets
    assert submission_set.entry_uuid.startswith("urn:uuid:")  # assigned by the repository


def test_a_known_submission_set_on_a_first_attempt_is_a_rejection(
    tmp_path: Path, registry: FakeRegistry
) -> None:
    rig = Rig(tmp_path, registry)
    registration_id = rig.deferred()
    registration = rig.services.store.registration(registration_id)
    assert registration is not None
    (submission_set,) = parse_submit_objects_request(
        parse_xml(registration.request)
    ).metadata.submission_sets
    registry.submission_sets[submission_set.unique_id] = "urn:uuid:someone-elses"
    assert rig.registrar.attempt(registration_id).state is RegistrationState.REJECTED
    assert stored_keys(rig.services) == []


def test_an_in_doubt_registration_refused_for_its_content_is_rejected(
    tmp_path: Path, registry: FakeRegistry
) -> None:
    rig = Rig(tmp_path, registry, REGISTRY_READ_TIMEOUT="0.1")
    registry.behaviour = Behaviour.HOLD
    registration_id = rig.deferred()
    assert rig.registrar.attempt(registration_id).state is RegistrationState.PENDING
    registry.behaviour = Behaviour.REJECT
    registry.errors = (RegistryError(code="XDSUnknownPatientId", context="not known"),)
    registry.release.set()
    rig.clock.advance(timedelta(minutes=10))
    assert rig.registrar.attempt(registration_id).state is RegistrationState.REJECTED
    assert stored_keys(rig.services) == []


def test_a_waiting_request_answers_a_rejection_only_once_the_bytes_are_gone(
    tmp_path: Path, registry: FakeRegistry
) -> None:
    rig = Rig(tmp_path, registry)
    registration_id = rig.deferred()
    now = rig.clock()
    lease = now + timedelta(hours=1)
    attempt = rig.services.store.claim(registration_id, now=now, lease_until=lease)
    assert attempt is not None
    # A worker's rejection committed; its purge of the bytes has not run yet (or it died).
    assert rig.services.store.finish(
        registration_id, outcome=RegistrationState.REJECTED, now=now, attempt=attempt
    )
    assert len(stored_keys(rig.services)) == 1
    waiter = OutcomeWaiter(
        store=rig.services.store,
        storage=rig.services.storage,
        policy=rig.settings.registration,
        clock=rig.clock,
    )
    assert waiter.wait(registration_id).state is RegistrationState.REJECTED
    assert stored_keys(rig.services) == []
    assert all(d.purged for d in rig.services.store.documents_of(registration_id))
