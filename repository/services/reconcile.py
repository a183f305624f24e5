"""Repairing what a crash, a lost message or a failing disk left half-done.

Each pass, in this order (every step is idempotent and safe next to live workers and requests):

1. a registration whose worker died holding it (lease over) is pending again, in doubt, and sent;
2. a wait-mode registration past its deadline that nobody may have delivered is abandoned (its
   waiting request is gone); in-doubt ones are never abandoned, they are sent until answered;
3. a pending registration long past its attempt time lost its task message: it is sent again;
4. a staged document whose registration is finished (or missing) takes the outcome's state;
5. failed and removed documents whose bytes are still stored lose them.

With `audit_storage`, storage is compared with the database one key prefix at a time (the
database is read first, so bytes written after it are at most orphan candidates):
interrupted writes and bytes no row names are deleted once older than the grace period, and
registered or staged documents whose bytes are missing or have the wrong size are reported loudly
(logged as errors; retrieve never serves them).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from repository.model import DocumentState, RegistrationState, StoredDocument
from repository.services.policy import ReconcilePolicy, RegistrationPolicy
from repository.services.ports import Clock, RegistrationQueue, RepositoryStore, utc_now
from repository.services.purge import purge_documents
from repository.services.registration import abandon
from repository.storage.documents import FAN_OUT_PREFIXES, DocumentStorage, ObjectInfo

log = logging.getLogger(__name__)


@dataclass(slots=True, kw_only=True)
class ReconcileReport:
    leases_released: int = 0
    abandoned: int = 0
    resent: int = 0
    documents_settled: int = 0
    bytes_purged: int = 0
    storage_audited: bool = False
    incomplete_discarded: int = 0
    orphans_deleted: int = 0
    missing: list[str] = field(default_factory=list)
    """uniqueIds of registered or staged documents whose bytes are not in storage."""
    damaged: list[str] = field(default_factory=list)
    """uniqueIds of documents whose stored size differs from the recorded one."""
    unregistered: list[str] = field(default_factory=list)
    """Registrations unfinished for longer than the alarm period."""

    @property
    def problems(self) -> bool:
        return bool(self.missing or self.damaged or self.unregistered)

    @property
    def repaired(self) -> bool:
        """Whether this pass changed anything."""
        counts = (
            self.leases_released,
            self.abandoned,
            self.resent,
            self.documents_settled,
            self.bytes_purged,
            self.incomplete_discarded,
            self.orphans_deleted,
        )
        return any(counts)

    def lines(self) -> list[str]:
        lines = [
            f"registrations released from dead workers: {self.leases_released}",
            f"registrations abandoned past their deadline: {self.abandoned}",
            f"registrations sent again: {self.resent}",
            f"staged documents settled: {self.documents_settled}",
            f"bytes of failed or removed documents deleted: {self.bytes_purged}",
            f"registrations unfinished too long: {len(self.unregistered)} "
            + " ".join(self.unregistered),
        ]
        if self.storage_audited:
            lines += [
                f"interrupted writes discarded: {self.incomplete_discarded}",
                f"orphaned objects deleted: {self.orphans_deleted}",
                f"documents with missing bytes: {len(self.missing)} {' '.join(self.missing)}",
                f"documents with damaged bytes: {len(self.damaged)} {' '.join(self.damaged)}",
            ]
        return lines


class Reconciler:
    def __init__(
        self,
        *,
        store: RepositoryStore,
        storage: DocumentStorage,
        queue: RegistrationQueue,
        registration_policy: RegistrationPolicy,
        policy: ReconcilePolicy,
        clock: Clock = utc_now,
    ) -> None:
        self._store = store
        self._storage = storage
        self._queue = queue
        self._registration_policy = registration_policy
        self._policy = policy
        self._clock = clock

    def run(self, *, audit_storage: bool = False) -> ReconcileReport:
        report = ReconcileReport()
        self._release_dead_leases(report)
        self._abandon_forgotten_waits(report)
        self._resend_overdue(report)
        self._settle_stranded(report)
        self._report_unregistered(report)
        now = self._clock()
        report.bytes_purged = purge_documents(
            self._storage,
            self._store,
            self._store.unpurged_documents(limit=self._policy.batch),
            now=now,
        )
        if audit_storage:
            self._audit_storage(report)
        return report

    def _send(self, registration_id: str) -> bool:
        try:
            self._queue.enqueue(registration_id)
        except Exception as exc:
            log.warning("could not enqueue registration %s: %s", registration_id, exc)
            return False
        return True

    def _release_dead_leases(self, report: ReconcileReport) -> None:
        now = self._clock()
        for registration in self._store.registrations_in(
            RegistrationState.SENDING, before=now, limit=self._policy.batch
        ):
            if self._store.release_expired_lease(registration.id, now=now):
                log.warning("registration %s: its worker died; sending again", registration.id)
                report.leases_released += 1
                self._send(registration.id)

    def _abandon_forgotten_waits(self, report: ReconcileReport) -> None:
        for registration in self._store.overdue_waits(now=self._clock(), limit=self._policy.batch):
            if abandon(
                registration,
                store=self._store,
                storage=self._storage,
                policy=self._registration_policy,
                clock=self._clock,
            ):
                report.abandoned += 1

    def _resend_overdue(self, report: ReconcileReport) -> None:
        before = self._clock() - self._policy.overdue_after
        for registration in self._store.registrations_in(
            RegistrationState.PENDING, before=before, limit=self._policy.batch
        ):
            if self._send(registration.id):
                report.resent += 1

    def _report_unregistered(self, report: ReconcileReport) -> None:
        since = self._clock() - self._policy.unregistered_alarm
        for registration in self._store.unfinished_since(
            created_before=since, limit=self._policy.batch
        ):
            log.error(
                "registration %s (SubmissionSet %s) is still %s after %d attempts: %s",
                registration.id,
                registration.submission_set_unique_id,
                registration.state.value,
                registration.attempts,
                registration.last_error,
            )
            report.unregistered.append(registration.id)

    def _settle_stranded(self, report: ReconcileReport) -> None:
        for document in self._store.stranded_documents(limit=self._policy.batch):
            registration = self._store.registration(document.registration_id)
            registered = (
                registration is not None and registration.state is RegistrationState.REGISTERED
            )
            state = DocumentState.REGISTERED if registered else DocumentState.FAILED
            log.warning("staged document %s settled as %s", document.unique_id, state.value)
            self._store.settle_document(document.storage_key, state, now=self._clock())
            report.documents_settled += 1

    def _audit_storage(self, report: ReconcileReport) -> None:
        report.storage_audited = True
        old_enough = self._clock() - self._policy.orphan_grace
        report.incomplete_discarded = self._storage.discard_incomplete(old_enough)
        for prefix in FAN_OUT_PREFIXES:
            known = self._store.documents_by_key(prefix)
            stored = {info.key: info for info in self._storage.list(prefix)}
            for key, info in stored.items():
                if key not in known and info.modified < old_enough:
                    log.warning("deleting orphaned object %s (%d bytes)", key, info.size)
                    self._storage.delete(key)
                    report.orphans_deleted += 1
            for key, document in known.items():
                if document.state.holds_unique_id:
                    self._check_bytes(document, stored.get(key), report)

    def _check_bytes(
        self, document: StoredDocument, info: ObjectInfo | None, report: ReconcileReport
    ) -> None:
        """Report a live document whose bytes are gone or have the wrong size (checked twice)."""
        if info is not None and info.size == document.digest.size:
            return
        current = self._store.documents_by_key(document.storage_key).get(document.storage_key)
        if current is None or not current.state.holds_unique_id:
            return  # removed meanwhile
        info = self._storage.stat(document.storage_key)
        if info is None:
            log.error(
                "INTEGRITY: %s document %s has no bytes in %s (key %s); it is never served",
                current.state.value,
                current.unique_id,
                self._storage.describe(),
                current.storage_key,
            )
            report.missing.append(current.unique_id)
        elif info.size != current.digest.size:
            log.error(
                "INTEGRITY: document %s has %d bytes in storage, %d were stored (key %s)",
                current.unique_id,
                info.size,
                current.digest.size,
                current.storage_key,
            )
            report.damaged.append(current.unique_id)
