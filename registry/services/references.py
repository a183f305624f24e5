"""What an association's ends are: objects of the submission, or objects already registered."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from registry.entries import ObjectKind, RegistryEntry
from schemas.model import (
    Association,
    AvailabilityStatus,
    Cx,
    DocumentEntry,
    RegistryObjectBase,
    XdsMetadata,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Endpoint:
    """An object an association names: its kind, patient and status, and where it comes from.

    `is_new` is True for objects of the submission; `resubmitted` marks a registered
    DocumentEntry that a submitted one turned out to be (identical resubmission).
    """

    entry_uuid: str
    kind: ObjectKind
    status: AvailabilityStatus
    is_new: bool
    resubmitted: bool = False
    patient_id: str | None = None
    object_type: str | None = None
    association_type: str | None = None
    source: str | None = None
    target: str | None = None

    def describe(self) -> str:
        origin = "in this submission" if self.is_new else "in the registry"
        return f"{self.kind} {self.entry_uuid} ({origin})"


def _patient(obj: RegistryObjectBase) -> str | None:
    patient_id: Cx | None = getattr(obj, "patient_id", None)
    return None if patient_id is None else patient_id.render()


def _new_endpoint(obj: RegistryObjectBase, kind: ObjectKind) -> Endpoint:
    association = obj if isinstance(obj, Association) else None
    return Endpoint(
        entry_uuid=obj.entry_uuid,
        kind=kind,
        status=AvailabilityStatus.APPROVED,
        is_new=True,
        patient_id=_patient(obj),
        object_type=obj.entry_type.value if isinstance(obj, DocumentEntry) else None,
        association_type=None if association is None else association.association_type,
        source=None if association is None else association.source,
        target=None if association is None else association.target,
    )


def _registered_endpoint(entry: RegistryEntry, resubmitted: bool) -> Endpoint:
    return Endpoint(
        entry_uuid=entry.entry_uuid,
        kind=entry.kind,
        status=entry.status,
        is_new=False,
        resubmitted=resubmitted,
        patient_id=entry.patient_id,
        object_type=entry.object_type,
        association_type=entry.association_type,
        source=entry.source,
        target=entry.target,
    )


def endpoints_of(
    submission: XdsMetadata,
    registered: Mapping[str, RegistryEntry],
    resubmitted: Collection[str] = (),
) -> dict[str, Endpoint]:
    """Every object an association of `submission` may name, by entryUUID."""
    found = {
        uuid: _registered_endpoint(entry, uuid in resubmitted) for uuid, entry in registered.items()
    }
    kinds = (
        (submission.submission_sets, ObjectKind.SUBMISSION_SET),
        (submission.document_entries, ObjectKind.DOCUMENT_ENTRY),
        (submission.folders, ObjectKind.FOLDER),
        (submission.associations, ObjectKind.ASSOCIATION),
    )
    for objects, kind in kinds:
        for obj in objects:
            found[obj.entry_uuid] = _new_endpoint(obj, kind)
    return found


def referenced_elsewhere(submission: XdsMetadata) -> set[str]:
    """The association ends that are not objects of the submission itself."""
    own = {o.entry_uuid for o in submission.registry_objects()}
    ends = {a.source for a in submission.associations} | {a.target for a in submission.associations}
    return ends - own
