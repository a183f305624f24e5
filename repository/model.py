"""The repository's own records: stored documents and the registrations that make them visible.

A provided document is *staged* (bytes durable, invisible) until the registry accepts its
submission; then it is *registered* (served by ITI-43). A rejected or abandoned registration
leaves it *failed*; ITI-86 leaves it *removed*. Only registered documents are ever served.

A registration is the outbox record of one ITI-41 request: the ITI-42 `SubmitObjectsRequest` to
send, its delivery attempts and its outcome (docs/repository.md has the state machine).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from schemas.errors import RegistryError


class DocumentState(StrEnum):
    STAGED = "staged"
    REGISTERED = "registered"
    FAILED = "failed"
    REMOVED = "removed"

    @property
    def holds_unique_id(self) -> bool:
        """A staged or registered document owns its uniqueId in this repository."""
        return self in (DocumentState.STAGED, DocumentState.REGISTERED)


class RegistrationMode(StrEnum):
    """`wait`: the ITI-41 answer is the registry's; `deferred`: answered once stored durably."""

    WAIT = "wait"
    DEFERRED = "deferred"


class RegistrationState(StrEnum):
    PENDING = "pending"
    """Waiting for its next attempt."""
    SENDING = "sending"
    """A worker holds the lease and is talking to the registry."""
    REGISTERED = "registered"
    """The registry accepted the submission; its documents are visible."""
    REJECTED = "rejected"
    """The registry refused it; its documents were never visible and are deleted."""
    ABANDONED = "abandoned"
    """Not delivered before the waiting request's deadline; documents deleted."""

    @property
    def finished(self) -> bool:
        return self not in (RegistrationState.PENDING, RegistrationState.SENDING)


@dataclass(frozen=True, slots=True, kw_only=True)
class ContentDigest:
    """What the repository computes for every document: size, SHA-1 (the XDS `hash`), SHA-256."""

    size: int
    sha1: str
    sha256: str


@dataclass(frozen=True, slots=True, kw_only=True)
class NewDocument:
    """A document about to be staged: its stored bytes and what the registry will be told."""

    unique_id: str
    storage_key: str
    digest: ContentDigest
    mime_type: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredDocument:
    """A row of the repository's document table."""

    unique_id: str
    repository_unique_id: str
    storage_key: str
    digest: ContentDigest
    mime_type: str
    state: DocumentState
    registration_id: str
    created_at: datetime
    purged: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class NewRegistration:
    """The outbox record written together with the staged documents."""

    id: str
    submission_set_unique_id: str
    request: bytes
    """The ITI-42 `lcm:SubmitObjectsRequest`, serialized: exactly what every attempt sends."""
    mode: RegistrationMode
    deadline: datetime | None
    """Wait mode: past this, an undelivered registration is abandoned."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Registration:
    """A row of the outbox."""

    id: str
    submission_set_unique_id: str
    request: bytes
    mode: RegistrationMode
    state: RegistrationState
    in_doubt: bool
    """An attempt may have reached the registry without its answer reaching us."""
    attempts: int
    next_attempt_at: datetime
    lease_until: datetime | None
    deadline: datetime | None
    last_error: str | None
    registry_errors: tuple[RegistryError, ...]
    """The registry's RegistryErrorList (errors of a rejection, warnings of an acceptance)."""
    created_at: datetime
    finished_at: datetime | None


class Delivery(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    NOT_DELIVERED = "not-delivered"
    """The registry certainly did not register the submission; try again."""
    IN_DOUBT = "in-doubt"
    """The registry may have registered it; only a later answer tells."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RegistryAnswer:
    delivery: Delivery
    errors: tuple[RegistryError, ...] = ()
    """The registry's RegistryErrorList: errors of a rejection, warnings of an acceptance."""
    detail: str = ""
    """What happened, for the outbox's `last_error` and the logs."""
