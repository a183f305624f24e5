"""The audit record of a registry write, appended in the write's own database transaction.

ITI-42, ITI-57 and ITI-62 change the registry; their audit record must exist exactly when the
change does. `InTransactionAudit` is the commit hook of `SqlRegistryStore.with_commit_hook`: it
appends the sealed entries to the registry's audit chain (`SqlAuditStore.append_in`) on the
write's connection, after the registry's rules passed and before the commit. Registry writes run
one at a time on SQLite (`BEGIN IMMEDIATE`), and on PostgreSQL take the chain head's row lock only
at their end, so the lock is held for a few statements.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from trustframework.audit.record import AuditEntry
from trustframework.audit.storage.sql_store import SqlAuditStore
from trustframework.audit.writer import AuditWriteFailed


class InTransactionAudit:
    """Appends `entries` in the transaction it is called in; `organisations` are the data
    controllers whose delivery outbox grew (send their delivery tasks after the commit)."""

    def __init__(self, audit: SqlAuditStore, entries: Sequence[AuditEntry]) -> None:
        self._audit = audit
        self._entries = tuple(entries)
        self.organisations: frozenset[str] = frozenset()

    def __call__(self, connection: Connection) -> None:
        try:
            appended = self._audit.append_in(connection, self._entries)
        except Exception as error:
            raise AuditWriteFailed(f"the registry audit could not be written: {error}") from error
        self.organisations = appended.outbox_organisations
