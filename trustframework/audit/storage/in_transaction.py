"""The audit record of a write, appended in the write's own database transaction.

A transaction that changes a service's data (the registry's ITI-42, ITI-57 and ITI-62, the
repository's ITI-86) must have its audit record exactly when the change exists. `InTransactionAudit`
is a commit hook the service's store calls on the write's connection, after its rules passed and
before the commit: it appends the sealed entries to the service's audit chain
(`SqlAuditStore.append_in`). On SQLite the write must already hold the write lock (`BEGIN
IMMEDIATE`); on PostgreSQL the chain head's row lock is taken at the write's end, so it is held
for a few statements.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from sqlalchemy import Connection

from trustframework.audit.record import AuditEntry, AuditEvent
from trustframework.audit.storage.sql_store import SqlAuditStore
from trustframework.audit.writer import AuditWriteFailed, seal_event

log = logging.getLogger(__name__)


class InTransactionAudit:
    """Appends `entries` in the transaction it is called in; `organisations` are the data
    controllers whose delivery outbox grew (send their delivery tasks after the commit)."""

    def __init__(self, audit: SqlAuditStore, entries: Sequence[AuditEntry]) -> None:
        self._audit = audit
        self._entries = tuple(entries)
        self.organisations: frozenset[str] = frozenset()

    @classmethod
    def of(cls, audit: SqlAuditStore, event: AuditEvent) -> InTransactionAudit:
        """The hook appending the records of `event`, sealed with the store's keyring."""
        return cls(audit, seal_event(event, service=audit.service, keyring=audit.keyring))

    def deliver(self, notify: Callable[[frozenset[str]], None]) -> None:
        """After the commit: send the delivery tasks of the data controllers whose outbox grew.
        A failure is only logged: the outbox rows are durable and the worker's sweep sends them."""
        if not self.organisations:
            return
        try:
            notify(self.organisations)
        except Exception:
            log.warning("could not send audit delivery tasks", exc_info=True)

    def __call__(self, connection: Connection) -> None:
        try:
            appended = self._audit.append_in(connection, self._entries)
        except Exception as error:
            raise AuditWriteFailed(
                f"the {self._audit.service} audit could not be written: {error}"
            ) from error
        self.organisations = appended.outbox_organisations
