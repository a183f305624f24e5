"""XDSDocumentEntry: `rim:ExtrinsicObject` ↔ `DocumentEntry` (ITI TF-3 4.2.3.2)."""

from __future__ import annotations

from collections.abc import Sequence

from schemas import vocabulary as v
from schemas.ebrim.rim import RimClassification, RimKind, RimObject
from schemas.ebrim.transform.author import authors_of, authors_to_rim
from schemas.ebrim.transform.codes import codes_of, codes_to_rim, single_code
from schemas.ebrim.transform.common import (
    base_fields,
    flag,
    identifier,
    identifier_value,
    integer,
    is_flagged,
    one,
    optional_cx,
    rim_object,
    slots_of,
    timestamp,
    timestamp_values,
)
from schemas.model.common import DocumentEntryType
from schemas.model.hl7v2 import Cx, Xcn
from schemas.model.metadata import DocumentEntry


def entry_type(object_type: str | None) -> DocumentEntryType:
    """The entry type; an unknown `objectType` (reported by validation) reads as stable."""
    try:
        return DocumentEntryType(object_type or "")
    except ValueError:
        return DocumentEntryType.STABLE


def document_entry_from_rim(
    obj: RimObject, classifications: Sequence[RimClassification]
) -> DocumentEntry:
    """Read an ExtrinsicObject; `classifications` are all of it, nested and top-level."""
    legal_authenticator = obj.first_slot_value(v.SLOT_LEGAL_AUTHENTICATOR)
    return DocumentEntry(
        **base_fields(obj, v.DOCUMENT_ENTRY_SLOTS),
        entry_type=entry_type(obj.object_type),
        unique_id=identifier_value(obj, v.DE_UNIQUE_ID) or "",
        patient_id=optional_cx(identifier_value(obj, v.DE_PATIENT_ID)),
        mime_type=obj.mime_type or "",
        class_code=single_code(classifications, v.DE_CLASS_CODE),
        type_code=single_code(classifications, v.DE_TYPE_CODE),
        format_code=single_code(classifications, v.DE_FORMAT_CODE),
        healthcare_facility_type_code=single_code(
            classifications, v.DE_HEALTHCARE_FACILITY_TYPE_CODE
        ),
        practice_setting_code=single_code(classifications, v.DE_PRACTICE_SETTING_CODE),
        confidentiality_codes=codes_of(classifications, v.DE_CONFIDENTIALITY_CODE),
        event_codes=codes_of(classifications, v.DE_EVENT_CODE),
        authors=authors_of(classifications, v.DE_AUTHOR),
        creation_time=timestamp(obj, v.SLOT_CREATION_TIME),
        service_start_time=timestamp(obj, v.SLOT_SERVICE_START_TIME),
        service_stop_time=timestamp(obj, v.SLOT_SERVICE_STOP_TIME),
        hash=obj.first_slot_value(v.SLOT_HASH),
        size=integer(obj.first_slot_value(v.SLOT_SIZE)),
        repository_unique_id=obj.first_slot_value(v.SLOT_REPOSITORY_UNIQUE_ID),
        uri=obj.first_slot_value(v.SLOT_URI),
        language_code=obj.first_slot_value(v.SLOT_LANGUAGE_CODE),
        source_patient_id=optional_cx(obj.first_slot_value(v.SLOT_SOURCE_PATIENT_ID)),
        source_patient_info=obj.slot_values(v.SLOT_SOURCE_PATIENT_INFO),
        legal_authenticator=None if legal_authenticator is None else Xcn.parse(legal_authenticator),
        reference_ids=tuple(Cx.parse(x) for x in obj.slot_values(v.SLOT_REFERENCE_ID_LIST)),
        document_availability=obj.first_slot_value(v.SLOT_DOCUMENT_AVAILABILITY),
        limited_metadata=is_flagged(classifications, v.DE_LIMITED_METADATA),
    )


def _classifications(entry: DocumentEntry) -> list[RimClassification]:
    owner = entry.entry_uuid
    single = (
        (v.DE_CLASS_CODE, entry.class_code),
        (v.DE_FORMAT_CODE, entry.format_code),
        (v.DE_HEALTHCARE_FACILITY_TYPE_CODE, entry.healthcare_facility_type_code),
        (v.DE_PRACTICE_SETTING_CODE, entry.practice_setting_code),
        (v.DE_TYPE_CODE, entry.type_code),
    )
    return [
        *authors_to_rim(entry.authors, owner=owner, scheme=v.DE_AUTHOR),
        *(c for scheme, code in single for c in codes_to_rim([code], owner=owner, scheme=scheme)),
        *codes_to_rim(entry.confidentiality_codes, owner=owner, scheme=v.DE_CONFIDENTIALITY_CODE),
        *codes_to_rim(entry.event_codes, owner=owner, scheme=v.DE_EVENT_CODE),
        *flag(owner, v.DE_LIMITED_METADATA, entry.limited_metadata),
    ]


def document_entry_to_rim(entry: DocumentEntry) -> RimObject:
    slots = slots_of(
        (v.SLOT_CREATION_TIME, timestamp_values(entry.creation_time)),
        (v.SLOT_HASH, one(entry.hash)),
        (v.SLOT_LANGUAGE_CODE, one(entry.language_code)),
        (v.SLOT_LEGAL_AUTHENTICATOR, one(_render(entry.legal_authenticator))),
        (v.SLOT_REPOSITORY_UNIQUE_ID, one(entry.repository_unique_id)),
        (v.SLOT_SERVICE_START_TIME, timestamp_values(entry.service_start_time)),
        (v.SLOT_SERVICE_STOP_TIME, timestamp_values(entry.service_stop_time)),
        (v.SLOT_SIZE, () if entry.size is None else (str(entry.size),)),
        (v.SLOT_SOURCE_PATIENT_ID, one(_render(entry.source_patient_id))),
        (v.SLOT_SOURCE_PATIENT_INFO, entry.source_patient_info),
        (v.SLOT_URI, one(entry.uri)),
        (v.SLOT_REFERENCE_ID_LIST, tuple(x.render() for x in entry.reference_ids)),
        (v.SLOT_DOCUMENT_AVAILABILITY, one(entry.document_availability)),
    )
    owner = entry.entry_uuid
    return rim_object(
        entry,
        RimKind.EXTRINSIC_OBJECT,
        entry.entry_type.value,
        slots=slots,
        classifications=_classifications(entry),
        identifiers=[
            *identifier(owner, v.DE_PATIENT_ID, _render(entry.patient_id), v.NAME_DE_PATIENT_ID),
            *identifier(owner, v.DE_UNIQUE_ID, entry.unique_id or None, v.NAME_DE_UNIQUE_ID),
        ],
        mime_type=entry.mime_type or None,
    )


def _render(value: Cx | Xcn | None) -> str | None:
    return None if value is None else value.render()
