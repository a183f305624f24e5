"""The peers' own samples: which pass, which fail and why; dcm4chee's and NIST's negative tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from schemas import vocabulary as v
from schemas.ebrim.rim import RimKind, RimObject, RimObjectList, read_object_list, rim
from schemas.errors import XdsErrorCode
from schemas.validation import (
    IHE_STRICT,
    LENIENT,
    NORWAY,
    Level,
    Rule,
    Transaction,
    ValidationProfile,
    validate_submission,
)
from schemas.xml import UnsafeXml, parse_xml
from tests.support.submissions import (
    dropping_classifications,
    dropping_external_identifier,
    dropping_slot,
    uuid_for,
    valid_submission,
    with_external_identifier,
    without_classifications,
    without_slot,
)

DCM = "samples/dcm4chee-xds2-registry-ws"
IPF = "samples/ipf"
RM = XdsErrorCode.REGISTRY_METADATA_ERROR


def read_sample(conformance: Path, name: str) -> RimObjectList:
    root = parse_xml((conformance / name).read_bytes())
    return read_object_list(root.find(f".//{rim('RegistryObjectList')}"))


# Valid in both IHE profiles: dcm4chee's own registry tests register these successfully.
VALID_EVERYWHERE = [
    (f"{DCM}/{name}.xml", Transaction.REGISTER)
    for name in (
        "CreateFolder",
        "CreateFolderWithDocument",
        "RegisterAssocBeforeDoc",
        "RegisterOneDocument",
        "RegisterOneDocumentConcurrent1",
        "RegisterOneDocumentConcurrent2",
        "RegisterTwoDocuments",
        "RegisterTwoDocumentsForDeletion",
        "ResubmitInitialDoc",
        "ResubmitWrongHash",  # its conflict with ResubmitInitialDoc is registry state
        "sq/rplc",
        "sq/single_doc",
        "sq/single_doc_for_rplc",
        "sq/two_doc_w_fol",
    )
] + [(f"{IPF}/SubmitObjectsRequest_ebrs30_update.xml", Transaction.UPDATE)]

# Valid when lenient; ihe-strict names what IHE forbids in them.
LENIENT_ONLY = [
    (
        f"{DCM}/sq/single_doc_w_fol.xml",
        Transaction.REGISTER,
        {Rule.OID_MALFORMED},  # SubmissionSet uniqueId 'SubmissionSet01_uniqueid'
    ),
    *(
        (
            f"{IPF}/{name}.xml",
            Transaction.PROVIDE_AND_REGISTER,
            # sourceId '3670984664' is no OID; authorPerson 'Gerald Smitty' is a name in the id
            # component; 'authorSpeciality' is the XDS.a spelling of authorSpecialty.
            {Rule.OID_MALFORMED, Rule.XCN_MALFORMED, Rule.AUTHOR_UNKNOWN_SLOT},
        )
        for name in (
            "SubmitObjectsRequest_ebrs30",
            "SubmitObjectsRequest_ebrs30_2",
            "SubmitObjectsRequest_ebrs3_extra_metadata",
        )
    ),
]

# Invalid in every profile, for reasons the sample itself shows.
INVALID_EVERYWHERE = [
    (
        f"{IPF}/SubmitObjectsRequest_ebrs30_update_sameLid.xml",
        Transaction.UPDATE,
        Rule.UPDATE_DUPLICATE_LID,
    ),
    (
        f"{IPF}/SubmitObjectsRequest_ebrs30_update_nonstandard_association.xml",
        Transaction.UPDATE,
        Rule.ASSOCIATION_TYPE_UNKNOWN,  # urn:elga-bes:AssociationType:NonVersioningUpdate
    ),
    # A template with placeholders (UUIDPREFIX, MYPATIENTID) for dcm4chee's test to fill in.
    (f"{DCM}/RegisterGenericDocument.xml", Transaction.REGISTER, Rule.ENTRY_UUID_MALFORMED),
    # Registry initialisation (ClassificationSchemes) and a code test fixture, not submissions.
    (f"{DCM}/initialize.xml", Transaction.REGISTER, Rule.UNSUPPORTED_OBJECT),
    (f"{DCM}/testCodeClassifications.xml", Transaction.REGISTER, Rule.SUBMISSION_SET_COUNT),
    # NHN's PnR template: its SubmissionSet lacks the SubmissionSet classification node and
    # its patient ids differ; peers accept it only because they do not check.
    (
        "nhn-xcads/TestData/SoapRequests/PnR_request.xml",
        Transaction.PROVIDE_AND_REGISTER,
        Rule.SUBMISSION_SET_COUNT,
    ),
]


@pytest.mark.parametrize(("name", "transaction"), VALID_EVERYWHERE)
@pytest.mark.parametrize("profile", [IHE_STRICT, LENIENT], ids=lambda p: p.name)
def test_valid_samples_pass(
    conformance: Path, name: str, transaction: Transaction, profile: ValidationProfile
) -> None:
    report = validate_submission(read_sample(conformance, name), transaction, profile)
    assert report.findings == (), [f.message for f in report.findings]


@pytest.mark.parametrize(("name", "transaction", "strict_rules"), LENIENT_ONLY)
def test_samples_ihe_strict_refuses(
    conformance: Path, name: str, transaction: Transaction, strict_rules: set[Rule]
) -> None:
    objects = read_sample(conformance, name)
    strict = validate_submission(objects, transaction, IHE_STRICT)
    assert {f.rule for f in strict.errors} == strict_rules
    lenient = validate_submission(objects, transaction, LENIENT)
    assert lenient.is_valid
    assert {f.rule for f in lenient.warnings} == strict_rules


@pytest.mark.parametrize(("name", "transaction", "rule"), INVALID_EVERYWHERE)
def test_invalid_samples_fail(
    conformance: Path, name: str, transaction: Transaction, rule: Rule
) -> None:
    objects = read_sample(conformance, name)
    for profile in (IHE_STRICT, NORWAY, LENIENT):
        report = validate_submission(objects, transaction, profile)
        assert rule in {f.rule for f in report.errors}, (profile.name, report.findings)


def test_a_sample_with_an_invalid_namespace_uri_is_not_parsed(conformance: Path) -> None:
    with pytest.raises(UnsafeXml, match="xml_malformed"):
        read_sample(conformance, f"{DCM}/SubmitObjectsRequest_AssociationTypeScheme.xml")


def test_extra_metadata_with_a_urn_name_is_kept(conformance: Path) -> None:
    objects = read_sample(conformance, f"{IPF}/SubmitObjectsRequest_ebrs3_extra_metadata.xml")
    entry = next(o for o in objects.objects if o.kind is RimKind.EXTRINSIC_OBJECT)
    assert entry.slot("urn:my:company:slot") is not None
    report = validate_submission(objects, Transaction.PROVIDE_AND_REGISTER, LENIENT)
    assert Rule.EXTRA_METADATA_NAME not in report.rules


def test_peer_samples_pass_the_norwegian_profile_with_warnings(conformance: Path) -> None:
    """IHE test data (fed patient ids, non-Volven codes) registers under the default profile,
    with a warning per code the profile cannot check; a national-only deployment refuses it."""
    objects = read_sample(conformance, f"{DCM}/CreateFolderWithDocument.xml")
    report = validate_submission(objects, Transaction.REGISTER, NORWAY)
    assert report.is_valid, report.errors
    assert {f.rule for f in report.warnings} == {Rule.NORWAY_FOREIGN_CODE_SYSTEM}
    national_only = NORWAY.with_overrides(
        {
            Rule.NORWAY_PATIENT_ID_AUTHORITY: Level.ERROR,
            Rule.NORWAY_FOREIGN_CODE_SYSTEM: Level.ERROR,
        }
    )
    report = validate_submission(objects, Transaction.REGISTER, national_only)
    assert {f.rule for f in report.errors} == {
        Rule.NORWAY_PATIENT_ID_AUTHORITY,
        Rule.NORWAY_FOREIGN_CODE_SYSTEM,
    }


# ------------------------------------------------------------------- dcm4chee CheckErrorsTest

Mutation = Callable[[RimObject], RimObject]


def _mutate(objects: RimObjectList, kind: str, change: Mutation) -> RimObjectList:
    """Apply `change` to the DocumentEntry, Folder or SubmissionSet of CreateFolderWithDocument."""
    node = {"Folder": v.FOLDER_CLASSIFICATION_NODE, "SubmissionSet": v.SS_CLASSIFICATION_NODE}

    def matches(o: RimObject) -> bool:
        if kind == "DocumentEntry":
            return o.kind is RimKind.EXTRINSIC_OBJECT
        return objects.is_classified_as(o, node[kind])

    return replace(objects, objects=tuple(change(o) if matches(o) else o for o in objects.objects))


OTHER_PATIENT = "test1234_2^^^&1.2.3.45.4.3.2.1&ISO"
PATIENT_SCHEMES = {
    "DocumentEntry": v.DE_PATIENT_ID,
    "Folder": v.FOLDER_PATIENT_ID,
    "SubmissionSet": v.SS_PATIENT_ID,
}
UNIQUE_ID_SCHEMES = {
    "DocumentEntry": v.DE_UNIQUE_ID,
    "Folder": v.FOLDER_UNIQUE_ID,
    "SubmissionSet": v.SS_UNIQUE_ID,
}
PATIENT_ID_DOES_NOT_MATCH = XdsErrorCode.PATIENT_ID_DOES_NOT_MATCH


def _other_patient(scheme: str) -> Mutation:
    return lambda o: with_external_identifier(o, scheme, OTHER_PATIENT)


CHECK_ERRORS: list[tuple[str, str, Mutation, str]] = [
    *(
        (f"{kind} patient id differs", kind, _other_patient(scheme), PATIENT_ID_DOES_NOT_MATCH)
        for kind, scheme in PATIENT_SCHEMES.items()
    ),
    *(
        (f"{kind} without entryUUID", kind, lambda o: replace(o, id=""), RM)
        for kind in PATIENT_SCHEMES
    ),
    ("empty mimeType", "DocumentEntry", lambda o: replace(o, mime_type=""), RM),
    *(
        (f"no {name}", kind, dropping_slot(name), RM)
        for kind, name in [
            ("DocumentEntry", v.SLOT_CREATION_TIME),
            ("DocumentEntry", v.SLOT_REPOSITORY_UNIQUE_ID),
            ("DocumentEntry", v.SLOT_SOURCE_PATIENT_ID),
            ("DocumentEntry", v.SLOT_LANGUAGE_CODE),
            ("DocumentEntry", v.SLOT_HASH),
            ("DocumentEntry", v.SLOT_SIZE),
            ("SubmissionSet", v.SLOT_SUBMISSION_TIME),
        ]
    ),
    *(
        (f"no {scheme}", kind, dropping_classifications(scheme), RM)
        for kind, scheme in [
            ("DocumentEntry", v.DE_CLASS_CODE),
            ("DocumentEntry", v.DE_CONFIDENTIALITY_CODE),
            ("DocumentEntry", v.DE_FORMAT_CODE),
            ("DocumentEntry", v.DE_HEALTHCARE_FACILITY_TYPE_CODE),
            ("DocumentEntry", v.DE_PRACTICE_SETTING_CODE),
            ("DocumentEntry", v.DE_TYPE_CODE),
            ("Folder", v.FOLDER_CODE_LIST),
            ("SubmissionSet", v.SS_CONTENT_TYPE_CODE),
        ]
    ),
    *(
        (f"{kind} without {attribute}", kind, dropping_external_identifier(schemes[kind]), RM)
        for kind in PATIENT_SCHEMES
        for attribute, schemes in (("patientId", PATIENT_SCHEMES), ("uniqueId", UNIQUE_ID_SCHEMES))
    ),
]


@pytest.mark.parametrize(
    ("kind", "change", "code"), [c[1:] for c in CHECK_ERRORS], ids=[c[0] for c in CHECK_ERRORS]
)
def test_dcm4chee_check_errors(conformance: Path, kind: str, change: Mutation, code: str) -> None:
    """dcm4chee's CheckErrorsTest: the first RegistryError of the mutated sample has this code."""
    objects = _mutate(read_sample(conformance, f"{DCM}/CreateFolderWithDocument.xml"), kind, change)
    report = validate_submission(objects, Transaction.REGISTER, IHE_STRICT)
    errors = report.registry_errors()
    assert errors, kind
    assert errors[0].code == code, [(e.code, e.context) for e in errors]


