"""One negative test per rule: break a valid submission in one place and find that rule reported."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import pytest

from schemas import vocabulary as v
from schemas.ebrim.rim import RimClassification, RimKind, RimObject, RimObjectList
from schemas.errors import Severity
from schemas.model.common import international
from schemas.norway import oids
from schemas.validation import IHE_STRICT, Level, Rule, Transaction, validate_submission
from tests.support.submissions import (
    OTHER_PATIENT_ID,
    PATIENT_ID,
    PATIENT_NIN,
    association,
    change_classifications,
    code,
    dropping_classifications,
    has_member,
    in_every,
    object_with_id,
    replace_object,
    slot,
    submission_set,
    update_submission,
    uuid_for,
    valid_submission,
    with_classifications,
    with_external_identifier,
    with_objects,
    with_slot,
    without_classifications,
    without_external_identifier,
    without_objects,
    without_slot,
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

CASES = [
    # ------------------------------------------------------------------ the message
    Case(Rule.SUBMISSION_SET_COUNT, plus(submission_set(uuid_for("ss-2"))), "holds 2"),
    Case(Rule.SUBMISSION_SET_COUNT, without_objects(valid_submission(), SS), "holds 0"),
    Case(
        Rule.UNSUPPORTED_OBJECT,
        replace(valid_submission(), unsupported=("ExternalLink",)),
        "rim:ExternalLink is not an XDS object",
    ),
    Case(
        Rule.UNSUPPORTED_OBJECT,
        plus(RimObject(kind=RimKind.REGISTRY_PACKAGE, id=uuid_for("package"))),
        "classified as exactly one of SubmissionSet and Folder",
    ),
    Case(
        Rule.DUPLICATE_ENTRY_UUID,
        plus(replace(object_with_id(valid_submission(), MEMBER), slots=())),
        f"entryUUID {MEMBER} is the id of 2 objects",
    ),
    Case(
        Rule.DUPLICATE_UNIQUE_ID,
        replace_object(
            valid_submission(2),
            DOC2,
            lambda o: with_external_identifier(o, v.DE_UNIQUE_ID, "2.999.47.101"),
        ),
        "uniqueId 2.999.47.101 belongs to more than one object",
    ),
    Case(
        Rule.PATIENT_ID_MISMATCH,
        on_document(lambda o: with_external_identifier(o, v.DE_PATIENT_ID, OTHER_PATIENT_ID)),
        "but the SubmissionSet is about",
    ),
    Case(
        Rule.PATIENT_ID_MISMATCH,
        on_folder(lambda o: with_external_identifier(o, v.FOLDER_PATIENT_ID, OTHER_PATIENT_ID)),
        "Folder",
    ),
    # ------------------------------------------------------------------ every object
    Case(Rule.ENTRY_UUID_MISSING, on_document(lambda o: replace(o, id="")), "has no id"),
    Case(
        Rule.ENTRY_UUID_MALFORMED,
        on_document(lambda o: replace(o, id="urn:uuid:aabbccdd-bdda-UUIDPREFIX-df4873be8501")),
        "starts with urn:uuid: but is not a UUID",
    ),
    Case(
        Rule.ENTRY_UUID_MALFORMED,
        on_document(lambda o: replace(o, id="Document01")),
        "is not a urn:uuid",
        Transaction.QUERY_RESPONSE,
    ),
    Case(
        Rule.LID_MISMATCH,
        on_document(lambda o: replace(o, lid=REGISTERED_DOC)),
        "only a metadata update (ITI-57) versions an object",
    ),
    Case(
        Rule.AVAILABILITY_STATUS,
        on_folder(lambda o: replace(o, status=v.STATUS_DEPRECATED)),
        "a Folder is Approved or Submitted",
    ),
    Case(
        Rule.REFERENCE_MISMATCH,
        on_document(
            lambda o: change_classifications(
                o, v.DE_CLASS_CODE, lambda c: replace(c, classified_object=DOC2)
            )
        ),
        f"names {DOC2!r} as its object",
    ),
    Case(
        Rule.SLOT_DUPLICATE,
        on_document(lambda o: replace(o, slots=(*o.slots, slot(v.SLOT_CREATION_TIME, "2025")))),
        "has the slot creationTime 2 times",
    ),
    Case(
        Rule.SLOT_TOO_MANY_VALUES,
        on_document(lambda o: with_slot(o, v.SLOT_LEGAL_AUTHENTICATOR, "^A^B", "^C^D")),
        "slot legalAuthenticator holds 2 values",
    ),
    Case(
        Rule.SLOT_TOO_MANY_VALUES,
        on_authors(author_slot(v.SLOT_AUTHOR_PERSON, "^A^B", "^C^D")),
        "slot authorPerson holds 2 values",
    ),
    Case(
        Rule.EXTRA_METADATA_NAME,
        on_document(lambda o: with_slot(o, "myCompanySlot", "x")),
        "slot 'myCompanySlot'",
    ),
    Case(
        Rule.EXTRA_METADATA_NAME,
        on_member(lambda o: with_slot(o, "comment", "x")),
        "Association",
    ),
    Case(
        Rule.EXTERNAL_IDENTIFIER_DUPLICATE,
        on_document(
            lambda o: replace(
                o, external_identifiers=(*o.external_identifiers, o.external_identifiers[0])
            )
        ),
        "2 patientId ExternalIdentifiers",
    ),
    # ------------------------------------------------------------------ formats
    Case(
        Rule.TIME_MALFORMED,
        on_document(lambda o: with_slot(o, v.SLOT_CREATION_TIME, "2025-02-06")),
        "creationTime '2025-02-06' is not an HL7 DTM timestamp",
    ),
    Case(
        Rule.TIME_MALFORMED,
        on_folder(lambda o: with_slot(o, v.SLOT_LAST_UPDATE_TIME, "20250231")),
        "lastUpdateTime '20250231'",
    ),
    Case(
        Rule.OID_MALFORMED,
        on_set(lambda o: with_external_identifier(o, v.SS_SOURCE_ID, "3670984664")),
        "sourceId '3670984664' is not an OID",
    ),
    Case(
        Rule.OID_MALFORMED,
        on_document(lambda o: with_slot(o, v.SLOT_REPOSITORY_UNIQUE_ID, "repository-1")),
        "repositoryUniqueId 'repository-1'",
    ),
    Case(
        Rule.OID_MALFORMED,
        on_document(lambda o: with_external_identifier(o, v.DE_UNIQUE_ID, "DOCUMENTENTRYUID")),
        "is not an OID or OID^extension",
    ),
    Case(
        Rule.CX_MALFORMED,
        on_document(lambda o: with_external_identifier(o, v.DE_PATIENT_ID, PATIENT_NIN)),
        "it has no assigning authority OID",
    ),
    Case(
        Rule.CX_MALFORMED,
        on_document(lambda o: with_slot(o, v.SLOT_SOURCE_PATIENT_ID, "^^^&1.2.3&ISO")),
        "sourcePatientId '^^^&1.2.3&ISO'",
    ),
    Case(
        Rule.CX_EXTRA_COMPONENTS,
        on_set(lambda o: with_external_identifier(o, v.SS_PATIENT_ID, PATIENT_ID + "^NNNOR")),
        "identifier type code",
    ),
    Case(
        Rule.XCN_MALFORMED,
        on_authors(author_slot(v.SLOT_AUTHOR_PERSON, "Gerald Smitty")),
        "but it has no assigning authority OID",
    ),
    Case(
        Rule.XCN_MALFORMED,
        on_document(lambda o: with_slot(o, v.SLOT_LEGAL_AUTHENTICATOR, "^^^")),
        "neither an id nor a name",
    ),
    Case(
        Rule.XON_MALFORMED,
        on_authors(author_slot(v.SLOT_AUTHOR_INSTITUTION, "^^^^^^^^^993467049")),
        "it has no organisation name",
    ),
    Case(
        Rule.XTN_MALFORMED,
        on_authors(author_slot(v.SLOT_AUTHOR_TELECOMMUNICATION, "^^Internet^lege.example.org")),
        "needs an e-mail address",
    ),
    Case(
        Rule.CODE_MALFORMED,
        on_document(
            lambda o: change_classifications(o, v.DE_CLASS_CODE, lambda c: replace(c, slots=()))
        ),
        "needs one codingScheme slot value",
    ),
    Case(
        Rule.CODE_MALFORMED,
        on_document(
            lambda o: change_classifications(
                o, v.DE_TYPE_CODE, lambda c: replace(c, node_representation=None)
            )
        ),
        "has no nodeRepresentation",
    ),
    Case(
        Rule.CODE_DISPLAY_NAME_MISSING,
        on_document(
            lambda o: change_classifications(o, v.DE_FORMAT_CODE, lambda c: replace(c, name=()))
        ),
        "formatCode code 'urn:ihe:iti:xds:2017:mimeTypeSufficient' has no display name",
    ),
    Case(
        Rule.CODE_TOO_MANY,
        on_document(
            lambda o: with_classifications(
                o, code(o.id, v.DE_CLASS_CODE, "C00-1", oids.DOKUMENTTYPE, "Prøvesvar")
            )
        ),
        "has 2 classCode codes",
    ),
    # ------------------------------------------------------------------ DocumentEntry
    Case(
        Rule.DE_OBJECT_TYPE,
        on_document(lambda o: replace(o, object_type=uuid_for("not-an-object-type"))),
        "neither stable",
    ),
    Case(Rule.DE_MIME_TYPE_MISSING, on_document(lambda o: replace(o, mime_type="")), "mimeType"),
    Case(
        Rule.DE_MIME_TYPE_MALFORMED,
        on_document(lambda o: replace(o, mime_type="pdf")),
        "mimeType 'pdf' is not a type/subtype",
    ),
    Case(
        Rule.DE_CREATION_TIME_MISSING,
        on_document(lambda o: without_slot(o, v.SLOT_CREATION_TIME)),
        "no creationTime",
    ),
    Case(
        Rule.DE_LANGUAGE_CODE_MISSING,
        on_document(lambda o: without_slot(o, v.SLOT_LANGUAGE_CODE)),
        "no languageCode",
    ),
    Case(
        Rule.DE_LANGUAGE_CODE_MALFORMED,
        on_document(lambda o: with_slot(o, v.SLOT_LANGUAGE_CODE, "norsk bokmål")),
        "'norsk bokmål' is not a language tag",
    ),
    Case(
        Rule.DE_SOURCE_PATIENT_ID_MISSING,
        on_document(lambda o: without_slot(o, v.SLOT_SOURCE_PATIENT_ID)),
        "no sourcePatientId",
    ),
    Case(
        Rule.DE_SOURCE_PATIENT_INFO_MALFORMED,
        on_document(lambda o: with_slot(o, v.SLOT_SOURCE_PATIENT_INFO, "PID-19|123456789")),
        "is PID-19",
    ),
    Case(
        Rule.DE_SOURCE_PATIENT_INFO_MALFORMED,
        on_document(lambda o: with_slot(o, v.SLOT_SOURCE_PATIENT_INFO, "PID-7|1985-03-12")),
        "PID-7",
    ),
    Case(
        Rule.DE_REPOSITORY_UNIQUE_ID_MISSING,
        on_document(lambda o: without_slot(o, v.SLOT_REPOSITORY_UNIQUE_ID)),
        "no repositoryUniqueId",
    ),
    Case(Rule.DE_HASH_MISSING, on_document(lambda o: without_slot(o, v.SLOT_HASH)), "no hash"),
    Case(Rule.DE_SIZE_MISSING, on_document(lambda o: without_slot(o, v.SLOT_SIZE)), "no size"),
    Case(
        Rule.DE_HASH_MALFORMED,
        on_document(lambda o: with_slot(o, v.SLOT_HASH, "e543712c0e10501972de13a5bfcbe826c49feb7")),
        "is not a SHA-1 digest",
    ),
    Case(
        Rule.DE_SIZE_MALFORMED,
        on_document(lambda o: with_slot(o, v.SLOT_SIZE, "-4")),
        "size '-4' is not a positive integer",
    ),
    Case(
        Rule.DE_ON_DEMAND_FIXED_CONTENT,
        on_document(lambda o: replace(o, object_type=v.OBJECT_TYPE_ON_DEMAND_DOCUMENT)),
        "on-demand DocumentEntry, whose content is not fixed, but has a hash slot",
    ),
    Case(
        Rule.DE_SERVICE_TIME_ORDER,
        on_document(lambda o: with_slot(o, v.SLOT_SERVICE_STOP_TIME, "2025010715")),
        "serviceStartTime 20250107151403 is after serviceStopTime 2025010715",
    ),
    Case(
        Rule.DE_TITLE_TOO_LONG,
        on_document(lambda o: replace(o, name=international("E" * 129))),
        "the title is 129 characters long",
    ),
    Case(
        Rule.DE_UNIQUE_ID_TOO_LONG,
        on_document(lambda o: with_external_identifier(o, v.DE_UNIQUE_ID, "2.999^" + "x" * 124)),
        "uniqueId is 130 characters long",
    ),
    Case(
        Rule.DE_DOCUMENT_AVAILABILITY,
        on_document(lambda o: with_slot(o, v.SLOT_DOCUMENT_AVAILABILITY, "Online")),
        "documentAvailability 'Online' is not urn:ihe:iti:2010:DocumentAvailability:Online or",
    ),
    Case(
        Rule.DE_REFERENCE_ID_MALFORMED,
        on_document(lambda o: with_slot(o, v.SLOT_REFERENCE_ID_LIST, "ref-1^^^&1.2.3&ISO")),
        "no identifier type code",
    ),
    *(
        Case(rule, on_document(dropping_classifications(scheme)), f"no {name}")
        for rule, scheme, name in [
            (Rule.DE_CLASS_CODE_MISSING, v.DE_CLASS_CODE, "classCode"),
            (Rule.DE_TYPE_CODE_MISSING, v.DE_TYPE_CODE, "typeCode"),
            (Rule.DE_FORMAT_CODE_MISSING, v.DE_FORMAT_CODE, "formatCode"),
            (
                Rule.DE_HEALTHCARE_FACILITY_TYPE_CODE_MISSING,
                v.DE_HEALTHCARE_FACILITY_TYPE_CODE,
                "healthcareFacilityTypeCode",
            ),
            (
                Rule.DE_PRACTICE_SETTING_CODE_MISSING,
                v.DE_PRACTICE_SETTING_CODE,
                "practiceSettingCode",
            ),
            (
                Rule.DE_CONFIDENTIALITY_CODE_MISSING,
                v.DE_CONFIDENTIALITY_CODE,
                "confidentialityCode",
            ),
        ]
    ),
    Case(
        Rule.DE_PATIENT_ID_MISSING,
        on_document(lambda o: without_external_identifier(o, v.DE_PATIENT_ID)),
        "no patientId",
    ),
    Case(
        Rule.DE_UNIQUE_ID_MISSING,
        on_document(lambda o: without_external_identifier(o, v.DE_UNIQUE_ID)),
        "no uniqueId",
    ),
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
        Rule.NORWAY_CLASS_CODE,
        on_document(set_code(v.DE_CLASS_CODE, "A00-1", "Connect-a-thon classCodes")),
        "codingScheme 'Connect-a-thon classCodes'",
    ),
    Case(
        Rule.NORWAY_TYPE_CODE,
        on_document(set_code(v.DE_TYPE_CODE, "34108-1", "2.16.840.1.113883.6.1")),
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


def _case_id(case: Case) -> str:
    return f"{case.rule.id}:{case.says[:30]}"


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_the_rule_is_reported(case: Case) -> None:
    report = validate_submission(case.objects, case.transaction, EVERY_RULE)
    found = [f for f in report.findings if f.rule is case.rule]
    assert found, [f.message for f in report.findings]
    assert any(case.says in f.message for f in found), [f.message for f in found]
    assert all(f.code == case.rule.code and f.severity is Severity.ERROR for f in found)
    assert not report.is_valid


def test_every_rule_has_a_negative_test() -> None:
    tested = {case.rule for case in CASES} | {Rule.NORWAY_SYNTHETIC_PATIENT_ID}
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
