"""The audit writer a service calls before its response leaves.

`write(event)` seals the event into entries (one per data controller and repository), appends
them to the chain and returns the stored records. It raises `AuditWriteFailed` when they cannot
be stored; the service must then answer with an error instead of the data (no read without its
record). Denials are written the same way. After each commit the writer hands the organisations
whose outbox got rows to `notify` (which enqueues the delivery tasks); a failure there is only
logged, because the outbox rows are durable and the sweeper finds them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC

from trustframework.audit.group_commit import GroupCommit
from trustframework.audit.record import AuditEntry, AuditEvent, AuditRecord, Party, utc_now
from trustframework.audit.sealing import AuditKeyring
from trustframework.audit.store import Appended, AuditStore


class AuditWriteFailed(Exception):
    """The audit record could not be stored; the transaction must not deliver its data."""


def seal_event(event: AuditEvent, *, service: str, keyring: AuditKeyring) -> list[AuditEntry]:
    """The entries of `event`: one per (data controller, repository) of the touched documents,
    or one without documents."""
    moment = (event.recorded_at or utc_now()).astimezone(UTC)
    content = event.sealed_content()
    practitioner, care = event.practitioner(), event.care()
    entries = []
    for controller, repository_id, documents in _groups(event):
        record_id = str(uuid.uuid4())
        entries.append(
            AuditEntry(
                record_id=record_id,
                recorded_at=moment,
                transaction=event.transaction,
                outcome=event.outcome,
                request_id=event.request_id,
                client_id=event.caller.client_id,
                organisation=event.caller.organisation,
                token_id=event.caller.token_id,
                legal_basis=event.legal_basis,
                access_basis=event.access_basis,
                nors_revealed=event.nors_revealed,
                practitioner=practitioner,
                care=care,
                patient=event.patient,
                document_ids=documents,
                repository_id=repository_id,
                data_controller=controller,
                sealed=keyring.seal(service, record_id, content),
            )
        )
    return entries


def _groups(event: AuditEvent) -> list[tuple[Party | None, str | None, tuple[str, ...]]]:
    groups: list[tuple[Party | None, str | None, tuple[str, ...]]] = []
    for controller, documents in event.by_data_controller():
        by_repository: dict[str | None, list[str]] = {}
        for document in documents:
            by_repository.setdefault(document.repository_id, []).append(document.unique_id)
        if not by_repository:
            by_repository[None] = []
        groups.extend((controller, repo, tuple(ids)) for repo, ids in by_repository.items())
    return groups


class AuditWriter:
    """Writes a service's audit events to its store (group commit across threads)."""

    def __init__(
        self,
        store: AuditStore,
        keyring: AuditKeyring,
        *,
        notify: Callable[[frozenset[str]], None] = lambda _organisations: None,
    ) -> None:
        self.store = store
        self.keyring = keyring
        self._notify = notify
        self._group = GroupCommit(store.append, on_commit=self._committed)

    @property
    def service(self) -> str:
        return self.store.service

    def write(self, event: AuditEvent, *more: AuditEvent) -> tuple[AuditRecord, ...]:
        """Store the records of `event` (and of `more`, in the same append: all or none);
        raises AuditWriteFailed when that is impossible."""
        try:
            entries = [
                entry
                for each in (event, *more)
                for entry in seal_event(each, service=self.service, keyring=self.keyring)
            ]
            return self._group.submit(entries)
        except Exception as error:
            raise AuditWriteFailed(
                f"the {self.service} audit could not be written: {error}"
            ) from error

    def _committed(self, appended: Appended) -> None:
        if appended.outbox_organisations:
            self._notify(appended.outbox_organisations)
