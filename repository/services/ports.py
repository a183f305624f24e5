"""What the repository's services need from the world, as Protocols.

`repository.storage.store.SqlRepositoryStore` is the store, `repository.storage` backends the
`DocumentStorage`, `repository.registry_client.SoapRegistryClient` the registry and
`repository.tasks.CeleryRegistrationQueue` the queue; tests pass the same real components.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from repository.model import (
    DocumentState,
    NewDocument,
    NewRegistration,
    Registration,
    RegistrationState,
    RegistryAnswer,
    Sender,
    StoredDocument,
)
from schemas.errors import RegistryError

Clock = Callable[[], datetime]
RemovalHook = Callable[[Any, Sequence[StoredDocument]], None]
"""Called by the store inside a removal's database transaction, before its commit, with that
transaction's connection (the store's business) and the documents it removed: the removal's
audit record goes there, so the removal and its record commit together. Raising rolls back."""


def utc_now() -> datetime:
    return datetime.now(UTC)


class UniqueIdTaken(Exception):
    """Another submission staged or registered this document uniqueId meanwhile."""

    def __init__(self, unique_ids: Sequence[str]) -> None:
        super().__init__(", ".join(unique_ids))
        self.unique_ids = tuple(unique_ids)


class RepositoryStore(Protocol):
    def live_documents(self, unique_ids: Iterable[str]) -> dict[str, StoredDocument]: ...

    def stage(
        self,
        registration: NewRegistration,
        new_documents: Sequence[NewDocument],
        *,
        repository_unique_id: str,
        now: datetime,
    ) -> None: ...

    def registration(self, registration_id: str) -> Registration | None: ...

    def documents_of(self, registration_id: str) -> list[StoredDocument]: ...

    def claim(
        self, registration_id: str, *, now: datetime, lease_until: datetime
    ) -> int | None: ...

    def finish(
        self,
        registration_id: str,
        *,
        outcome: RegistrationState,
        now: datetime,
        attempt: int | None = None,
        errors: Sequence[RegistryError] = (),
        last_error: str | None = None,
    ) -> bool: ...

    def retry_later(
        self,
        registration_id: str,
        *,
        attempt: int,
        next_attempt_at: datetime,
        error: str,
        in_doubt: bool,
        now: datetime,
    ) -> bool: ...

    def release_expired_lease(self, registration_id: str, *, now: datetime) -> bool: ...

    def unfinished_among(self, registration_ids: Collection[str]) -> set[str]:
        """Those of these registrations that are still pending or being sent."""
        ...

    def registrations_in(
        self, state: RegistrationState, *, before: datetime, limit: int
    ) -> list[Registration]: ...

    def unfinished_since(self, *, created_before: datetime, limit: int) -> list[Registration]: ...

    def overdue_waits(self, *, now: datetime, limit: int) -> list[Registration]: ...

    def postpone_deadline(self, registration_id: str, *, now: datetime) -> bool: ...

    def registered_documents(self, unique_ids: Iterable[str]) -> dict[str, StoredDocument]: ...

    def remove(
        self,
        unique_ids: Iterable[str],
        *,
        now: datetime,
        hook: RemovalHook | None = None,
    ) -> list[StoredDocument]: ...

    def mark_purged(self, storage_keys: Iterable[str], *, now: datetime) -> None: ...

    def unpurged_documents(self, *, limit: int) -> list[StoredDocument]: ...

    def stranded_documents(self, *, limit: int) -> list[StoredDocument]: ...

    def settle_document(self, storage_key: str, state: DocumentState, *, now: datetime) -> None: ...

    def documents_by_key(self, prefix: str) -> dict[str, StoredDocument]: ...


class RegistrationQueue(Protocol):
    def enqueue(self, registration_id: str, *, delay: float = 0.0) -> None:
        """Ask a worker to attempt the registration (after `delay` seconds); raises when the
        broker cannot take the message."""
        ...


class Registry(Protocol):
    def register(
        self, submit_objects_request: bytes, *, sender: Sender | None = None
    ) -> RegistryAnswer:
        """One ITI-42 attempt with the serialized `lcm:SubmitObjectsRequest`, made for
        `sender` (the source whose ITI-41 it registers)."""
        ...
