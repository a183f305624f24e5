"""Negative tests for the rules about the message, every object, value formats, DocumentEntries."""

from __future__ import annotations

from dataclasses import replace

import pytest

from schemas import vocabulary as v
from schemas.ebrim.rim import RimKind, RimObject
from schemas.model.common import international
from schemas.norway import oids
from schemas.validation import Rule, Transaction
from tests.schemas.validation.rule_cases import (
    DOC2,
    MEMBER,
    REGISTERED_DOC,
    SS,
    Case,
    assert_reported,
    author_slot,
    case_id,
    on_authors,
    on_document,
    on_folder,
    on_member,
    on_set,
    plus,
)
from tests.support.submissions import (
    OTHER_PATIENT_ID,
    PATIENT_ID,
    PATIENT_NIN,
    change_classifications,
    code,
    dropping_classifications,
    object_with_id,
    replace_object,
    slot,
    submission_set,
    uuid_for,
    valid_submission,
    with_classifications,
    with_external_identifier,
    with_slot,
    without_external_identifier,
    without_objects,
    without_slot,
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
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_the_rule_is_reported(case: Case) -> None:
    assert_reported(case)
