"""DocumentEntry rules (guide §8.1): object type, mimeType, slots, codes, identifiers, authors."""

from __future__ import annotations

from schemas import vocabulary as v
from schemas.ebrim.rim import RimObject
from schemas.model.common import text_of
from schemas.model.hl7v2 import Timestamp
from schemas.validation import formats
from schemas.validation.authors import check_authors
from schemas.validation.common import (
    OID,
    PATIENT_ID,
    TIME,
    CodeSpec,
    IdentifierSpec,
    SlotSpec,
    check_codes,
    check_entry_uuid,
    check_external_identifiers,
    check_extra_metadata,
    check_parts_belong,
    check_slots,
    check_status,
    external_identifier,
)
from schemas.validation.context import Checker
from schemas.validation.rules import Rule

TITLE_MAX_LENGTH = 128
UNIQUE_ID_MAX_LENGTH = 128
ENTRY_TYPES = frozenset({v.OBJECT_TYPE_STABLE_DOCUMENT, v.OBJECT_TYPE_ON_DEMAND_DOCUMENT})
ENTRY_STATUSES = (v.STATUS_APPROVED, v.STATUS_DEPRECATED)
AVAILABILITIES = (v.DOCUMENT_AVAILABILITY_ONLINE, v.DOCUMENT_AVAILABILITY_OFFLINE)


def _availability_problem(value: str) -> str | None:
    return None if value in AVAILABILITIES else " or ".join(AVAILABILITIES)


SLOTS = (
    SlotSpec(v.SLOT_CREATION_TIME, Rule.DE_CREATION_TIME_MISSING, checks=(TIME,)),
    SlotSpec(
        v.SLOT_LANGUAGE_CODE,
        Rule.DE_LANGUAGE_CODE_MISSING,
        checks=((Rule.DE_LANGUAGE_CODE_MALFORMED, formats.language_code_problem),),
    ),
    SlotSpec(v.SLOT_SOURCE_PATIENT_ID, Rule.DE_SOURCE_PATIENT_ID_MISSING, checks=PATIENT_ID),
    SlotSpec(
        v.SLOT_SOURCE_PATIENT_INFO,
        single=False,
        checks=((Rule.DE_SOURCE_PATIENT_INFO_MALFORMED, formats.source_patient_info_problem),),
    ),
    SlotSpec(v.SLOT_SERVICE_START_TIME, checks=(TIME,)),
    SlotSpec(v.SLOT_SERVICE_STOP_TIME, checks=(TIME,)),
    SlotSpec(v.SLOT_LEGAL_AUTHENTICATOR, checks=((Rule.XCN_MALFORMED, formats.xcn_problem),)),
    SlotSpec(v.SLOT_REPOSITORY_UNIQUE_ID, Rule.DE_REPOSITORY_UNIQUE_ID_MISSING, checks=(OID,)),
    SlotSpec(v.SLOT_URI, single=False),
    SlotSpec(
        v.SLOT_REFERENCE_ID_LIST,
        single=False,
        checks=((Rule.DE_REFERENCE_ID_MALFORMED, formats.reference_id_problem),),
    ),
    SlotSpec(
        v.SLOT_DOCUMENT_AVAILABILITY,
        checks=((Rule.DE_DOCUMENT_AVAILABILITY, _availability_problem),),
    ),
)
FIXED_CONTENT_SLOTS = (
    SlotSpec(
        v.SLOT_HASH,
        Rule.DE_HASH_MISSING,
        checks=((Rule.DE_HASH_MALFORMED, formats.hash_problem),),
    ),
    SlotSpec(
        v.SLOT_SIZE,
        Rule.DE_SIZE_MISSING,
        checks=((Rule.DE_SIZE_MALFORMED, formats.size_problem),),
    ),
)
CODES = (
    CodeSpec(v.DE_CLASS_CODE, "classCode", Rule.DE_CLASS_CODE_MISSING),
    CodeSpec(
        v.DE_CONFIDENTIALITY_CODE,
        "confidentialityCode",
        Rule.DE_CONFIDENTIALITY_CODE_MISSING,
        single=False,
    ),
    CodeSpec(v.DE_EVENT_CODE, "eventCodeList", None, single=False),
    CodeSpec(v.DE_FORMAT_CODE, "formatCode", Rule.DE_FORMAT_CODE_MISSING),
    CodeSpec(
        v.DE_HEALTHCARE_FACILITY_TYPE_CODE,
        "healthcareFacilityTypeCode",
        Rule.DE_HEALTHCARE_FACILITY_TYPE_CODE_MISSING,
    ),
    CodeSpec(
        v.DE_PRACTICE_SETTING_CODE, "practiceSettingCode", Rule.DE_PRACTICE_SETTING_CODE_MISSING
    ),
    CodeSpec(v.DE_TYPE_CODE, "typeCode", Rule.DE_TYPE_CODE_MISSING),
)
IDENTIFIERS = (
    IdentifierSpec(v.DE_PATIENT_ID, "patientId", Rule.DE_PATIENT_ID_MISSING, PATIENT_ID),
    IdentifierSpec(
        v.DE_UNIQUE_ID,
        "uniqueId",
        Rule.DE_UNIQUE_ID_MISSING,
        ((Rule.OID_MALFORMED, formats.document_unique_id_problem),),
    ),
)