# ------------------------------------------------------------------- NIST 11998a

NIST_11998A = {
    "classCode": lambda o: without_classifications(o, v.DE_CLASS_CODE),
    "confidentialityCode": lambda o: without_classifications(o, v.DE_CONFIDENTIALITY_CODE),
    "creationTime": lambda o: without_slot(o, v.SLOT_CREATION_TIME),
    "formatCode": lambda o: without_classifications(o, v.DE_FORMAT_CODE),
    "healthcareFacilityTypeCode": lambda o: without_classifications(
        o, v.DE_HEALTHCARE_FACILITY_TYPE_CODE
    ),
    "languageCode": lambda o: without_slot(o, v.SLOT_LANGUAGE_CODE),
    "practiceSettingCode": lambda o: without_classifications(o, v.DE_PRACTICE_SETTING_CODE),
    "sourcePatientId": lambda o: without_slot(o, v.SLOT_SOURCE_PATIENT_ID),
    "typeCode": lambda o: without_classifications(o, v.DE_TYPE_CODE),
}


def test_nist_11998a_sections_match_the_removals(conformance: Path) -> None:
    sections = (conformance / "nist-testkit" / "11998a" / "index.idx").read_text().split()
    assert sorted(sections) == sorted(NIST_11998A)


@pytest.mark.parametrize("attribute", sorted(NIST_11998A))
@pytest.mark.parametrize("profile", [IHE_STRICT, NORWAY, LENIENT], ids=lambda p: p.name)
def test_nist_11998a_each_removal_fails(attribute: str, profile: ValidationProfile) -> None:
    objects = valid_submission()
    entry = uuid_for("document-1")
    changed = replace(
        objects,
        objects=tuple(NIST_11998A[attribute](o) if o.id == entry else o for o in objects.objects),
    )
    report = validate_submission(changed, Transaction.REGISTER, profile)
    assert not report.is_valid
    assert {e.code for e in report.errors} == {RM}
    assert any(attribute in e.message for e in report.errors)


def test_12084_a_missing_repository_unique_id_fails_only_registration() -> None:
    changed = replace(
        valid_submission(2),
        objects=tuple(
            without_slot(o, v.SLOT_REPOSITORY_UNIQUE_ID) if o.id == uuid_for("document-2") else o
            for o in valid_submission(2).objects
        ),
    )
    assert not validate_submission(changed, Transaction.REGISTER, LENIENT).is_valid
    # the repository adds repositoryUniqueId, hash and size before it registers (ITI-42)
    assert validate_submission(changed, Transaction.PROVIDE_AND_REGISTER, LENIENT).is_valid
