"""The repository's own records: stored documents and the registrations that make them visible.

A provided document is *staged* (bytes durable, invisible) until the registry accepts its
submission; then it is *registered* (served by ITI-43). A rejected or abandoned registration
leaves it *failed*; ITI-86 leaves it *removed*. Only registered documents are ever served.

A registration is the outbox record of one ITI-41 request: the ITI-42 `SubmitObjectsRequest` to
send, its delivery attempts and its outcome (docs/repository.md has the state machine).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from schemas.errors import RegistryError
from schemas.model import Code, Cx, DocumentEntry, Timestamp, Xon
from trustframework.judged import AccessFacts


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


CHECKPOINT_INTERVAL = 4 * 1024 * 1024
"""Bytes between two SHA-256 checkpoints of a document stored from now on."""
SHA256_BYTES = 32


@dataclass(frozen=True, slots=True, kw_only=True)
class Sha256Checkpoints:
    """The SHA-256 of a document's first `interval`, 2·`interval`, … bytes, and of all of it.

    Computed by the one SHA-256 pass that stores the document, so the last checkpoint is the
    document's SHA-256. ITI-43 verifies each `interval` of bytes against its checkpoint before
    sending it, with one running SHA-256 (`repository.services.verified_read`).
    """

    interval: int
    digests: bytes = field(repr=False)
    """The checkpoints' raw 32-byte digests, in order."""

    def __len__(self) -> int:
        return len(self.digests) // SHA256_BYTES

    def at(self, index: int) -> bytes:
        return self.digests[index * SHA256_BYTES : (index + 1) * SHA256_BYTES]

    def ends(self, size: int) -> list[int]:
        """Where the checkpoints of a document of `size` bytes fall (the last at its end)."""
        return [*range(self.interval, size, self.interval), size]

    def belong_to(self, size: int, sha256: str) -> bool:
        """One checkpoint per interval of `size` bytes, the last being the document's SHA-256."""
        return (
            self.interval > 0
            and len(self.digests) == SHA256_BYTES * len(self.ends(size))
            and self.at(len(self) - 1).hex() == sha256.lower()
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class ContentDigest:
    """What the repository computes for every document: size, SHA-1 (the XDS `hash`), SHA-256,
    and the SHA-256 checkpoints (None for documents stored before the repository kept them)."""

    size: int
    sha1: str
    sha256: str
    checkpoints: Sha256Checkpoints | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class AccessMetadata:
    """The part of a document's DocumentEntry that access control reads, kept with the stored
    document so ITI-43 and ITI-86 decide from the repository's own records: the patient, the
    class, the confidentiality codes, the clinical times and the author institutions (whose
    organisation number names the data controller). Empty for documents stored before the
    repository kept it: those belong to no patient, so no read is ever bound to them."""

    patient_id: Cx | None = None
    class_code: Code | None = None
    confidentiality_codes: tuple[Code, ...] = ()
    creation_time: Timestamp | None = None
    service_start_time: Timestamp | None = None
    author_institutions: tuple[Xon, ...] = ()

    @classmethod
    def of(cls, entry: DocumentEntry) -> AccessMetadata:
        return cls(
            patient_id=entry.patient_id,
            class_code=entry.class_code,
            confidentiality_codes=entry.confidentiality_codes,
            creation_time=entry.creation_time,
            service_start_time=entry.service_start_time,
            author_institutions=AccessFacts.author_institutions(entry),
        )

    def entry(self, *, unique_id: str, repository_unique_id: str) -> AccessFacts:
        """What the access policy and the audit judge. The repository does not know the
        entryUUID the registry gave the document, so the uniqueId stands in for it."""
        return AccessFacts(
            entry_uuid=unique_id,
            unique_id=unique_id,
            repository_unique_id=repository_unique_id,
            patient_id=self.patient_id,
            class_code=self.class_code,
            confidentiality_codes=self.confidentiality_codes,
            creation_time=self.creation_time,
            service_start_time=self.service_start_time,
            authors=AccessFacts.institutions_as_authors(self.author_institutions),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class NewDocument:
    """A document about to be staged: its stored bytes and what the registry will be told."""

    unique_id: str
    storage_key: str
    digest: ContentDigest
    mime_type: str
    metadata: AccessMetadata = AccessMetadata()


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
    metadata: AccessMetadata = AccessMetadata()

    def entry(self) -> AccessFacts:
        """What access control judges of this document (`AccessMetadata.entry`)."""
        return self.metadata.entry(
            unique_id=self.unique_id, repository_unique_id=self.repository_unique_id
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Sender:
    """Who the registration is made for: the organisations of the source whose ITI-41 the
    repository admitted (sent to the registry as `Dokdeling-On-Behalf-Of`), and the ITI-41's
    request id (sent as `X-Request-ID`, so both services' audit records of it correlate)."""

    organisations: tuple[str, ...] = ()
    request_id: str | None = None


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
    sender: Sender = Sender()


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
    sender: Sender = Sender()


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