def check_document_entry(c: Checker, entry: RimObject) -> None:
    check_entry_uuid(c, entry)
    check_status(c, entry, ENTRY_STATUSES)
    check_parts_belong(c, entry)
    is_on_demand = _check_object_type(c, entry)
    _check_mime_type(c, entry)
    check_slots(c, entry, entry.slots, SLOTS, c.label(entry))
    if is_on_demand:
        for name in (v.SLOT_HASH, v.SLOT_SIZE):
            if entry.slot(name) is not None:
                c.report(Rule.DE_ON_DEMAND_FIXED_CONTENT, entry, slot=name)
    else:
        check_slots(c, entry, entry.slots, FIXED_CONTENT_SLOTS, c.label(entry))
    check_extra_metadata(c, entry, v.DOCUMENT_ENTRY_SLOTS)
    _check_service_times(c, entry)
    _check_lengths(c, entry)
    check_codes(c, entry, CODES)
    check_external_identifiers(c, entry, IDENTIFIERS)
    check_authors(c, entry, v.DE_AUTHOR)


def _check_object_type(c: Checker, entry: RimObject) -> bool:
    """Report an unknown objectType; True when the entry is on-demand."""
    if entry.object_type not in ENTRY_TYPES:
        c.report(
            Rule.DE_OBJECT_TYPE,
            entry,
            object_type=entry.object_type,
            stable=v.OBJECT_TYPE_STABLE_DOCUMENT,
            on_demand=v.OBJECT_TYPE_ON_DEMAND_DOCUMENT,
        )
    return entry.object_type == v.OBJECT_TYPE_ON_DEMAND_DOCUMENT


def _check_mime_type(c: Checker, entry: RimObject) -> None:
    mime_type = (entry.mime_type or "").strip()
    if not mime_type:
        c.report(Rule.DE_MIME_TYPE_MISSING, entry)
    elif formats.mime_type_problem(mime_type) is not None:
        c.report(Rule.DE_MIME_TYPE_MALFORMED, entry, attribute="mimeType", value=mime_type)


def _check_service_times(c: Checker, entry: RimObject) -> None:
    start = entry.first_slot_value(v.SLOT_SERVICE_START_TIME)
    stop = entry.first_slot_value(v.SLOT_SERVICE_STOP_TIME)
    if start is None or stop is None:
        return
    if formats.dtm_problem(start) is not None or formats.dtm_problem(stop) is not None:
        return  # reported as time.malformed
    if Timestamp.parse(start).padded > Timestamp.parse(stop).padded:
        c.report(Rule.DE_SERVICE_TIME_ORDER, entry, start=start, stop=stop)


def _check_lengths(c: Checker, entry: RimObject) -> None:
    title = text_of(entry.name)
    if len(title) > TITLE_MAX_LENGTH:
        c.report(Rule.DE_TITLE_TOO_LONG, entry, length=len(title))
    unique_id = external_identifier(entry, v.DE_UNIQUE_ID) or ""
    if len(unique_id) > UNIQUE_ID_MAX_LENGTH:
        c.report(Rule.DE_UNIQUE_ID_TOO_LONG, entry, length=len(unique_id))
