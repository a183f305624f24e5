"""Association rules (conformance guide §8.4): types, endpoints, SubmissionSetStatus, updates.

Only what the message itself shows is checked here. Whether a `urn:uuid` endpoint exists in the
registry, belongs to the same patient or is not deprecated is registry state: the registry service
checks that (docs/validation.md lists those rules).
"""

from __future__ import annotations

from schemas import vocabulary as v
from schemas.ebrim.rim import RimObject
from schemas.validation import formats
from schemas.validation.common import check_entry_uuid, check_extra_metadata, check_parts_belong
from schemas.validation.context import Checker, ObjectKind
from schemas.validation.rules import Rule, Transaction

DOCUMENTED_RELATIONSHIPS = frozenset(
    {v.ASSOC_REPLACE, v.ASSOC_APPEND, v.ASSOC_TRANSFORM, v.ASSOC_TRANSFORM_REPLACE}
)
DOCUMENT_RELATIONSHIPS = DOCUMENTED_RELATIONSHIPS | {v.ASSOC_SIGNS, v.ASSOC_SNAPSHOT_OF}
UPDATE_ASSOCIATIONS = frozenset({v.ASSOC_UPDATE_AVAILABILITY_STATUS, v.ASSOC_SUBMIT_ASSOCIATION})
KNOWN_TYPES = DOCUMENT_RELATIONSHIPS | UPDATE_ASSOCIATIONS | {v.ASSOC_HAS_MEMBER}
SUBMISSION_SET_STATUSES = (v.SUBMISSION_SET_STATUS_ORIGINAL, v.SUBMISSION_SET_STATUS_REFERENCE)
AVAILABILITY_STATUSES = frozenset({v.STATUS_APPROVED, v.STATUS_DEPRECATED, v.STATUS_SUBMITTED})
VERSIONED_KINDS = frozenset({ObjectKind.DOCUMENT_ENTRY, ObjectKind.FOLDER})


def short_type(association_type: str) -> str:
    return association_type.rsplit(":", 1)[-1]


def check_association(c: Checker, association: RimObject) -> None:
    check_entry_uuid(c, association)
    check_parts_belong(c, association)
    check_extra_metadata(c, association, v.ASSOCIATION_SLOTS)
    kind = association.association_type or ""
    if kind not in KNOWN_TYPES:
        c.report(Rule.ASSOCIATION_TYPE_UNKNOWN, association, type=kind)
        return
    _check_endpoints(c, association)
    documented = association.classifications_by_scheme(v.ASSOCIATION_DOCUMENTATION)
    if documented and kind not in DOCUMENTED_RELATIONSHIPS:
        c.report(Rule.ASSOCIATION_DOCUMENTATION_NOT_ALLOWED, association, type=short_type(kind))
    if kind == v.ASSOC_HAS_MEMBER:
        _check_has_member(c, association)
    elif kind in DOCUMENT_RELATIONSHIPS:
        _expect_source(c, association, ObjectKind.DOCUMENT_ENTRY, "a DocumentEntry in this message")
    else:
        _check_update_association(c, association, kind)


def _check_endpoints(c: Checker, association: RimObject) -> None:
    refs = {ref.id for ref in c.objects.object_refs}
    for attribute, ref in (
        ("sourceObject", association.source_object),
        ("targetObject", association.target_object),
    ):
        if not ref:
            c.report(Rule.ASSOCIATION_ENDPOINT_MISSING, association, attribute=attribute)
        elif c.by_id(ref) is None and ref not in refs and not formats.is_uuid_reference(ref):
            c.report(Rule.ASSOCIATION_UNRESOLVED, association, attribute=attribute, ref=ref)


def _endpoint_name(c: Checker, ref: str | None) -> str:
    obj = c.by_id(ref or "")
    return repr(ref) if obj is None else c.label(obj)


def _expect_source(c: Checker, association: RimObject, kind: ObjectKind, expected: str) -> bool:
    """Report a source that is not an object of `kind` in this message; True when it is."""
    if c.kind_of_id(association.source_object or "") is kind:
        return True
    c.report(
        Rule.ASSOCIATION_SOURCE,
        association,
        type=short_type(association.association_type or ""),
        expected=expected,
        source=_endpoint_name(c, association.source_object),
    )
    return False


def _check_has_member(c: Checker, association: RimObject) -> None:
    source_kind = c.kind_of_id(association.source_object or "")
    if source_kind is ObjectKind.SUBMISSION_SET:
        _check_submission_set_member(c, association)
    elif source_kind is not None and source_kind is not ObjectKind.FOLDER:
        c.report(
            Rule.ASSOCIATION_SOURCE,
            association,
            type="HasMember",
            expected="the SubmissionSet or a Folder",
            source=_endpoint_name(c, association.source_object),
        )


def _check_submission_set_member(c: Checker, association: RimObject) -> None:
    target = association.target_object or ""
    target_kind = c.kind_of_id(target)
    if target_kind in (ObjectKind.FOLDER, ObjectKind.ASSOCIATION):
        _check_previous_version(c, association, target, target_kind)
        return
    statuses = association.slot_values(v.SLOT_SUBMISSION_SET_STATUS)
    is_valid = len(statuses) == 1 and statuses[0] in SUBMISSION_SET_STATUSES
    if (c.transaction.is_submission or statuses) and not is_valid:
        c.report(Rule.ASSOCIATION_SUBMISSION_SET_STATUS, association, values=list(statuses))
    is_original = statuses == (v.SUBMISSION_SET_STATUS_ORIGINAL,)
    if is_original and target_kind is not ObjectKind.DOCUMENT_ENTRY:
        c.report(Rule.ASSOCIATION_ORIGINAL_NOT_SUBMITTED, association, target=target)
    _check_previous_version(c, association, target, target_kind)


def _check_previous_version(
    c: Checker, association: RimObject, target: str, target_kind: ObjectKind | None
) -> None:
    """ITI-57: the HasMember of a new DocumentEntry or Folder version names the version it ends."""
    if c.transaction is not Transaction.UPDATE or target_kind not in VERSIONED_KINDS:
        return
    versions = association.slot_values(v.SLOT_PREVIOUS_VERSION)
    if len(versions) != 1 or formats.size_problem(versions[0]) is not None:
        c.report(Rule.UPDATE_PREVIOUS_VERSION, association, target=target, values=list(versions))


def _check_update_association(c: Checker, association: RimObject, kind: str) -> None:
    c.report(
        Rule.ASSOCIATION_UPDATE_ONLY,
        association,
        type=short_type(kind),
        transaction=c.transaction.value,
    )
    _expect_source(c, association, ObjectKind.SUBMISSION_SET, "the SubmissionSet")
    if kind != v.ASSOC_UPDATE_AVAILABILITY_STATUS:
        return
    for slot in (v.SLOT_ORIGINAL_STATUS, v.SLOT_NEW_STATUS):
        values = association.slot_values(slot)
        if len(values) != 1 or values[0] not in AVAILABILITY_STATUSES:
            c.report(Rule.ASSOCIATION_STATUS_CHANGE, association, slot=slot, values=list(values))
