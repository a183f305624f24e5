"""SubmissionSet (§8.2) and Folder (§8.3) rules."""

from __future__ import annotations

from schemas import vocabulary as v
from schemas.ebrim.rim import RimObject
from schemas.model.common import text_of
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
)
from schemas.validation.context import Checker
from schemas.validation.rules import Rule

PACKAGE_STATUSES = (v.STATUS_APPROVED, v.STATUS_SUBMITTED)

SUBMISSION_SET_SLOTS = (
    SlotSpec(v.SLOT_SUBMISSION_TIME, Rule.SS_SUBMISSION_TIME_MISSING, checks=(TIME,)),
    SlotSpec(v.SLOT_INTENDED_RECIPIENT, single=False),
)
SUBMISSION_SET_CODES = (
    CodeSpec(v.SS_CONTENT_TYPE_CODE, "contentTypeCode", Rule.SS_CONTENT_TYPE_CODE_MISSING),
)
SUBMISSION_SET_IDENTIFIERS = (
    IdentifierSpec(v.SS_PATIENT_ID, "patientId", Rule.SS_PATIENT_ID_MISSING, PATIENT_ID),
    IdentifierSpec(v.SS_UNIQUE_ID, "uniqueId", Rule.SS_UNIQUE_ID_MISSING, (OID,)),
    IdentifierSpec(v.SS_SOURCE_ID, "sourceId", Rule.SS_SOURCE_ID_MISSING, (OID,)),
)
FOLDER_SLOTS = (SlotSpec(v.SLOT_LAST_UPDATE_TIME, checks=(TIME,)),)
FOLDER_CODES = (
    CodeSpec(v.FOLDER_CODE_LIST, "codeList", Rule.FOLDER_CODE_LIST_MISSING, single=False),
)
FOLDER_IDENTIFIERS = (
    IdentifierSpec(v.FOLDER_PATIENT_ID, "patientId", Rule.FOLDER_PATIENT_ID_MISSING, PATIENT_ID),
    IdentifierSpec(v.FOLDER_UNIQUE_ID, "uniqueId", Rule.FOLDER_UNIQUE_ID_MISSING, (OID,)),
)


def check_submission_set(c: Checker, submission_set: RimObject) -> None:
    _check_package(c, submission_set)
    check_slots(
        c, submission_set, submission_set.slots, SUBMISSION_SET_SLOTS, c.label(submission_set)
    )
    check_extra_metadata(c, submission_set, v.SUBMISSION_SET_SLOTS)
    check_codes(c, submission_set, SUBMISSION_SET_CODES)
    check_external_identifiers(c, submission_set, SUBMISSION_SET_IDENTIFIERS)
    check_authors(c, submission_set, v.SS_AUTHOR)


def check_folder(c: Checker, folder: RimObject) -> None:
    _check_package(c, folder)
    if not text_of(folder.name).strip():
        c.report(Rule.FOLDER_NAME_MISSING, folder)
    check_slots(c, folder, folder.slots, FOLDER_SLOTS, c.label(folder))
    check_extra_metadata(c, folder, v.FOLDER_SLOTS)
    check_codes(c, folder, FOLDER_CODES)
    check_external_identifiers(c, folder, FOLDER_IDENTIFIERS)


def _check_package(c: Checker, package: RimObject) -> None:
    check_entry_uuid(c, package)
    check_status(c, package, PACKAGE_STATUSES)
    check_parts_belong(c, package)
