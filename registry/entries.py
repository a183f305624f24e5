"""What the registry keeps about each stored object: its kind, identity, status and rendered XML.

These are the registry's own values (no SQL, no XML parsing): the store hands them to the services,
which apply the XDS lifecycle rules, and to the query service, which assembles responses from the
pre-rendered ebRIM bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from schemas.model import AvailabilityStatus, Timestamp
from trustframework.judged import AccessFacts


class ObjectKind(StrEnum):
    """The four kinds of registry object XDS stores."""

    DOCUMENT_ENTRY = "DocumentEntry"
    SUBMISSION_SET = "SubmissionSet"
    FOLDER = "Folder"
    ASSOCIATION = "Association"


@dataclass(frozen=True, slots=True, kw_only=True)
class RegistryEntry:
    """A stored object as the lifecycle rules see it (no rendered XML).

    `logical_id`/`version` are set for DocumentEntries and Folders; `hash`, `size`,
    `repository_unique_id` and `object_type` for DocumentEntries; `last_update_time` for Folders;
    `association_type`, `source` and `target` for Associations. `patient_id` is the canonical CX
    text (None for Associations).
    """

    entry_uuid: str
    kind: ObjectKind
    status: AvailabilityStatus
    patient_id: str | None = None
    unique_id: str | None = None
    logical_id: str | None = None
    version: int | None = None
    object_type: str | None = None
    hash: str | None = None
    size: int | None = None
    repository_unique_id: str | None = None
    last_update_time: Timestamp | None = None
    association_type: str | None = None
    source: str | None = None
    target: str | None = None

    @property
    def is_approved(self) -> bool:
        return self.status is AvailabilityStatus.APPROVED

    @property
    def is_deprecated(self) -> bool:
        return self.status is AvailabilityStatus.DEPRECATED


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredObject:
    """A query hit: the object's id, kind, patient and its pre-rendered ebRIM XML (LeafClass).

    A DocumentEntry carries its `access` facts (what the access policy and the audit judge), an
    Association its `ends` (source, target): the stored query is judged without parsing XML.
    """

    entry_uuid: str
    kind: ObjectKind
    patient_id: str | None
    xml: bytes
    access: AccessFacts | None = None
    ends: tuple[str, str] | None = None


class WriteConflict(Exception):
    """A concurrent transaction changed what this one read (unique key, lock or deadlock).

    Raised by the store before anything is committed; the service runs the whole request again,
    which then sees the other transaction's result and applies the XDS rules to it.
    """


class ResultLimitExceeded(Exception):
    """A query matched more objects than the configured maximum."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit} objects match")
        self.limit = limit
