"""The outbox with a real `dokdeling worker` process on the embedded broker: registrations in wait
mode, and a worker killed in the middle of one and started again: the document ends up registered
exactly once and nothing is orphaned."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from repository.model import RegistrationMode, RegistrationState
from schemas.errors import ResponseStatus
from tests.support.fake_registry import Behaviour, FakeRegistry
from tests.support.repository import (
    document_unique_id,
    eventually,
    provide_request,
    stored_keys,
)
from tests.support.repository_deployment import RepositoryDeployment

EPIKRISE = b"%PDF-1.7 epikrise etter innleggelse\n"


@pytest.fixture
def deployment(tmp_path: Path, registry: FakeRegistry) -> Iterator[RepositoryDeployment]:
    running = RepositoryDeployment(tmp_path, registry)
    try:
        yield running
    finally:
        running.stop()


def test_the_worker_registers_while_the_request_waits(
    deployment: RepositoryDeployment, registry: FakeRegistry
) -> None:
    deployment.start_worker()
    outcome = deployment.services.provide.provide(provide_request([EPIKRISE]))
    assert outcome.response.status is ResponseStatus.SUCCESS
    assert [e.unique_id for e in registry.entries_registered()] == [document_unique_id(1)]
    assert deployment.state(outcome.registration_id) is RegistrationState.REGISTERED


@pytest.mark.slow
def test_a_worker_killed_mid_registration_leaves_it_registered_exactly_once(
    deployment: RepositoryDeployment, registry: FakeRegistry
) -> None:
    first = deployment.start_worker()
    registry.behaviour = Behaviour.HOLD  # the registry commits, its answer is held back
    outcome = deployment.services.provide.provide(
        provide_request([EPIKRISE]), mode=RegistrationMode.DEFERRED
    )
    assert registry.arrived.wait(60)
    assert deployment.state(outcome.registration_id) is RegistrationState.SENDING
    first.stop(signal.SIGKILL)  # the whole process group, in the middle of the attempt
    registry.behaviour = Behaviour.ACCEPT
    registry.release.set()

    deployment.start_worker()  # its reconciliation finds the lease over and sends again
    eventually(
        lambda: deployment.state(outcome.registration_id) is RegistrationState.REGISTERED,
        within=120,
    )
    registration = deployment.services.store.registration(outcome.registration_id)
    assert registration is not None
    assert (registration.attempts, registration.in_doubt) == (2, True)
    assert len(registry.received) == 2
    assert [e.unique_id for e in registry.entries_registered()] == [document_unique_id(1)]
    (document,) = deployment.services.store.documents_of(outcome.registration_id)
    assert stored_keys(deployment.services) == [document.storage_key]
    report = deployment.services.reconciler.run(audit_storage=True)
    assert (report.orphans_deleted, report.problems) == (0, False)
