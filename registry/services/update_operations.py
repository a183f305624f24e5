"""Reading an ITI-57 Update Document Set request as its operations (ITI TF-2b 3.57.4.1.3).

A request holds one SubmissionSet and any of these operations:
- a new version of a DocumentEntry or Folder: the object, with the `lid` of the registered one,
  and a SubmissionSet HasMember carrying `PreviousVersion` (and optionally
  `AssociationPropagation`);
- an availability-status change: an UpdateAvailabilityStatus association from the
  SubmissionSet to a registered object, with `OriginalStatus` and `NewStatus`;
- a new association between registered objects: a SubmitAssociation association from the
  SubmissionSet to the new association, which is in the request too.
Anything else in the request is not an update and fails it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from schemas import vocabulary as v
from schemas.errors import RegistryError, XdsErrorCode
from schemas.model import Association, DocumentEntry, Folder, XdsMetadata

PROPAGATION_VALUES = {"yes": True, "no": False}


@dataclass(frozen=True, slots=True, kw_only=True)
class VersionUpdate:
    """A new version of a DocumentEntry or Folder and its SubmissionSet HasMember."""

    obj: DocumentEntry | Folder
    logical_id: str
    membership: Association
    previous_version: str
    propagate: bool


@dataclass(slots=True)
class UpdateOperations:
    versions: list[VersionUpdate] = field(default_factory=list)
    status_updates: list[Association] = field(default_factory=list)
    submitted: list[tuple[Association, Association]] = field(default_factory=list)
    """(SubmitAssociation trigger, the association it submits)."""
    errors: list[RegistryError] = field(default_factory=list)

    def error(self, code: XdsErrorCode, context: str, location: str | None = None) -> None:
        self.errors.append(RegistryError(code=code, context=context, location=location))


def read_operations(metadata: XdsMetadata, submission_set_uuid: str) -> UpdateOperations:
    operations = UpdateOperations()
    members = {
        a.target: a
        for a in metadata.associations
        if a.source == submission_set_uuid and a.association_type == v.ASSOC_HAS_MEMBER
    }
    objects: tuple[DocumentEntry | Folder, ...] = (*metadata.document_entries, *metadata.folders)
    for obj in objects:
        _read_version(operations, obj, members.get(obj.entry_uuid))
    _read_associations(operations, metadata, submission_set_uuid)
    _check_one_version_per_lid(operations)
    return operations


def _read_version(
    operations: UpdateOperations, obj: DocumentEntry | Folder, membership: Association | None
) -> None:
    name = f"{type(obj).__name__} {obj.entry_uuid}"
    lid = obj.logical_id
    if lid is None or lid == obj.entry_uuid or not lid.startswith(v.UUID_PREFIX):
        operations.error(
            XdsErrorCode.METADATA_UPDATE_ERROR,
            f"{name} is not an update: its lid must be the urn:uuid logical id of the registered "
            f"object it is a new version of (lid is {lid!r})",
            obj.entry_uuid,
        )
        return
    if membership is None or membership.previous_version is None:
        operations.error(
            XdsErrorCode.METADATA_UPDATE_ERROR,
            f"{name}: an update needs a SubmissionSet HasMember with a PreviousVersion slot",
            obj.entry_uuid,
        )
        return
    propagation = (membership.association_propagation or "yes").strip().lower()
    if propagation not in PROPAGATION_VALUES:
        operations.error(
            XdsErrorCode.METADATA_UPDATE_ERROR,
            f"{name}: AssociationPropagation is {membership.association_propagation!r}; "
            "it is yes or no",
            membership.entry_uuid,
        )
        return
    operations.versions.append(
        VersionUpdate(
            obj=obj,
            logical_id=lid,
            membership=membership,
            previous_version=membership.previous_version.strip(),
            propagate=PROPAGATION_VALUES[propagation],
        )
    )


def _read_associations(
    operations: UpdateOperations, metadata: XdsMetadata, submission_set_uuid: str
) -> None:
    by_id = {a.entry_uuid: a for a in metadata.associations}
    triggers = [
        a for a in metadata.associations if a.association_type == v.ASSOC_SUBMIT_ASSOCIATION
    ]
    submitted_ids = {t.target for t in triggers}
    for trigger in triggers:
        submitted = by_id.get(trigger.target)
        if trigger.source != submission_set_uuid or submitted is None:
            operations.error(
                XdsErrorCode.METADATA_UPDATE_ERROR,
                f"SubmitAssociation {trigger.entry_uuid} must link the SubmissionSet to an "
                "association of this request",
                trigger.entry_uuid,
            )
        else:
            operations.submitted.append((trigger, submitted))
    for association in metadata.associations:
        if association.association_type == v.ASSOC_UPDATE_AVAILABILITY_STATUS:
            operations.status_updates.append(association)
        elif not (
            association.association_type == v.ASSOC_SUBMIT_ASSOCIATION
            or association.entry_uuid in submitted_ids
            or _is_submission_set_member(association, submission_set_uuid)
        ):
            operations.error(
                XdsErrorCode.METADATA_UPDATE_ERROR,
                f"association {association.entry_uuid} ({association.association_type}) is not "
                "part of an update operation; submit new associations through SubmitAssociation",
                association.entry_uuid,
            )


def _is_submission_set_member(association: Association, submission_set_uuid: str) -> bool:
    return (
        association.source == submission_set_uuid
        and association.association_type == v.ASSOC_HAS_MEMBER
    )


def _check_one_version_per_lid(operations: UpdateOperations) -> None:
    counts = Counter(u.logical_id for u in operations.versions)
    for lid, count in sorted(counts.items()):
        if count > 1:
            operations.error(
                XdsErrorCode.METADATA_UPDATE_OPERATION_ERROR,
                f"the request holds {count} new versions of logical id {lid}; update an object "
                "once per request",
                lid,
            )
