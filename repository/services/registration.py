"""Registering a submission at the registry: the worker's attempts and the waiting request.

The outbox row is the only truth. A worker claims a due pending registration (one conditional
UPDATE), sends its ITI-42, and records the outcome with the attempt number as fencing token:

    pending ──claim──▶ sending ──accepted──▶ registered   (documents visible)
       ▲                  │ ──rejected──▶ rejected        (documents failed, bytes deleted)
       └──not delivered / in doubt (backoff)──┘
    pending, past the wait deadline, never possibly delivered ──▶ abandoned (bytes deleted)

A registration that may have reached the registry (`in_doubt`) is never abandoned: it is sent
again, and the registry either accepts the identical re-send as a resubmission or refuses it
because it holds that submission already (`holds_submission_already`); either way it ends
registered exactly once. A waiting request reads the row when the process's outbox watcher
(`OutcomeBoard`) sees it finished; it needs no Celery result backend.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from repository.model import Delivery, Registration, RegistrationState, RegistryAnswer
from repository.services.outcomes import OutcomeBoard
from repository.services.policy import RegistrationPolicy
from repository.services.ports import Clock, Registry, RepositoryStore, utc_now
from repository.services.purge import purge_documents
from repository.storage.documents import DocumentStorage
from schemas.ebrim.submit import parse_submit_objects_request
from schemas.errors import RegistryError, XdsErrorCode
from schemas.xml import parse_xml

log = logging.getLogger(__name__)

LONGEST_PAUSE = 1.0
"""A waiting request looks at its own row at least this often (seconds), woken or not."""


@dataclass(frozen=True, slots=True)
class AttemptResult:
    state: RegistrationState | None
    """The registration's state after this run (None: no such registration)."""
    retry_in: float | None = None
    """Seconds until the next attempt is due, when one is."""


def abandonment_error(registration: Registration, policy: RegistrationPolicy) -> RegistryError:
    """Why a waiting request failed without the registry's answer (nothing was registered)."""
    seconds = f"{policy.wait_timeout.total_seconds():g}"
    if registration.attempts == 0:
        return RegistryError(
            code=XdsErrorCode.REPOSITORY_BUSY.value,
            context=f"No worker started the registration within {seconds} s; the documents "
            "were not stored. Try again later.",
        )
    return RegistryError(
        code=XdsErrorCode.REGISTRY_NOT_AVAILABLE.value,
        context=f"The registry could not be reached within {seconds} s; the documents were "
        "not stored. Try again later.",
    )


def abandon(
    registration: Registration,
    *,
    store: RepositoryStore,
    storage: DocumentStorage,
    policy: RegistrationPolicy,
    clock: Clock = utc_now,
) -> bool:
    """Abandon a pending registration nobody may have delivered; False when that no longer holds."""
    error = abandonment_error(registration, policy)
    moment = clock()
    if not store.finish(
        registration.id,
        outcome=RegistrationState.ABANDONED,
        now=moment,
        errors=(error,),
        last_error=registration.last_error or error.context,
    ):
        return False
    log.warning("registration %s abandoned: %s", registration.id, registration.last_error)
    purge_documents(storage, store, store.documents_of(registration.id), now=moment)
    return True


def holds_submission_already(registration: Registration, answer: RegistryAnswer) -> bool:
    """Whether a rejection of a re-send says the registry already holds this very submission.

    A registry that does not take an identical re-send as a resubmission refuses it because its
    SubmissionSet is there: the SubmissionSet's uniqueId is already registered
    (XDSDuplicateUniqueIdInRegistry) and its entryUUID already present (XDSRegistryMetadataError),
    both located at the SubmissionSet's id — the id this outbox row alone sent. Registration is
    all or nothing, so the earlier attempt was committed in full.
    """
    if answer.delivery is not Delivery.REJECTED:
        return False
    sets = parse_submit_objects_request(parse_xml(registration.request)).metadata.submission_sets
    if len(sets) != 1:
        return False
    at_set = {e.code for e in answer.errors if e.location == sets[0].entry_uuid}
    return {
        XdsErrorCode.DUPLICATE_UNIQUE_ID_IN_REGISTRY.value,
        XdsErrorCode.REGISTRY_METADATA_ERROR.value,
    } <= at_set


