"""XDSFolder: `rim:RegistryPackage` classified as a Folder ↔ `Folder`."""

from __future__ import annotations

from collections.abc import Sequence

from schemas import vocabulary as v
from schemas.ebrim.rim import RimClassification, RimKind, RimObject
from schemas.ebrim.transform.codes import codes_of, codes_to_rim
from schemas.ebrim.transform.common import (
    base_fields,
    flag,
    identifier,
    identifier_value,
    is_flagged,
    optional_cx,
    rim_object,
    slots_of,
    timestamp,
    timestamp_values,
)
from schemas.model.metadata import Folder


def folder_from_rim(obj: RimObject, classifications: Sequence[RimClassification]) -> Folder:
    """Read a Folder package; `classifications` are all of it, nested and top-level."""
    return Folder(
        **base_fields(obj, v.FOLDER_SLOTS),
        unique_id=identifier_value(obj, v.FOLDER_UNIQUE_ID) or "",
        patient_id=optional_cx(identifier_value(obj, v.FOLDER_PATIENT_ID)),
        codes=codes_of(classifications, v.FOLDER_CODE_LIST),
        last_update_time=timestamp(obj, v.SLOT_LAST_UPDATE_TIME),
        limited_metadata=is_flagged(classifications, v.FOLDER_LIMITED_METADATA),
    )


def folder_to_rim(folder: Folder) -> RimObject:
    """The RegistryPackage; its Folder classification is written top-level (see metadata)."""
    owner = folder.entry_uuid
    patient_id = None if folder.patient_id is None else folder.patient_id.render()
    return rim_object(
        folder,
        RimKind.REGISTRY_PACKAGE,
        v.OBJECT_TYPE_REGISTRY_PACKAGE,
        slots=slots_of((v.SLOT_LAST_UPDATE_TIME, timestamp_values(folder.last_update_time))),
        classifications=[
            *codes_to_rim(folder.codes, owner=owner, scheme=v.FOLDER_CODE_LIST),
            *flag(owner, v.FOLDER_LIMITED_METADATA, folder.limited_metadata),
        ],
        identifiers=[
            *identifier(owner, v.FOLDER_PATIENT_ID, patient_id, v.NAME_FOLDER_PATIENT_ID),
            *identifier(
                owner, v.FOLDER_UNIQUE_ID, folder.unique_id or None, v.NAME_FOLDER_UNIQUE_ID
            ),
        ],
    )
