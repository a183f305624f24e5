"""The production stack as separate processes: gunicorn registry and repository, Celery workers,
PostgreSQL, Redis and SeaweedFS S3. A document goes publish → list → read → audit across them; a
worker killed during a registration and a registry killed during a publish still end with the
document registered exactly once and the source told the truth."""

from __future__ import annotations

import threading

import pytest

from schemas.errors import ResponseStatus
from schemas.model import RegistryResponse
from tests.integration.flows import (
    audited_transactions,
    check_listed_and_readable,
    document_entries_with,
    new_submission,
    publish,
    registrations,
    wait_for,
)
from tests.support.production_stack import ProductionStack
from tests.support.tcp_relay import SwallowingRelay

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.s3, pytest.mark.slow]


def test_publish_list_read_and_audit_across_processes(production_stack: ProductionStack) -> None:
    client, tokens = production_stack.client(), production_stack.tokens()
    submission = new_submission(3)

    response = publish(client, tokens, submission)

    assert response.status is ResponseStatus.SUCCESS, response.errors
    check_listed_and_readable(client, tokens, submission)
    auditor = tokens.auditor(submission.organisation.number)
    transactions = audited_transactions(
        production_stack.registry_url, auditor, submission.patient.national_id
    )
    assert {"ITI-42", "ITI-18"} <= set(transactions)
    stored = audited_transactions(
        production_stack.repository_url, auditor, submission.patient.national_id
    )
    assert {"ITI-41", "ITI-43"} <= set(stored)
    for service in ("registry", "repository"):
        verify = production_stack.command("audit", "verify", "--service", service)
        assert verify.returncode == 0, verify.stdout + verify.stderr


def test_many_publishers_at_once_each_get_their_answer(production_stack: ProductionStack) -> None:
    client, tokens = production_stack.client(), production_stack.tokens()
    submissions = [new_submission(2) for _ in range(8)]
    answers: dict[int, RegistryResponse] = {}

    def send(n: int) -> None:
        answers[n] = publish(client, tokens, submissions[n])

    threads = [threading.Thread(target=send, args=(n,)) for n in range(len(submissions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert {a.status for a in answers.values()} == {ResponseStatus.SUCCESS}
    for submission in submissions:
        check_listed_and_readable(client, tokens, submission)


class BackgroundPublish:
    """An ITI-41 (wait mode) sent from a thread, so the test can act while it is in flight."""

    def __init__(self, stack: ProductionStack, documents: int = 2) -> None:
        self.submission = new_submission(documents)
        self.answers: list[RegistryResponse] = []
        client, tokens = stack.client(), stack.tokens()
        self._thread = threading.Thread(
            target=lambda: self.answers.append(publish(client, tokens, self.submission)),
            daemon=True,
        )
        self._thread.start()

    def answer(self) -> RegistryResponse:
        self._thread.join(timeout=150)
        assert len(self.answers) == 1, "the publish did not end"
        return self.answers[0]


def _sending(stack: ProductionStack) -> bool:
    url = stack.environ["DOKDELING_REPOSITORY_DATABASE_URL"]
    return any(state == "sending" for state, _, _ in registrations(url))


def _registered_once(stack: ProductionStack, publish: BackgroundPublish) -> None:
    url = stack.environ["DOKDELING_REGISTRY_DATABASE_URL"]
    for document in publish.submission.documents:
        assert document_entries_with(url, document.unique_id) == 1
    check_listed_and_readable(stack.client(), stack.tokens(), publish.submission)


def test_a_worker_killed_mid_registration_is_replaced_and_the_document_registers_once(
    crash_stack: ProductionStack,
) -> None:
    stack = crash_stack.start(workers=1)
    registry = stack.registry
    assert registry is not None
    stack.pause(registry)  # the worker's ITI-42 is sent and waits for an answer
    publishing = BackgroundPublish(stack)
    wait_for(lambda: _sending(stack), what="the worker's attempt")

    stack.kill(stack.workers[0])
    stack.resume(registry)  # it now answers the dead worker's request: committed, answer lost
    stack.start_worker()  # its reconciliation re-sends the attempt whose lease ran out

    assert publishing.answer().status is ResponseStatus.SUCCESS
    _registered_once(stack, publishing)
    states = registrations(stack.environ["DOKDELING_REPOSITORY_DATABASE_URL"])
    assert [(state, in_doubt) for state, in_doubt, _ in states] == [("registered", True)]


def test_the_registry_killed_before_it_read_an_iti_42_in_flight(
    crash_stack: ProductionStack,
) -> None:
    stack = crash_stack.start(workers=1)
    registry = stack.registry
    assert registry is not None
    stack.pause(registry)
    publishing = BackgroundPublish(stack)
    wait_for(lambda: _sending(stack), what="the worker's attempt")

    stack.kill(registry)  # the request dies unread with it
    stack.start_registry()

    assert publishing.answer().status is ResponseStatus.SUCCESS
    _registered_once(stack, publishing)


def test_the_registry_killed_after_it_committed_an_iti_42_in_flight(
    crash_stack: ProductionStack,
) -> None:
    relay = SwallowingRelay(crash_stack.registry_port)
    crash_stack.environ["DOKDELING_REGISTRY_URL"] = f"{relay.url}/xds/registry"
    try:
        stack = crash_stack.start(workers=1)
        registry = stack.registry
        assert registry is not None
        relay.swallowing = True
        publishing = BackgroundPublish(stack)
        wait_for(relay.answered.is_set, what="the registry's answer")

        stack.kill(registry)  # it committed; its answer never reached the worker
        relay.drop_all()
        relay.swallowing = False
        stack.start_registry()

        assert publishing.answer().status is ResponseStatus.SUCCESS
        _registered_once(stack, publishing)
    finally:
        relay.close()
