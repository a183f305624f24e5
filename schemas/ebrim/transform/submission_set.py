"""XDSSubmissionSet: `rim:RegistryPackage` classified as a SubmissionSet ↔ `SubmissionSet`."""

from __future__ import annotations

from collections.abc import Sequence

from schemas import vocabulary as v
from schemas.ebrim.rim import RimClassification, RimKind, RimObject
from schemas.ebrim.transform.author import authors_of, authors_to_rim
from schemas.ebrim.transform.codes import codes_to_rim, single_code
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
from schemas.model.metadata import SubmissionSet


def submission_set_from_rim(
    obj: RimObject, classifications: Sequence[RimClassification]
) -> SubmissionSet:
    """Read a SubmissionSet package; `classifications` are all of it, nested and top-level."""
    return SubmissionSet(
        **base_fields(obj, v.SUBMISSION_SET_SLOTS),
        unique_id=identifier_value(obj, v.SS_UNIQUE_ID) or "",
        source_id=identifier_value(obj, v.SS_SOURCE_ID) or "",
        patient_id=optional_cx(identifier_value(obj, v.SS_PATIENT_ID)),
        submission_time=timestamp(obj, v.SLOT_SUBMISSION_TIME),
        content_type_code=single_code(classifications, v.SS_CONTENT_TYPE_CODE),
        authors=authors_of(classifications, v.SS_AUTHOR),
        intended_recipients=obj.slot_values(v.SLOT_INTENDED_RECIPIENT),
        limited_metadata=is_flagged(classifications, v.SS_LIMITED_METADATA),
    )


def submission_set_to_rim(submission_set: SubmissionSet) -> RimObject:
    """The RegistryPackage; its SubmissionSet classification is written top-level (see metadata)."""
    ss = submission_set
    owner = ss.entry_uuid
    patient_id = None if ss.patient_id is None else ss.patient_id.render()
    return rim_object(
        ss,
        RimKind.REGISTRY_PACKAGE,
        v.OBJECT_TYPE_REGISTRY_PACKAGE,
        slots=slots_of(
            (v.SLOT_SUBMISSION_TIME, timestamp_values(ss.submission_time)),
            (v.SLOT_INTENDED_RECIPIENT, ss.intended_recipients),
        ),
        classifications=[
            *authors_to_rim(ss.authors, owner=owner, scheme=v.SS_AUTHOR),
            *codes_to_rim([ss.content_type_code], owner=owner, scheme=v.SS_CONTENT_TYPE_CODE),
            *flag(owner, v.SS_LIMITED_METADATA, ss.limited_metadata),
        ],
        identifiers=[
            *identifier(owner, v.SS_UNIQUE_ID, ss.unique_id or None, v.NAME_SS_UNIQUE_ID),
            *identifier(owner, v.SS_SOURCE_ID, ss.source_id or None, v.NAME_SS_SOURCE_ID),
            *identifier(owner, v.SS_PATIENT_ID, patient_id, v.NAME_SS_PATIENT_ID),
        ],
    )
