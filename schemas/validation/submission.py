"""Validate a whole RegistryObjectList: per-object rules, then the rules across objects (§8.5)."""

from __future__ import annotations

from collections import Counter, defaultdict

from schemas import vocabulary as v
from schemas.ebrim.rim import RimObject, RimObjectList
from schemas.model.hl7v2 import Cx
from schemas.validation import formats
from schemas.validation.associations import check_association
from schemas.validation.common import external_identifier
from schemas.validation.context import Checker, ObjectKind
from schemas.validation.entries import check_document_entry
from schemas.validation.norway import check_norwegian_profile
from schemas.validation.packages import check_folder, check_submission_set
from schemas.validation.profiles import DEFAULT_PROFILE, ValidationProfile
from schemas.validation.report import ValidationReport
from schemas.validation.rules import Rule, Transaction

UNIQUE_ID_SCHEMES = {
    ObjectKind.SUBMISSION_SET: v.SS_UNIQUE_ID,
    ObjectKind.FOLDER: v.FOLDER_UNIQUE_ID,
    ObjectKind.DOCUMENT_ENTRY: v.DE_UNIQUE_ID,
}
PATIENT_ID_SCHEMES = {
    ObjectKind.FOLDER: v.FOLDER_PATIENT_ID,
    ObjectKind.DOCUMENT_ENTRY: v.DE_PATIENT_ID,
}


def validate_submission(
    objects: RimObjectList,
    transaction: Transaction,
    profile: ValidationProfile = DEFAULT_PROFILE,
) -> ValidationReport:
    """Check a `rim:RegistryObjectList` as part of `transaction` under `profile`.

    Pure: it reads nothing but its arguments. Rules that need registry state (known patients,
    existing uniqueIds, association targets in the registry) are the registry service's.
    """
    c = Checker(objects, transaction, profile)
    _check_object_kinds(c)
    for submission_set in c.submission_sets:
        check_submission_set(c, submission_set)
    for folder in c.folders:
        check_folder(c, folder)
    for entry in c.document_entries:
        check_document_entry(c, entry)
    for association in c.associations:
        check_association(c, association)
    _check_entry_uuids_unique(c)
    _check_unique_ids_unique(c)
    _check_patient_ids_match(c)
    _check_logical_ids(c)
    check_norwegian_profile(c)
    return ValidationReport(
        transaction=transaction, profile=profile.name, findings=tuple(c.findings)
    )


def _check_object_kinds(c: Checker) -> None:
    count = len(c.submission_sets)
    if count != 1:
        c.report(Rule.SUBMISSION_SET_COUNT, None, count=count)
    for name in c.objects.unsupported:
        reason = (
            "a submission holds ExtrinsicObjects, RegistryPackages, Associations, Classifications"
        )
        c.report(
            Rule.UNSUPPORTED_OBJECT, None, obj=f"rim:{name}", reason=reason + " and ObjectRefs"
        )
    for package in c.of_kind(ObjectKind.REGISTRY_PACKAGE):
        reason = "a RegistryPackage must be classified as exactly one of SubmissionSet and Folder"
        c.report(Rule.UNSUPPORTED_OBJECT, package, reason=reason)


def _check_entry_uuids_unique(c: Checker) -> None:
    counts = Counter(o.id for o in c.objects.objects if o.id)
    for object_id, count in counts.items():
        if count > 1:
            c.report(Rule.DUPLICATE_ENTRY_UUID, c.by_id(object_id), id=object_id, count=count)


def _check_unique_ids_unique(c: Checker) -> None:
    holders: defaultdict[str, list[RimObject]] = defaultdict(list)
    for obj in c.objects.objects:
        scheme = UNIQUE_ID_SCHEMES.get(c.kind_of(obj))
        unique_id = external_identifier(obj, scheme) if scheme else None
        if unique_id:
            holders[unique_id].append(obj)
    for unique_id, objects in holders.items():
        if len(objects) > 1:
            names = ", ".join(c.label(o) for o in objects)
            c.report(Rule.DUPLICATE_UNIQUE_ID, objects[-1], unique_id=unique_id, objects=names)


def _normalised(patient_id: str) -> str:
    return Cx.parse(patient_id.strip()).render()


def _check_patient_ids_match(c: Checker) -> None:
    if len(c.submission_sets) != 1:
        return
    expected = external_identifier(c.submission_sets[0], v.SS_PATIENT_ID)
    if not expected:
        return
    for obj in (*c.folders, *c.document_entries):
        patient_id = external_identifier(obj, PATIENT_ID_SCHEMES[c.kind_of(obj)])
        if patient_id and _normalised(patient_id) != _normalised(expected):
            c.report(Rule.PATIENT_ID_MISMATCH, obj, patient_id=patient_id, expected=expected)


def _check_logical_ids(c: Checker) -> None:
    """ITI-41/42 objects are their own first version; ITI-57 versions name their object's lid."""
    if c.transaction is not Transaction.UPDATE:
        for obj in c.objects.objects:
            if obj.lid and obj.id and obj.lid != obj.id:
                c.report(Rule.LID_MISMATCH, obj, lid=obj.lid)
        return
    versioned = (*c.document_entries, *c.folders)
    for obj in versioned:
        if not obj.lid or not formats.is_uuid_reference(obj.lid):
            c.report(Rule.UPDATE_LID_MISSING, obj, lid=obj.lid)
    by_lid: defaultdict[str, list[RimObject]] = defaultdict(list)
    for obj in versioned:
        if obj.lid:
            by_lid[obj.lid].append(obj)
    for lid, objects in by_lid.items():
        if len(objects) > 1:
            names = ", ".join(c.label(o) for o in objects)
            c.report(Rule.UPDATE_DUPLICATE_LID, objects[-1], lid=lid, objects=names)
