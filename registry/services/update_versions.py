"""New versions of DocumentEntries and Folders (ITI-57 metadata update, guide §2: 15800, 20000).

The new version keeps the logical id and uniqueId, gets the next version number and is Approved;
the version it follows becomes Deprecated. The request's `PreviousVersion` must name the latest
version, which must be Approved. What the document is (uniqueId, entry type, hash, size,
repository) cannot change; the patient changes only when the registry allows it.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from registry.entries import ObjectKind, RegistryEntry
from registry.services.update_operations import VersionUpdate
from schemas.errors import RegistryError, XdsErrorCode
from schemas.model import AvailabilityStatus, DocumentEntry, Folder


@dataclass(slots=True)
class VersionPlan:
    new_versions: list[DocumentEntry | Folder] = field(default_factory=list)
    replaced: list[RegistryEntry] = field(default_factory=list)
    """The versions that become Deprecated."""
    propagated: dict[str, str] = field(default_factory=dict)
    """Previous version → new version, for the updates that propagate Folder membership."""
    errors: list[RegistryError] = field(default_factory=list)


def plan_versions(
    updates: Iterable[VersionUpdate],
    registered: Iterable[RegistryEntry],
    *,
    allow_patient_id_update: bool,
) -> VersionPlan:
    by_lid: dict[str, list[RegistryEntry]] = defaultdict(list)
    for entry in registered:
        if entry.logical_id is not None:
            by_lid[entry.logical_id].append(entry)
    plan = VersionPlan()
    for update in updates:
        versions = by_lid.get(update.logical_id)
        if not versions:
            plan.errors.append(
                _error(
                    XdsErrorCode.METADATA_VERSION_ERROR,
                    update,
                    f"no registered object has logical id {update.logical_id}",
                )
            )
            continue
        latest = max(versions, key=lambda e: e.version or 0)
        errors = _check_update(update, latest, allow_patient_id_update)
        if errors:
            plan.errors.extend(errors)
            continue
        plan.new_versions.append(_new_version(update, latest))
        plan.replaced.append(latest)
        if update.propagate:
            plan.propagated[latest.entry_uuid] = update.obj.entry_uuid
    return plan


def _check_update(
    update: VersionUpdate, latest: RegistryEntry, allow_patient_id_update: bool
) -> list[RegistryError]:
    obj = update.obj
    kind = ObjectKind.DOCUMENT_ENTRY if isinstance(obj, DocumentEntry) else ObjectKind.FOLDER
    if latest.kind is not kind:
        return [
            _error(
                XdsErrorCode.OBJECT_TYPE_ERROR,
                update,
                f"logical id {update.logical_id} belongs to a {latest.kind}, not a {kind}",
            )
        ]
    errors: list[RegistryError] = []
    if update.previous_version != str(latest.version):
        errors.append(
            _error(
                XdsErrorCode.METADATA_VERSION_ERROR,
                update,
                f"PreviousVersion is {update.previous_version}, but the latest version of "
                f"{update.logical_id} is {latest.version}",
            )
        )
    if latest.status is not AvailabilityStatus.APPROVED:
        errors.append(
            _error(
                XdsErrorCode.METADATA_UPDATE_ERROR,
                update,
                f"the latest version of {update.logical_id} ({latest.entry_uuid}) is "
                f"{latest.status.short_name}; only an Approved object can be updated",
            )
        )
    if obj.unique_id != latest.unique_id:
        errors.append(
            _error(
                XdsErrorCode.METADATA_IDENTIFIER_ERROR,
                update,
                f"uniqueId {obj.unique_id} differs from {latest.unique_id} of the version it "
                "updates; a new version keeps its uniqueId",
            )
        )
    errors.extend(_check_patient(update, latest, allow_patient_id_update))
    if isinstance(obj, DocumentEntry):
        errors.extend(_check_document(update, obj, latest))
    return errors


def _check_patient(
    update: VersionUpdate, latest: RegistryEntry, allowed: bool
) -> list[RegistryError]:
    patient = update.obj.patient_id
    if allowed or patient is None or patient.render() == latest.patient_id:
        return []
    return [
        _error(
            XdsErrorCode.PATIENT_ID_RECONCILIATION_ERROR,
            update,
            f"the update moves {update.logical_id} from patient {latest.patient_id} to "
            f"{patient.render()}; this registry does not change patient ids by metadata update",
        )
    ]


def _check_document(
    update: VersionUpdate, entry: DocumentEntry, latest: RegistryEntry
) -> list[RegistryError]:
    errors: list[RegistryError] = []
    if entry.entry_type.value != latest.object_type:
        errors.append(
            _error(
                XdsErrorCode.OBJECT_TYPE_ERROR,
                update,
                f"objectType {entry.entry_type.value} differs from {latest.object_type} of the "
                "version it updates",
            )
        )
    unchangeable = (
        ("hash", None if entry.hash is None else entry.hash.lower(), latest.hash),
        ("size", entry.size, latest.size),
        ("repositoryUniqueId", entry.repository_unique_id, latest.repository_unique_id),
    )
    for name, submitted, registered in unchangeable:
        if submitted is not None and submitted != registered:
            errors.append(
                _error(
                    XdsErrorCode.METADATA_UPDATE_ERROR,
                    update,
                    f"{name} {submitted} differs from {registered}; a metadata update does not "
                    "change the document itself",
                )
            )
    return errors


def _new_version(update: VersionUpdate, latest: RegistryEntry) -> DocumentEntry | Folder:
    version = str((latest.version or 0) + 1)
    obj = dataclasses.replace(
        update.obj,
        status=AvailabilityStatus.APPROVED,
        logical_id=update.logical_id,
        version=version,
    )
    if isinstance(obj, Folder):
        return dataclasses.replace(obj, last_update_time=latest.last_update_time)
    return dataclasses.replace(
        obj,
        hash=obj.hash or latest.hash,
        size=obj.size if obj.size is not None else latest.size,
        repository_unique_id=obj.repository_unique_id or latest.repository_unique_id,
    )


def _error(code: XdsErrorCode, update: VersionUpdate, context: str) -> RegistryError:
    name = f"{type(update.obj).__name__} {update.obj.entry_uuid}"
    return RegistryError(code=code, context=f"{name}: {context}", location=update.obj.entry_uuid)
