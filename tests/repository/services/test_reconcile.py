"""Reconciliation of what a crash left: dead workers' leases, forgotten waits, lost task messages,
stranded staged documents, unpurged bytes, orphans (after the grace period) and missing or
damaged bytes (reported, never served)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from repository.model import (
    DocumentState,
    NewDocument,
    NewRegistration,
    RegistrationMode,
    RegistrationState,
)
from repository.registry_client import SoapRegistryClient
from repository.services.reconcile import Reconciler
from repository.services.registration import Registrar
from repository.settings import RepositorySettings
from repository.state import RepositoryServices
from repository.storage.documents import new_storage_key
from repository.storage.tables import registrations
from repository.wiring import build_services
from servicekit.runtime import ServiceRuntime
from tests.support.fake_registry import FakeRegistry
from tests.support.repository import (
    MovableClock,
    RecordingQueue,
    document_unique_id,
    migrated_runtime,
    provide_request,
    registered,
    repository_settings,
    stored_keys,
)

EPIKRISE = b"%PDF-1.7 epikrise\n"


class Rig:
    def __init__(self, folder: Path, registry: FakeRegistry) -> None:
        self.settings: RepositorySettings = repository_settings(folder, registry.url)
        self.runtime: ServiceRuntime = migrated_runtime(self.settings)
        self.recorded = RecordingQueue()
        self.services: RepositoryServices = build_services(
            self.settings, self.runtime, queue=self.recorded
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

    @property
    def engine(self) -> Engine:
        return self.runtime.engine

    def reconciler(self) -> Reconciler:
        return Reconciler(
            store=self.services.store,
            storage=self.services.storage,
            queue=self.recorded,
            registration_policy=self.settings.registration,
            policy=self.settings.reconcile,
            clock=self.clock,
        )

    def deferred(self, content: bytes = EPIKRISE) -> str:
        return self.services.provide.provide(
            provide_request([content]), mode=RegistrationMode.DEFERRED
        ).registration_id

    def registration_state(self, registration_id: str) -> RegistrationState:
        registration = self.services.store.registration(registration_id)
        assert registration is not None
        return registration.state

    def register(self, registration_id: str) -> None:
        assert self.registrar.attempt(registration_id).state is RegistrationState.REGISTERED


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    registry = FakeRegistry().start()
    try:
        yield Rig(tmp_path, registry)
    finally:
        registry.stop()


def test_a_dead_workers_registration_is_sent_again(rig: Rig) -> None:
    registration_id = rig.deferred()
    now = rig.clock()
    lease = now + timedelta(seconds=60)
    assert rig.services.store.claim(registration_id, now=now, lease_until=lease)  # then it died
    assert rig.reconciler().run().leases_released == 0
    rig.clock.advance(timedelta(seconds=61))
    report = rig.reconciler().run()
    assert report.leases_released == 1
    assert rig.recorded.sent == [registration_id, registration_id]
    assert rig.registrar.attempt(registration_id).state is RegistrationState.REGISTERED
    registration = rig.services.store.registration(registration_id)
    assert registration is not None
    assert registration.in_doubt


def test_a_wait_whose_request_is_gone_is_abandoned(rig: Rig) -> None:
    key = new_storage_key()
    digest = rig.services.storage.put(key, io.BytesIO(EPIKRISE))
    rig.services.store.stage(
        NewRegistration(
            id="forgotten",
            submission_set_unique_id="2.999.47.1",
            request=b"<never-sent/>",
            mode=RegistrationMode.WAIT,
            deadline=rig.clock() + timedelta(seconds=30),
        ),
        [NewDocument(unique_id="2.999.47.900", storage_key=key, digest=digest, mime_type="a/b")],
        repository_unique_id=rig.settings.repository_unique_id,
        now=rig.clock(),
    )
    assert rig.reconciler().run().abandoned == 0
    rig.clock.advance(timedelta(seconds=31))
    report = rig.reconciler().run()
    assert report.abandoned == 1
    assert rig.registration_state("forgotten") is RegistrationState.ABANDONED
    assert stored_keys(rig.services) == []


def test_a_registration_whose_message_was_lost_is_sent_again(rig: Rig) -> None:
    registration_id = rig.deferred()
    assert rig.reconciler().run().resent == 0
    rig.clock.advance(rig.settings.reconcile.overdue_after + timedelta(seconds=1))
    assert rig.reconciler().run().resent == 1
    assert rig.recorded.sent == [registration_id, registration_id]


def test_staged_documents_of_a_finished_registration_are_settled(rig: Rig) -> None:
    accepted = rig.deferred(EPIKRISE)
    with rig.engine.begin() as connection:  # the outcome recorded, the documents' state lost
        connection.execute(
            registrations.update()
            .where(registrations.c.id == accepted)
            .values(state=RegistrationState.REGISTERED.value)
        )
    report = rig.reconciler().run()
    assert report.documents_settled == 1
    document = registered(rig.services.store, document_unique_id(1))
    assert document is not None


def test_failed_documents_whose_bytes_stayed_lose_them(rig: Rig) -> None:
    registration_id = rig.deferred()
    with rig.engine.begin() as connection:
        connection.execute(
            registrations.update()
            .where(registrations.c.id == registration_id)
            .values(state=RegistrationState.REJECTED.value)
        )
    report = rig.reconciler().run()
    assert (report.documents_settled, report.bytes_purged) == (1, 1)
    assert stored_keys(rig.services) == []
    (document,) = rig.services.store.documents_of(registration_id)
    assert (document.state, document.purged) == (DocumentState.FAILED, True)


def test_orphaned_bytes_are_deleted_after_the_grace_period(rig: Rig) -> None:
    rig.register(rig.deferred())
    orphan = new_storage_key()
    rig.services.storage.put(orphan, io.BytesIO(b"an upload whose request died"))
    report = rig.reconciler().run(audit_storage=True)
    assert (report.storage_audited, report.orphans_deleted) == (True, 0)
    rig.clock.advance(rig.settings.reconcile.orphan_grace + timedelta(minutes=1))
    report = rig.reconciler().run(audit_storage=True)
    assert report.orphans_deleted == 1
    assert orphan not in stored_keys(rig.services)
    assert len(stored_keys(rig.services)) == 1
    assert not report.problems


def test_missing_and_damaged_bytes_are_reported(rig: Rig) -> None:
    rig.register(rig.deferred())
    document = registered(rig.services.store, document_unique_id(1))
    assert document is not None
    rig.services.storage.delete(document.storage_key)
    report = rig.reconciler().run(audit_storage=True)
    assert report.missing == [document_unique_id(1)]
    assert report.problems
    rig.services.storage.put(document.storage_key, io.BytesIO(b"short"))
    report = rig.reconciler().run(audit_storage=True)
    assert (report.missing, report.damaged) == ([], [document_unique_id(1)])
    assert "documents with damaged bytes: 1" in "\n".join(report.lines())


def test_interrupted_writes_are_discarded(rig: Rig) -> None:
    incoming = rig.settings.data_dir / "documents" / ".incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    (incoming / "put-crashed").write_bytes(b"half")
    rig.clock.advance(rig.settings.reconcile.orphan_grace + timedelta(minutes=1))
    assert rig.reconciler().run(audit_storage=True).incomplete_discarded == 1


def test_a_registration_unfinished_for_too_long_is_a_problem(rig: Rig) -> None:
    registration_id = rig.deferred()
    assert rig.reconciler().run().unregistered == []
    rig.clock.advance(rig.settings.reconcile.unregistered_alarm + timedelta(minutes=1))
    report = rig.reconciler().run()
    assert report.unregistered == [registration_id]
    assert report.problems
    rig.register(registration_id)
    assert not rig.reconciler().run().problems
