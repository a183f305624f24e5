"""Negative tests for authors, SubmissionSets, Folders, Associations, updates, Norwegian rules."""

from __future__ import annotations

from dataclasses import replace

import pytest

from schemas import vocabulary as v
from schemas.ebrim.rim import RimKind
from schemas.norway import oids
from schemas.validation import Level, Rule, Transaction, validate_submission
from tests.schemas.validation.rule_cases import (
    DOC,
    DOC2,
    EVERY_RULE,
    REGISTERED_DOC,
    SS,
    STATUS_CHANGE,
    UPDATE_MEMBER,
    UPDATED,
    Case,
    assert_reported,
    author_slot,
    case_id,
    documentation,
    on_authors,
    on_document,
    on_folder,
    on_member,
    on_set,
    plus,
    set_code,
    update_with,
)
from tests.schemas.validation.test_rules_objects import CASES as OBJECT_CASES
from tests.support.submissions import (
    PATIENT_ID,
    PATIENT_NIN,
    association,
    has_member,
    in_every,
    object_with_id,
    replace_object,
    slot,
    uuid_for,
    valid_submission,
    with_classifications,
    with_external_identifier,
    with_objects,
    with_slot,
    without_classifications,
    without_external_identifier,
    without_slot,
)

CASES = [
    # ------------------------------------------------------------------ authors
    Case(
        Rule.AUTHOR_EMPTY,
        on_authors(lambda a: replace(a, slots=(slot(v.SLOT_AUTHOR_ROLE, "Lege"),))),
        "names no authorPerson, authorInstitution or authorTelecommunication",
    ),
    Case(
        Rule.AUTHOR_UNKNOWN_SLOT,
        on_authors(author_slot("authorSpeciality", "Orthopedic")),
        "the slot 'authorSpeciality', which is not an author slot",
    ),
    # ------------------------------------------------------------------ SubmissionSet
    Case(
        Rule.SS_SUBMISSION_TIME_MISSING,
        on_set(lambda o: without_slot(o, v.SLOT_SUBMISSION_TIME)),
        "no submissionTime",
    ),
    Case(
        Rule.SS_CONTENT_TYPE_CODE_MISSING,
        on_set(lambda o: without_classifications(o, v.SS_CONTENT_TYPE_CODE)),
        "no contentTypeCode",
    ),
    Case(
        Rule.SS_PATIENT_ID_MISSING,
        on_set(lambda o: without_external_identifier(o, v.SS_PATIENT_ID)),
        "no patientId",
    ),
    Case(
        Rule.SS_UNIQUE_ID_MISSING,
        on_set(lambda o: without_external_identifier(o, v.SS_UNIQUE_ID)),
        "no uniqueId",
    ),
    Case(
        Rule.SS_SOURCE_ID_MISSING,
        on_set(lambda o: without_external_identifier(o, v.SS_SOURCE_ID)),
        "no sourceId",
    ),
    # ------------------------------------------------------------------ Folder
    Case(Rule.FOLDER_NAME_MISSING, on_folder(lambda o: replace(o, name=())), "Folder"),
    Case(
        Rule.FOLDER_CODE_LIST_MISSING,
        on_folder(lambda o: without_classifications(o, v.FOLDER_CODE_LIST)),
        "no codeList code",
    ),
    Case(
        Rule.FOLDER_PATIENT_ID_MISSING,
        on_folder(lambda o: without_external_identifier(o, v.FOLDER_PATIENT_ID)),
        "no patientId",
    ),
    Case(
        Rule.FOLDER_UNIQUE_ID_MISSING,
        on_folder(lambda o: without_external_identifier(o, v.FOLDER_UNIQUE_ID)),
        "no uniqueId",
    ),
    # ------------------------------------------------------------------ Associations
    Case(
        Rule.ASSOCIATION_TYPE_UNKNOWN,
        on_member(lambda o: replace(o, association_type="HasMember")),
        "associationType 'HasMember'",
    ),
    Case(
        Rule.ASSOCIATION_ENDPOINT_MISSING,
        on_member(lambda o: replace(o, target_object=None)),
        "has no targetObject",
    ),
    Case(
        Rule.ASSOCIATION_UNRESOLVED,
        on_member(lambda o: replace(o, target_object="Document99")),
        "targetObject 'Document99' is neither an object in this message",
    ),
    Case(
        Rule.ASSOCIATION_SOURCE,
        plus(association(v.ASSOC_REPLACE, SS, REGISTERED_DOC)),
        "a RPLC association starts at a DocumentEntry in this message",
    ),
    Case(
        Rule.ASSOCIATION_SOURCE,
        plus(has_member(DOC, DOC2), documents=2),
        "a HasMember association starts at the SubmissionSet or a Folder",
    ),
    Case(
        Rule.ASSOCIATION_SOURCE,
        update_with(lambda u: with_objects(u, replace(STATUS_CHANGE, source_object=UPDATED))),
        "starts at the SubmissionSet",
        Transaction.UPDATE,
    ),
    Case(
        Rule.ASSOCIATION_SUBMISSION_SET_STATUS,
        on_member(lambda o: without_slot(o, v.SLOT_SUBMISSION_SET_STATUS)),
        "it has []",
    ),
    Case(
        Rule.ASSOCIATION_SUBMISSION_SET_STATUS,
        on_member(lambda o: with_slot(o, v.SLOT_SUBMISSION_SET_STATUS, "Copy")),
        "it has ['Copy']",
    ),
    Case(
        Rule.ASSOCIATION_ORIGINAL_NOT_SUBMITTED,
        plus(has_member(SS, REGISTERED_DOC, v.SUBMISSION_SET_STATUS_ORIGINAL)),
        "an Original member of the SubmissionSet",
    ),
    Case(
        Rule.ASSOCIATION_DOCUMENTATION_NOT_ALLOWED,
        on_member(lambda o: with_classifications(o, documentation(o.id))),
        "not on HasMember",
    ),
    Case(
        Rule.ASSOCIATION_UPDATE_ONLY,
        plus(STATUS_CHANGE),
        "UpdateAvailabilityStatus associations belong in a metadata update (ITI-57), not in ITI-42",
    ),
    Case(
        Rule.ASSOCIATION_STATUS_CHANGE,
        update_with(lambda u: with_objects(u, without_slot(STATUS_CHANGE, v.SLOT_NEW_STATUS))),
        "needs one NewStatus value",
        Transaction.UPDATE,
    ),
    # ------------------------------------------------------------------ metadata update
    Case(
        Rule.UPDATE_LID_MISSING,
        update_with(lambda u: replace_object(u, UPDATED, lambda o: replace(o, lid=None))),
        "has no lid",
        Transaction.UPDATE,
    ),
    Case(
        Rule.UPDATE_PREVIOUS_VERSION,
        update_with(
            lambda u: replace_object(
                u, UPDATE_MEMBER, lambda o: with_slot(o, v.SLOT_PREVIOUS_VERSION, "one")
            )
        ),
        "needs one PreviousVersion value",
        Transaction.UPDATE,
    ),
    Case(
        Rule.UPDATE_DUPLICATE_LID,
        update_with(
            lambda u: with_objects(
                u, replace(object_with_id(u, UPDATED), id=uuid_for("document-1-v3"))
            )
        ),
        f"lid {DOC} is updated by more than one object",
        Transaction.UPDATE,
    ),
    # ------------------------------------------------------------------ Norwegian profile
    Case(
        Rule.NORWAY_PATIENT_ID,
        on_document(
            lambda o: with_external_identifier(
                o, v.DE_PATIENT_ID, f"12838512312^^^&{oids.FODSELSNUMMER}&ISO"
            )
        ),
        "the check digits of fødselsnummer 12838512312 do not match",
    ),
    Case(
        Rule.NORWAY_PATIENT_ID,
        on_set(
            lambda o: with_external_identifier(
                o, v.SS_PATIENT_ID, f"{PATIENT_NIN}^^^&{oids.D_NUMMER}&ISO"
            )
        ),
        "not 2.16.578.1.12.4.1.4.2",
    ),
    Case(
        Rule.NORWAY_PATIENT_ID_AUTHORITY,
        on_folder(
            lambda o: with_external_identifier(o, v.FOLDER_PATIENT_ID, "test1234_1^^^&1.2.3&ISO")
        ),
        "has assigning authority '1.2.3'",
    ),
    Case(
        Rule.NORWAY_CLASS_CODE,
        on_document(set_code(v.DE_CLASS_CODE, "A03-2", oids.DOKUMENTTYPE)),
        "classCode 'A03-2'",
    ),
    Case(
        Rule.NORWAY_FOREIGN_CODE_SYSTEM,
        on_document(set_code(v.DE_CLASS_CODE, "A00-1", "Connect-a-thon classCodes")),
        "classCode 'A00-1' uses codingScheme 'Connect-a-thon classCodes'",
    ),
    Case(
        Rule.NORWAY_FOREIGN_CODE_SYSTEM,
        on_document(set_code(v.DE_TYPE_CODE, "34108-1", "2.16.840.1.113883.6.1")),
        "typeCode '34108-1' uses codingScheme '2.16.840.1.113883.6.1'",
    ),
    Case(
        Rule.NORWAY_FOREIGN_CODE_SYSTEM,
        on_document(set_code(v.DE_CONFIDENTIALITY_CODE, "1.3.6.1.4.1.21367.2006.7.101", "x")),
        "confidentialityCode '1.3.6.1.4.1.21367.2006.7.101' uses codingScheme 'x'",
    ),
    Case(
        Rule.NORWAY_TYPE_CODE,
        on_document(set_code(v.DE_TYPE_CODE, "A00-1", oids.DOKUMENTTYPE)),
        "is not a Volven 9602 type code",
    ),
    Case(
        Rule.NORWAY_TYPE_CODE,
        on_document(set_code(v.DE_TYPE_CODE, "C01-2", oids.DOKUMENTTYPE)),
        "belongs to class C00-1, but the classCode is A00-1",
    ),
    Case(
        Rule.NORWAY_CONFIDENTIALITY_CODE,
        on_document(set_code(v.DE_CONFIDENTIALITY_CODE, "NORX", oids.SPERRING_OG_NEKTING)),
        "confidentialityCode 'NORX'",
    ),
    Case(
        Rule.NORWAY_DOCUMENT_TYPE,
        on_document(
            lambda o: set_code(v.DE_TYPE_CODE, "B02-2", oids.DOKUMENTTYPE)(
                set_code(v.DE_CLASS_CODE, "B00-1", oids.DOKUMENTTYPE)(o)
            )
        ),
        "allowed: A00-1, C00-1, E00-1, I01-2",
    ),
    Case(
        Rule.NORWAY_HPR_NUMBER,
        on_authors(
            author_slot(v.SLOT_AUTHOR_PERSON, f"{PATIENT_NIN}^A^B^^^^^^&{oids.HPR_NUMMER}&ISO")
        ),
        f"gives '{PATIENT_NIN}' as an HPR number",
    ),
    Case(
        Rule.NORWAY_ORGANISATION_NUMBER,
        on_authors(
            author_slot(
                v.SLOT_AUTHOR_INSTITUTION, f"OUS^^^^^&{oids.ENHETSREGISTERET}&ISO^^^^993467048"
            )
        ),
        "gives '993467048' as an Enhetsregisteret organisation number",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_the_rule_is_reported(case: Case) -> None:
    assert_reported(case)


def test_every_rule_has_a_negative_test() -> None:
    tested = {case.rule for case in (*OBJECT_CASES, *CASES)} | {Rule.NORWAY_SYNTHETIC_PATIENT_ID}
    assert tested == set(Rule), sorted(r.id for r in set(Rule) - tested)


def test_synthetic_patient_ids_are_refused_when_a_deployment_asks() -> None:
    production = EVERY_RULE.with_overrides({Rule.NORWAY_SYNTHETIC_PATIENT_ID: Level.ERROR})
    report = validate_submission(valid_submission(), Transaction.REGISTER, production)
    assert {f.rule for f in report.findings} == {Rule.NORWAY_SYNTHETIC_PATIENT_ID}
    assert "is a synthetic test number" in report.findings[0].message
    h_number = f"12438512339^^^&{oids.H_NUMMER}&ISO"  # month + 40, not a synthetic series
    not_synthetic = in_every(
        valid_submission(),
        {RimKind.EXTRINSIC_OBJECT, RimKind.REGISTRY_PACKAGE},
        lambda o: replace(
            o,
            external_identifiers=tuple(
                replace(e, value=h_number) if e.value == PATIENT_ID else e
                for e in o.external_identifiers
            ),
        ),
    )
    report = validate_submission(not_synthetic, Transaction.REGISTER, production)
    assert Rule.NORWAY_SYNTHETIC_PATIENT_ID not in report.rules, report.findings
