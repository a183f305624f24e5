"""Negative cases for the rule tests: a valid submission broken in one place, and the check."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from schemas import vocabulary as v
from schemas.ebrim.rim import RimClassification, RimKind, RimObject, RimObjectList
from schemas.errors import Severity
from schemas.validation import IHE_STRICT, Level, Rule, Transaction, validate_submission
from tests.support.submissions import (
    association,
    change_classifications,
    code,
    has_member,
    replace_object,
    slot,
    update_submission,
    uuid_for,
    valid_submission,
    with_objects,
)

# Every rule an error, so each one can be seen; synthetic patient ids are what tests use.
EVERY_RULE = IHE_STRICT.with_overrides(dict.fromkeys(Rule, Level.ERROR)).with_overrides(
    {Rule.NORWAY_SYNTHETIC_PATIENT_ID: Level.OFF}
)
DOC = uuid_for("document-1")
DOC2 = uuid_for("document-2")
SS = uuid_for("submission-set")
FOLDER = uuid_for("folder")
REGISTERED_DOC = uuid_for("registered-document")
MEMBER = has_member(SS, DOC, v.SUBMISSION_SET_STATUS_ORIGINAL).id


@dataclass(frozen=True)
class Case:
    rule: Rule
    objects: RimObjectList
    says: str  # a fragment the message must contain
    transaction: Transaction = Transaction.REGISTER


def on_document(change: Callable[[RimObject], RimObject], documents: int = 1) -> RimObjectList:
    return replace_object(valid_submission(documents), DOC, change)


def on_set(change: Callable[[RimObject], RimObject]) -> RimObjectList:
    return replace_object(valid_submission(), SS, change)


def on_folder(change: Callable[[RimObject], RimObject]) -> RimObjectList:
    return replace_object(valid_submission(with_folder=True), FOLDER, change)


def on_member(change: Callable[[RimObject], RimObject]) -> RimObjectList:
    return replace_object(valid_submission(), MEMBER, change)


def plus(*extra: RimObject, documents: int = 1) -> RimObjectList:
    return with_objects(valid_submission(documents), *extra)


def set_code(scheme: str, value: str, coding_scheme: str) -> Callable[[RimObject], RimObject]:
    return lambda o: change_classifications(
        o,
        scheme,
        lambda c: replace(
            c, node_representation=value, slots=(slot(v.SLOT_CODING_SCHEME, coding_scheme),)
        ),
    )


def on_authors(change: Callable[[RimClassification], RimClassification]) -> RimObjectList:
    return on_document(lambda o: change_classifications(o, v.DE_AUTHOR, change))


def author_slot(name: str, *values: str) -> Callable[[RimClassification], RimClassification]:
    def change(a: RimClassification) -> RimClassification:
        return replace(a, slots=(*(s for s in a.slots if s.name != name), slot(name, *values)))

    return change


def documentation(owner: str) -> RimClassification:
    return code(owner, v.ASSOCIATION_DOCUMENTATION, "Correction", "1.2.3", "Correction")


def update_with(change: Callable[[RimObjectList], RimObjectList]) -> RimObjectList:
    return change(update_submission())


UPDATED = uuid_for("document-1-v2")
UPDATE_MEMBER = next(o.id for o in update_submission().objects if o.kind is RimKind.ASSOCIATION)
STATUS_CHANGE = association(
    v.ASSOC_UPDATE_AVAILABILITY_STATUS,
    SS,
    REGISTERED_DOC,
    slot(v.SLOT_ORIGINAL_STATUS, v.STATUS_APPROVED),
    slot(v.SLOT_NEW_STATUS, v.STATUS_DEPRECATED),
)


def assert_reported(case: Case) -> None:
    report = validate_submission(case.objects, case.transaction, EVERY_RULE)
    found = [f for f in report.findings if f.rule is case.rule]
    assert found, [f.message for f in report.findings]
    assert any(case.says in f.message for f in found), [f.message for f in found]
    assert all(f.code == case.rule.code and f.severity is Severity.ERROR for f in found)
    assert not report.is_valid


def case_id(case: Case) -> str:
    return f"{case.rule.id}:{case.says[:30]}"
