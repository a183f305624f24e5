"""The repository database behind `repository.services.ports.RepositoryStore` (SQLAlchemy Core).

Every state change is one conditional UPDATE in one transaction, so concurrent workers, waiting
requests and the reconciler never both win: a registration moves only from the state the caller
saw, and a worker's outcome counts only while its attempt (`attempts`, the fencing token) is the
current one. A registration's outcome and its documents' states change together.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from repository.model import (
    DocumentState,
    NewDocument,
    NewRegistration,
    Registration,
    RegistrationMode,
    RegistrationState,
    StoredDocument,
)
from repository.services.ports import RemovalHook, UniqueIdTaken
from repository.storage.rows import (
    checkpoint_columns,
    document_of,
    error_json,
    metadata_columns,
    registration_of,
)
from repository.storage.tables import documents, registrations
from schemas.errors import RegistryError

_UNFINISHED = (RegistrationState.PENDING, RegistrationState.SENDING)
_LIVE = tuple(state for state in DocumentState if state.holds_unique_id)
_UNFINISHED_AMONG = sa.select(registrations.c.id).where(
    registrations.c.id.in_(sa.bindparam("ids", expanding=True)),
    registrations.c.state.in_([state.value for state in _UNFINISHED]),
)
"""Built once: the outbox watcher runs it every poll interval."""


class SqlRepositoryStore:
    """Documents and registrations in the repository database (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    # ------------------------------------------------------------------ provide

    def live_documents(self, unique_ids: Iterable[str]) -> dict[str, StoredDocument]:
        """The staged or registered documents with these uniqueIds."""
        wanted = sorted(set(unique_ids))
        if not wanted:
            return {}
        query = sa.select(documents).where(
            documents.c.unique_id.in_(wanted), documents.c.state.in_(_LIVE)
        )
        with self._engine.connect() as connection:
            return {row.unique_id: document_of(row) for row in connection.execute(query)}

    def stage(
        self,
        registration: NewRegistration,
        new_documents: Sequence[NewDocument],
        *,
        repository_unique_id: str,
        now: datetime,
    ) -> None:
        """The outbox record and its staged documents, in one transaction (`UniqueIdTaken`)."""
        row = {
            "id": registration.id,
            "submission_set_unique_id": registration.submission_set_unique_id,
            "request": registration.request,
            "mode": registration.mode.value,
            "state": RegistrationState.PENDING.value,
            "in_doubt": False,
            "attempts": 0,
            "next_attempt_at": now,
            "deadline": registration.deadline,
            "registry_errors": [],
            "created_at": now,
            "updated_at": now,
            "on_behalf_of": list(registration.sender.organisations),
            "request_id": registration.sender.request_id,
        }
        document_rows = [
            {
                "unique_id": d.unique_id,
                "repository_unique_id": repository_unique_id,
                "registration_id": registration.id,
                "storage_key": d.storage_key,
                "size": d.digest.size,
                "sha1": d.digest.sha1,
                "sha256": d.digest.sha256,
                "mime_type": d.mime_type,
                "state": DocumentState.STAGED.value,
                "created_at": now,
                "updated_at": now,
                **metadata_columns(d.metadata),
                **checkpoint_columns(d.digest),
            }
            for d in new_documents
        ]
        try:
            with self._engine.begin() as connection:
                connection.execute(registrations.insert(), row)
                if document_rows:
                    connection.execute(documents.insert(), document_rows)
        except sa.exc.IntegrityError as exc:
            taken = self.live_documents(d.unique_id for d in new_documents)
            raise UniqueIdTaken(sorted(taken) or [d.unique_id for d in new_documents]) from exc

    # ------------------------------------------------------------------ registrations

    def registration(self, registration_id: str) -> Registration | None:
        query = sa.select(registrations).where(registrations.c.id == registration_id)
        with self._engine.connect() as connection:
            row = connection.execute(query).first()
        return None if row is None else registration_of(row)

    def unfinished_among(self, registration_ids: Collection[str]) -> set[str]:
        """Those of these registrations still pending or being sent: one query of two columns
        for every request a process is waiting on."""
        if not registration_ids:
            return set()
        with self._engine.connect() as connection:
            return set(connection.scalars(_UNFINISHED_AMONG, {"ids": sorted(registration_ids)}))

    def documents_of(self, registration_id: str) -> list[StoredDocument]:
        query = (
            sa.select(documents)
            .where(documents.c.registration_id == registration_id)
            .order_by(documents.c.id)
        )
        with self._engine.connect() as connection:
            return [document_of(row) for row in connection.execute(query)]

    def claim(self, registration_id: str, *, now: datetime, lease_until: datetime) -> int | None:
        """Take a due pending registration for one attempt; the attempt number, or None."""
        table = registrations.c
        with self._engine.begin() as connection:
            result = connection.execute(
                registrations.update()
                .where(
                    table.id == registration_id,
                    table.state == RegistrationState.PENDING.value,
                    table.next_attempt_at <= now,
                )
                .values(
                    state=RegistrationState.SENDING.value,
                    attempts=table.attempts + 1,
                    lease_until=lease_until,
                    updated_at=now,
                )
                .returning(table.attempts)
            )
            attempt: int | None = result.scalar_one_or_none()
        return attempt

    def finish(
        self,
        registration_id: str,
        *,
        outcome: RegistrationState,
        now: datetime,
        attempt: int | None = None,
        errors: Sequence[RegistryError] = (),
        last_error: str | None = None,
    ) -> bool:
        """Record the outcome and move the documents along with it; False when it was not ours.

        With `attempt`, only the worker holding that attempt may finish it; without, only a
        pending registration nobody may have delivered (`in_doubt` false) may be abandoned.
        """
        table = registrations.c
        if attempt is not None:
            condition = sa.and_(
                table.state == RegistrationState.SENDING.value, table.attempts == attempt
            )
        else:
            condition = sa.and_(
                table.state == RegistrationState.PENDING.value, sa.not_(table.in_doubt)
            )
        document_state = (
            DocumentState.REGISTERED
            if outcome is RegistrationState.REGISTERED
            else DocumentState.FAILED
        )
        with self._engine.begin() as connection:
            result = connection.execute(
                registrations.update()
                .where(table.id == registration_id, condition)
                .values(
                    state=outcome.value,
                    lease_until=None,
                    registry_errors=[error_json(e) for e in errors],
                    last_error=last_error,
                    updated_at=now,
                    finished_at=now,
                )
            )
            if result.rowcount != 1:
                return False
            _move_documents(connection, registration_id, document_state, now)
        return True

    def retry_later(
        self,
        registration_id: str,
        *,
        attempt: int,
        next_attempt_at: datetime,
        error: str,
        in_doubt: bool,
        now: datetime,
    ) -> bool:
        """Give the registration back for another attempt (the doubt of earlier ones stays)."""
        table = registrations.c
        with self._engine.begin() as connection:
            result = connection.execute(
                registrations.update()
                .where(
                    table.id == registration_id,
                    table.state == RegistrationState.SENDING.value,
                    table.attempts == attempt,
                )
                .values(
                    state=RegistrationState.PENDING.value,
                    lease_until=None,
                    next_attempt_at=next_attempt_at,
                    last_error=error,
                    updated_at=now,
                    **({"in_doubt": True} if in_doubt else {}),
                )
            )
        return bool(result.rowcount == 1)

    def release_expired_lease(self, registration_id: str, *, now: datetime) -> bool:
        """A worker died holding the lease: pending again, in doubt (it may have sent)."""
        table = registrations.c
        with self._engine.begin() as connection:
            result = connection.execute(
                registrations.update()
                .where(
                    table.id == registration_id,
                    table.state == RegistrationState.SENDING.value,
                    table.lease_until < now,
                )
                .values(
                    state=RegistrationState.PENDING.value,
                    lease_until=None,
                    next_attempt_at=now,
                    in_doubt=True,
                    last_error="the worker holding the registration stopped before recording "
                    "its outcome",
                    updated_at=now,
                )
            )
        return bool(result.rowcount == 1)

    def registrations_in(
        self, state: RegistrationState, *, before: datetime, limit: int
    ) -> list[Registration]:
        """Pending registrations due before `before`, or sending ones whose lease ended then."""
        column = (
            registrations.c.lease_until
            if state is RegistrationState.SENDING
            else registrations.c.next_attempt_at
        )
        query = (
            sa.select(registrations)
            .where(registrations.c.state == state.value, column < before)
            .order_by(column)
            .limit(limit)
        )
        with self._engine.connect() as connection:
            return [registration_of(row) for row in connection.execute(query)]

    def unfinished_since(self, *, created_before: datetime, limit: int) -> list[Registration]:
        """Registrations still pending or sending that were written before `created_before`."""
        table = registrations.c
        query = (
            sa.select(registrations)
            .where(
                table.state.in_([s.value for s in _UNFINISHED]),
                table.created_at < created_before,
            )
            .order_by(table.created_at)
            .limit(limit)
        )
        with self._engine.connect() as connection:
            return [registration_of(row) for row in connection.execute(query)]

    def overdue_waits(self, *, now: datetime, limit: int) -> list[Registration]:
        """Waiting-mode registrations past their deadline that nobody may have delivered."""
        table = registrations.c
        query = (
            sa.select(registrations)
            .where(
                table.state == RegistrationState.PENDING.value,
                table.mode == RegistrationMode.WAIT.value,
                table.deadline < now,
                sa.not_(table.in_doubt),
            )
            .order_by(table.deadline)
            .limit(limit)
        )
        with self._engine.connect() as connection:
            return [registration_of(row) for row in connection.execute(query)]

    def postpone_deadline(self, registration_id: str, *, now: datetime) -> bool:
        """An in-doubt registration past its deadline continues as deferred (never abandoned)."""
        table = registrations.c
        with self._engine.begin() as connection:
            result = connection.execute(
                registrations.update()
                .where(table.id == registration_id, table.state.in_([s.value for s in _UNFINISHED]))
                .values(mode=RegistrationMode.DEFERRED.value, deadline=None, updated_at=now)
            )
        return bool(result.rowcount == 1)

    # ------------------------------------------------------------------ documents

    def registered_documents(self, unique_ids: Iterable[str]) -> dict[str, StoredDocument]:
        """The registered documents with these uniqueIds (those ITI-43 may serve)."""
        wanted = sorted(set(unique_ids))
        if not wanted:
            return {}
        query = sa.select(documents).where(
            documents.c.unique_id.in_(wanted),
            documents.c.state == DocumentState.REGISTERED.value,
        )
        with self._engine.connect() as connection:
            return {row.unique_id: document_of(row) for row in connection.execute(query)}

    def remove(
        self, unique_ids: Iterable[str], *, now: datetime, hook: RemovalHook | None = None
    ) -> list[StoredDocument]:
        """Registered → removed (ITI-86), in one transaction with `hook`; the removed ones."""
        wanted = sorted(set(unique_ids))
        if not wanted:
            return []
        table = documents.c
        with self._engine.begin() as connection:
            rows = connection.execute(
                documents.update()
                .where(table.unique_id.in_(wanted), table.state == DocumentState.REGISTERED.value)
                .values(state=DocumentState.REMOVED.value, updated_at=now)
                .returning(*documents.c)
            ).all()
            removed = [document_of(row) for row in rows]
            if removed and hook is not None:
                hook(connection, removed)
        return removed

    def mark_purged(self, storage_keys: Iterable[str], *, now: datetime) -> None:
        """The bytes of these failed or removed documents are deleted from storage."""
        keys = sorted(set(storage_keys))
        if not keys:
            return
        with self._engine.begin() as connection:
            connection.execute(
                documents.update()
                .where(
                    documents.c.storage_key.in_(keys),
                    documents.c.state.not_in(_LIVE),
                    documents.c.purged_at.is_(None),
                )
                .values(purged_at=now)
            )

    def unpurged_documents(self, *, limit: int) -> list[StoredDocument]:
        """Failed or removed documents whose bytes may still be in storage."""
        query = (
            sa.select(documents)
            .where(documents.c.state.not_in(_LIVE), documents.c.purged_at.is_(None))
            .order_by(documents.c.id)
            .limit(limit)
        )
        with self._engine.connect() as connection:
            return [document_of(row) for row in connection.execute(query)]

    def stranded_documents(self, *, limit: int) -> list[StoredDocument]:
        """Staged documents whose registration is finished, or missing."""
        joined = documents.outerjoin(
            registrations, documents.c.registration_id == registrations.c.id
        )
        query = (
            sa.select(documents)
            .select_from(joined)
            .where(
                documents.c.state == DocumentState.STAGED.value,
                sa.or_(
                    registrations.c.id.is_(None),
                    registrations.c.state.not_in([s.value for s in _UNFINISHED]),
                ),
            )
            .order_by(documents.c.id)
            .limit(limit)
        )
        with self._engine.connect() as connection:
            return [document_of(row) for row in connection.execute(query)]

    def settle_document(self, storage_key: str, state: DocumentState, *, now: datetime) -> None:
        """A stranded staged document takes the state its registration's outcome implies."""
        with self._engine.begin() as connection:
            connection.execute(
                documents.update()
                .where(
                    documents.c.storage_key == storage_key,
                    documents.c.state == DocumentState.STAGED.value,
                )
                .values(state=state.value, updated_at=now)
            )

    def documents_by_key(self, prefix: str) -> dict[str, StoredDocument]:
        """Documents whose bytes should be in storage (not purged), keys starting with `prefix`."""
        query = sa.select(documents).where(
            documents.c.storage_key >= prefix,
            documents.c.storage_key < _after_prefix(prefix),
            documents.c.purged_at.is_(None),
        )
        with self._engine.connect() as connection:
            return {row.storage_key: document_of(row) for row in connection.execute(query)}


def _after_prefix(prefix: str) -> str:
    """The smallest string greater than every string starting with `prefix` (non-empty)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _move_documents(
    connection: Connection, registration_id: str, state: DocumentState, now: datetime
) -> None:
    connection.execute(
        documents.update()
        .where(
            documents.c.registration_id == registration_id,
            documents.c.state == DocumentState.STAGED.value,
        )
        .values(state=state.value, updated_at=now)
    )
