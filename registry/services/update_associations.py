"""ITI-57 association operations: UpdateAvailabilityStatus and SubmitAssociation.

UpdateAvailabilityStatus (ITI TF-2b 3.57.4.1.3.3.2) moves a registered DocumentEntry, Folder or
association between Approved and Deprecated. `OriginalStatus` must be the current status; a
DocumentEntry or Folder must be its latest version; an association must be a Folder membership or
a document relationship (a SubmissionSet's HasMember never changes).

SubmitAssociation (3.57.4.1.3.3.4) adds an association between registered, non-Deprecated
objects: a Folder → DocumentEntry HasMember or a document relationship between DocumentEntries,
both ends for one patient, not duplicating an Approved association of the same type.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from registry.entries import ObjectKind, RegistryEntry
from schemas import vocabulary as v
from schemas.errors import RegistryError, XdsErrorCode
from schemas.model import Association, AssociationType, AvailabilityStatus

_CHANGEABLE = {AvailabilityStatus.APPROVED.value, AvailabilityStatus.DEPRECATED.value}


@dataclass(slots=True)
class AssociationPlan:
    status_changes: list[tuple[RegistryEntry, AvailabilityStatus]] = field(default_factory=list)
    folders_changed: set[str] = field(default_factory=set)
    """Folders whose membership the request changes (their lastUpdateTime moves)."""
    errors: list[RegistryError] = field(default_factory=list)

    def error(self, association: Association, context: str) -> None:
        self.errors.append(
            RegistryError(
                code=XdsErrorCode.METADATA_UPDATE_ERROR,
                context=f"{association.association_type.rsplit(':', 1)[-1]} "
                f"{association.entry_uuid}: {context}",
                location=association.entry_uuid,
            )
        )


def plan_status_updates(
    plan: AssociationPlan,
    updates: Iterable[Association],
    registered: Mapping[str, RegistryEntry],
    latest_versions: Mapping[str, RegistryEntry],
    submission_set_uuid: str,
) -> None:
    """Check each UpdateAvailabilityStatus and record the status change it makes."""
    changed: set[str] = set()
    for update in updates:
        target = registered.get(update.target)
        if update.source != submission_set_uuid:
            plan.error(update, "its sourceObject must be the SubmissionSet of the request")
        elif target is None:
            plan.error(update, f"{update.target} is not a registered object")
        elif update.original_status not in _CHANGEABLE or update.new_status not in _CHANGEABLE:
            plan.error(
                update,
                f"OriginalStatus {update.original_status!r} and NewStatus {update.new_status!r} "
                f"must each be {v.STATUS_APPROVED} or {v.STATUS_DEPRECATED}",
            )
        elif target.entry_uuid in changed:
            plan.errors.append(
                RegistryError(
                    code=XdsErrorCode.METADATA_UPDATE_OPERATION_ERROR,
                    context=f"the status of {target.entry_uuid} is changed twice in one request",
                    location=update.entry_uuid,
                )
            )
        elif (reason := _unchangeable(update, target, registered, latest_versions)) is not None:
            plan.error(update, reason)
        else:
            changed.add(target.entry_uuid)
            plan.status_changes.append((target, AvailabilityStatus(update.new_status)))
            folder = _folder_of_membership(target, registered)
            if folder is not None:
                plan.folders_changed.add(folder)


def _folder_of_membership(
    target: RegistryEntry, registered: Mapping[str, RegistryEntry]
) -> str | None:
    """The Folder whose membership `target` is, when it is one."""
    if target.kind is not ObjectKind.ASSOCIATION:
        return None
    source = registered.get(target.source or "")
    if source is None or source.kind is not ObjectKind.FOLDER:
        return None
    return source.entry_uuid


def _unchangeable(
    update: Association,
    target: RegistryEntry,
    registered: Mapping[str, RegistryEntry],
    latest_versions: Mapping[str, RegistryEntry],
) -> str | None:
    """Why the target's status cannot change as asked, or None when it can."""
    if update.original_status != target.status.value:
        return (
            f"OriginalStatus is {update.original_status}, but {target.entry_uuid} is "
            f"{target.status.value}"
        )
    if target.kind is ObjectKind.SUBMISSION_SET:
        return "a SubmissionSet's status does not change"
    if target.kind is ObjectKind.ASSOCIATION:
        is_folder_member = _folder_of_membership(target, registered) is not None
        if not (is_folder_member or _is_relationship(target.association_type)):
            return (
                f"association {target.entry_uuid} is neither a Folder membership nor a "
                "document relationship"
            )
        return None
    latest = latest_versions.get(target.logical_id or "")
    if latest is not None and latest.entry_uuid != target.entry_uuid:
        return (
            f"{target.entry_uuid} is version {target.version}; the latest version of "
            f"{target.logical_id} is {latest.entry_uuid} (version {latest.version})"
        )
    return None


def _is_relationship(association_type: str | None) -> bool:
    try:
        return AssociationType(association_type or "").is_document_relationship
    except ValueError:
        return False


def plan_submitted_associations(
    plan: AssociationPlan,
    submitted: Iterable[Association],
    registered: Mapping[str, RegistryEntry],
    existing_links: Iterable[RegistryEntry],
) -> list[RegistryError]:
    """Check each submitted association; return the patient mismatches separately."""
    approved = {(e.source, e.target, e.association_type) for e in existing_links if e.is_approved}
    mismatches: list[RegistryError] = []
    for association in submitted:
        source = registered.get(association.source)
        target = registered.get(association.target)
        if source is None or target is None:
            plan.error(association, "both of its ends must be registered objects")
            continue
        reason = _unlinkable(association, source, target)
        link = (source.entry_uuid, target.entry_uuid, association.association_type)
        if reason is None and link in approved:
            reason = "an Approved association of this type already links these objects"
        if reason is not None:
            plan.error(association, reason)
        elif source.patient_id != target.patient_id:
            mismatches.append(
                RegistryError(
                    code=XdsErrorCode.PATIENT_ID_DOES_NOT_MATCH,
                    context=f"association {association.entry_uuid} links patient "
                    f"{source.patient_id} ({source.entry_uuid}) to {target.patient_id} "
                    f"({target.entry_uuid})",
                    location=association.entry_uuid,
                )
            )
        elif source.kind is ObjectKind.FOLDER:
            plan.folders_changed.add(source.entry_uuid)
    return mismatches


def _unlinkable(
    association: Association, source: RegistryEntry, target: RegistryEntry
) -> str | None:
    if source.is_deprecated or target.is_deprecated:
        return "it may not link a Deprecated object"
    if association.association_type == v.ASSOC_HAS_MEMBER:
        if source.kind is ObjectKind.FOLDER and target.kind is ObjectKind.DOCUMENT_ENTRY:
            return None
        return "a submitted HasMember links a Folder (source) to a DocumentEntry (target)"
    if _is_relationship(association.association_type):
        if source.kind is ObjectKind.DOCUMENT_ENTRY and target.kind is ObjectKind.DOCUMENT_ENTRY:
            return None
        return "a document relationship links two DocumentEntries"
    return f"{association.association_type} cannot be submitted as an association"