class Registrar:
    """The worker side: one attempt per call, idempotent."""

    def __init__(
        self,
        *,
        store: RepositoryStore,
        storage: DocumentStorage,
        registry: Registry,
        policy: RegistrationPolicy,
        clock: Clock = utc_now,
    ) -> None:
        self._store = store
        self._storage = storage
        self._registry = registry
        self._policy = policy
        self._clock = clock

    def attempt(self, registration_id: str) -> AttemptResult:
        """Send the registration's ITI-42 if it is due and nobody else holds it."""
        registration = self._store.registration(registration_id)
        if registration is None:
            log.warning("no registration %s in the outbox", registration_id)
            return AttemptResult(None)
        if registration.state is not RegistrationState.PENDING:
            return AttemptResult(registration.state)
        now = self._clock()
        past_deadline = registration.deadline is not None and now >= registration.deadline
        if past_deadline and not registration.in_doubt:
            abandon(
                registration,
                store=self._store,
                storage=self._storage,
                policy=self._policy,
                clock=self._clock,
            )
            return self._current(registration_id)
        if registration.next_attempt_at > now:
            return AttemptResult(
                registration.state, (registration.next_attempt_at - now).total_seconds()
            )
        attempt = self._store.claim(registration_id, now=now, lease_until=now + self._policy.lease)
        if attempt is None:
            return self._current(registration_id)
        answer = self._registry.register(registration.request, sender=registration.sender)
        return self._record(registration, attempt, answer)

    def _record(
        self, registration: Registration, attempt: int, answer: RegistryAnswer
    ) -> AttemptResult:
        now = self._clock()
        if registration.in_doubt and holds_submission_already(registration, answer):
            log.info("registration %s: registered by an earlier attempt", registration.id)
            answer = RegistryAnswer(delivery=Delivery.ACCEPTED, detail="registered earlier")
        if answer.delivery in (Delivery.ACCEPTED, Delivery.REJECTED):
            outcome = (
                RegistrationState.REGISTERED
                if answer.delivery is Delivery.ACCEPTED
                else RegistrationState.REJECTED
            )
            recorded = self._store.finish(
                registration.id,
                outcome=outcome,
                now=now,
                attempt=attempt,
                errors=answer.errors,
                last_error=None if outcome is RegistrationState.REGISTERED else answer.detail,
            )
            if not recorded:
                log.warning("attempt %d of %s ended after its lease", attempt, registration.id)
                return self._current(registration.id)
            if outcome is RegistrationState.REJECTED:
                log.warning("registration %s rejected: %s", registration.id, answer.detail)
                purge_documents(
                    self._storage, self._store, self._store.documents_of(registration.id), now=now
                )
            return AttemptResult(outcome)
        delay = self._policy.backoff(attempt)
        log.info("registration %s attempt %d: %s", registration.id, attempt, answer.detail)
        self._store.retry_later(
            registration.id,
            attempt=attempt,
            next_attempt_at=now + delay,
            error=answer.detail,
            in_doubt=answer.delivery is Delivery.IN_DOUBT,
            now=now,
        )
        return AttemptResult(RegistrationState.PENDING, delay.total_seconds())

    def _current(self, registration_id: str) -> AttemptResult:
        registration = self._store.registration(registration_id)
        return AttemptResult(None if registration is None else registration.state)


class OutcomeWaiter:
    """The web side of wait mode: look at the outbox row until it is finished or must give up.

    Between looks the request sleeps on the process's `OutcomeBoard`, which watches every
    awaited registration in one query per poll interval and wakes it when its row finished.
    """

    def __init__(
        self,
        *,
        store: RepositoryStore,
        storage: DocumentStorage,
        policy: RegistrationPolicy,
        clock: Clock = utc_now,
    ) -> None:
        self._store = store
        self._storage = storage
        self._policy = policy
        self._clock = clock
        self._board = OutcomeBoard(store, poll_interval=policy.poll_interval)

    def wait(self, registration_id: str) -> Registration:
        """The registration once finished, or (in doubt past its deadline) still unfinished.

        Called right after the registration was staged and sent to a worker, so it first waits
        for the board (or the wait timeout, at most `LONGEST_PAUSE`) before reading the row.
        A registration that finished without being registered has its bytes deleted before the
        answer goes: the worker that recorded the outcome purges after its commit, and the
        waiting request may see the commit first (both purges are idempotent).
        """
        pause = min(self._policy.wait_timeout.total_seconds(), LONGEST_PAUSE)
        while True:
            self._board.await_finished(registration_id, pause)
            registration = self._store.registration(registration_id)
            if registration is None:
                raise LookupError(f"registration {registration_id} vanished from the outbox")
            if registration.state.finished:
                if registration.state is not RegistrationState.REGISTERED:
                    purge_documents(
                        self._storage,
                        self._store,
                        self._store.documents_of(registration_id),
                        now=self._clock(),
                    )
                return registration
            now = self._clock()
            past_deadline = registration.deadline is not None and now >= registration.deadline
            if past_deadline and self._give_up(registration):
                return self._store.registration(registration_id) or registration
            pause = self._pause(registration, now)

    def _pause(self, registration: Registration, now: datetime) -> float:
        """Seconds until the request looks at its row again unwoken: until the deadline, at
        least one poll interval, at most `LONGEST_PAUSE`."""
        if registration.deadline is None:
            return LONGEST_PAUSE
        remaining = (registration.deadline - now).total_seconds()
        return min(max(remaining, self._policy.poll_interval), LONGEST_PAUSE)

    def _give_up(self, registration: Registration) -> bool:
        """Past the deadline: True when the request should answer now."""
        moment = self._clock()
        if registration.state is RegistrationState.SENDING:
            lease_over = registration.lease_until is None or registration.lease_until < moment
            if lease_over:
                self._store.release_expired_lease(registration.id, now=moment)
            return False
        if not registration.in_doubt:
            return abandon(
                registration,
                store=self._store,
                storage=self._storage,
                policy=self._policy,
                clock=self._clock,
            )
        self._store.postpone_deadline(registration.id, now=moment)
        log.warning(
            "registration %s is in doubt past its deadline; it continues in the background",
            registration.id,
        )
        return True
