"""The process's outbox watcher: a waiting request is woken when its registration finished."""

from __future__ import annotations

import threading
from pathlib import Path

from repository.model import RegistrationMode, RegistrationState
from repository.services.outcomes import OutcomeBoard
from tests.repository.services.test_registration import EPIKRISE, Rig
from tests.support.fake_registry import FakeRegistry
from tests.support.repository import provide_request


def test_a_waiting_request_is_woken_when_its_registration_finishes(
    tmp_path: Path, registry: FakeRegistry
) -> None:
    rig = Rig(tmp_path, registry)
    registration_id = rig.deferred()
    board = OutcomeBoard(rig.services.store, poll_interval=0.01)
    assert board.await_finished(registration_id, timeout=0.05) is False  # pending: not woken
    woken: list[bool] = []
    waiting = threading.Thread(
        target=lambda: woken.append(board.await_finished(registration_id, timeout=60))
    )
    waiting.start()
    assert rig.registrar.attempt(registration_id).state is RegistrationState.REGISTERED
    waiting.join(timeout=60)
    assert woken == [True]


def test_a_registration_gone_from_the_outbox_wakes_its_request(
    tmp_path: Path, registry: FakeRegistry
) -> None:
    rig = Rig(tmp_path, registry)
    board = OutcomeBoard(rig.services.store, poll_interval=0.01)
    assert board.await_finished("no-such-registration", timeout=60) is True


def test_wait_mode_answers_with_the_registry_outcome(
    tmp_path: Path, registry: FakeRegistry
) -> None:
    rig = Rig(tmp_path, registry)
    outcome: list[RegistrationState] = []

    def provide() -> None:
        provided = rig.services.provide.provide(
            provide_request([EPIKRISE]), mode=RegistrationMode.WAIT
        )
        outcome.append(rig.state(provided.registration_id))

    waiting = threading.Thread(target=provide)
    waiting.start()
    while not rig.queue.sent:
        threading.Event().wait(0.01)
    rig.registrar.attempt(rig.queue.sent[0])
    waiting.join(timeout=60)
    assert outcome == [RegistrationState.REGISTERED]
