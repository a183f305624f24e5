"""Every AdhocQueryRequest of the NIST testkit parses into its typed query, or fails as its testplan
expects. Placeholders are filled with plausible values first, as the toolkit would."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from schemas import vocabulary as v
from schemas.ebrim.query import parse_adhoc_query_request
from schemas.errors import XdsErrorCode, XdsFailure
from schemas.model import (
    AdhocQueryRequest,
    AssociationType,
    AvailabilityStatus,
    Code,
    Cx,
    DocumentEntryType,
)
from schemas.model.hl7v2 import Timestamp
from schemas.queries import (
    FindDocumentsByReferenceIdQuery,
    FindDocumentsForMultiplePatientsQuery,
    FindDocumentsQuery,
    FindFoldersForMultiplePatientsQuery,
    FindFoldersQuery,
    FindSubmissionSetsQuery,
    GetAllQuery,
    GetAssociationsQuery,
    GetDocumentsAndAssociationsQuery,
    GetDocumentsQuery,
    GetFolderAndContentsQuery,
    GetFoldersForDocumentQuery,
    GetFoldersQuery,
    GetRelatedDocumentsQuery,
    GetSubmissionSetAndContentsQuery,
    GetSubmissionSetsQuery,
    IdentifierKind,
    ObjectSelector,
    StoredQuery,
    TimeRange,
    parse_stored_query,
)
from schemas.xml import parse_xml, to_bytes
from tests.conformance.nist.corpus import nist_testkit, step_uses, xml_files_with_root
from tests.conformance.nist.prepare import clean_params, placeholders_in, substitute_placeholders
from tests.support.paths import conformance_dir

TESTKIT = nist_testkit(conformance_dir())
QUERY_FILES = xml_files_with_root(TESTKIT, "AdhocQueryRequest")

PATIENT = Cx.of("15838512329", "2.16.578.1.12.4.1.4.1")
UUIDS = {
    name: f"urn:uuid:6f1c7a52-3b0e-4d8a-9c21-5e4b7d0a1f{index:02d}"
    for index, name in enumerate(("$uuid$", "$uuid1$", "$uuid2$", "$ss_uuid$", "$id0$", "$lid$"))
}
UNIQUE_IDS = {
    name: f"2.25.2961057432188461{index:02d}"
    for index, name in enumerate(
        ("$uid$", "$uid1$", "$uid2$", "$uniqueid$", "$ssuid$", "$docuid$", "$doc_uid$", "$foluid$")
    )
}
PLAUSIBLE = {
    "$patient_id$": PATIENT.render(),
    **UUIDS,
    **UNIQUE_IDS,
    "$returnType$": v.RETURN_TYPE_LEAF_CLASS,
    "$rt0$": v.RETURN_TYPE_OBJECT_REF,
    "$dst0$": v.STATUS_APPROVED,
    "$sst0$": v.STATUS_APPROVED,
    "$fst0$": v.STATUS_APPROVED,
    "$cc0$": "N^^2.16.840.1.113883.5.25",
    "$fc0$": "urn:ihe:iti:xds:2017:mimeTypeSufficient^^1.3.6.1.4.1.19376.1.2.3",
    "$ot0$": v.OBJECT_TYPE_ON_DEMAND_DOCUMENT,
    "$object_types$": f"('{v.OBJECT_TYPE_STABLE_DOCUMENT}', '{v.OBJECT_TYPE_ON_DEMAND_DOCUMENT}')",
    "$assoc1$": v.ASSOC_HAS_MEMBER,
    "$metadatalevel$": "2",
    "$lastyear$": "2025",
    "$now$": "20260101",
    "$home$": "urn:oid:2.16.578.1.12.4.5.100.1",
}
"""Values for the placeholders of the test queries."""

TEMPLATE_VALUES = {
    name: value
    for name, value in PLAUSIBLE.items()
    if not name.startswith(("$uid", "$uuid1", "$uuid2", "$lid", "$uniqueid", "$ssuid"))
}
"""The _utilities templates (run with <CleanParams/>) name objects in alternative ways ($id0$…,
$uid0$…, $lid0$…); only their entryUUID slots are filled, the toolkit drops the rest."""

QUERY_CLASSES: dict[str, type[StoredQuery]] = {
    v.QUERY_FIND_DOCUMENTS: FindDocumentsQuery,
    v.QUERY_FIND_DOCUMENTS_BY_REFERENCE_ID: FindDocumentsByReferenceIdQuery,
    v.QUERY_FIND_DOCUMENTS_FOR_MULTIPLE_PATIENTS: FindDocumentsForMultiplePatientsQuery,
    v.QUERY_FIND_SUBMISSION_SETS: FindSubmissionSetsQuery,
    v.QUERY_FIND_FOLDERS: FindFoldersQuery,
    v.QUERY_FIND_FOLDERS_FOR_MULTIPLE_PATIENTS: FindFoldersForMultiplePatientsQuery,
    v.QUERY_GET_ALL: GetAllQuery,
    v.QUERY_GET_DOCUMENTS: GetDocumentsQuery,
    v.QUERY_GET_FOLDERS: GetFoldersQuery,
    v.QUERY_GET_ASSOCIATIONS: GetAssociationsQuery,
    v.QUERY_GET_DOCUMENTS_AND_ASSOCIATIONS: GetDocumentsAndAssociationsQuery,
    v.QUERY_GET_SUBMISSION_SETS: GetSubmissionSetsQuery,
    v.QUERY_GET_SUBMISSION_SET_AND_CONTENTS: GetSubmissionSetAndContentsQuery,
    v.QUERY_GET_FOLDER_AND_CONTENTS: GetFolderAndContentsQuery,
    v.QUERY_GET_FOLDERS_FOR_DOCUMENT: GetFoldersForDocumentQuery,
    v.QUERY_GET_RELATED_DOCUMENTS: GetRelatedDocumentsQuery,
}

EXPECTED_FAILURES = {
    # The second code has an empty scheme: NIST CodeLet refuses anything but code^^scheme.
    "11897/classcode_scheme_mismatch/query.xml": (
        XdsErrorCode.REGISTRY_ERROR,
        v.PARAM_DE_CLASS_CODE,
    ),
    # 'Dialysis' is not code^^scheme; the obsolete …CodeScheme parameter itself is ignored (its
    # testplan: "not on existence of …CodeScheme but on lack of CE format").
    "11897/old_scheme/query.xml": (XdsErrorCode.REGISTRY_ERROR, v.PARAM_DE_PRACTICE_SETTING_CODE),
}
NEVER_RUN = {
    # Not in 11897/index.idx. Its testplan still expects Failure for a ClassCodeScheme parameter
    # its query.xml no longer holds; the query is a valid FindDocuments and must parse.
    "11897/no_matching_classcode/query.xml",
}


def read_adhoc_query_request(data: bytes) -> AdhocQueryRequest:
    return parse_adhoc_query_request(parse_xml(data))


def relative(path: Path) -> str:
    return str(path.relative_to(TESTKIT))


def uses_by_file() -> dict[str, list[tuple[bool, bool]]]:
    """For each query file: (expects failure, cleans params) of every listed step using it."""
    uses: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    for use in step_uses(TESTKIT):
        transaction = use.step.transaction
        assert transaction is not None
        assert transaction.metadata_file is not None
        key = relative(transaction.metadata_file)
        if use.listed:
            uses[key].append((use.step.expects_failure, transaction.clean_params))
        else:
            uses.setdefault(key, [])
    return uses


USES = uses_by_file()


def prepared(path: Path) -> bytes:
    root = parse_xml(path.read_bytes())
    if any(clean for _, clean in USES.get(relative(path), ())):
        root = clean_params(substitute_placeholders(root, TEMPLATE_VALUES))
    else:
        root = substitute_placeholders(root, PLAUSIBLE)
    assert placeholders_in(root) == set()
    return to_bytes(root)


def test_the_corpus_holds_163_queries_and_the_testplans_agree_on_them() -> None:
    assert len(QUERY_FILES) == 163
    names = {relative(path) for path in QUERY_FILES}
    failing = {name for name in names if any(failure for failure, _ in USES.get(name, ()))}
    assert failing == set(EXPECTED_FAILURES)
    assert set(USES) >= NEVER_RUN
    assert all(USES[name] == [] for name in NEVER_RUN)


@pytest.mark.parametrize("path", QUERY_FILES, ids=relative)
def test_every_nist_query_parses_or_fails_as_its_testplan_expects(path: Path) -> None:
    request = read_adhoc_query_request(prepared(path))
    expected_failure = EXPECTED_FAILURES.get(relative(path))
    if expected_failure is None:
        assert isinstance(parse_stored_query(request), QUERY_CLASSES[request.query_id])
        return
    with pytest.raises(XdsFailure) as failure:
        parse_stored_query(request)
    assert [(e.code, e.location) for e in failure.value.errors] == [expected_failure]


def parse(name: str) -> StoredQuery:
    return parse_stored_query(read_adhoc_query_request(prepared(TESTKIT / name)))


def codes(*values: str) -> tuple[Code, ...]:
    return tuple(Code(value.split("^^")[0], value.split("^^")[1]) for value in values)


def test_spot_check_find_documents_filters() -> None:
    multi = parse("11897/eventcode_multi_select/query.xml")
    assert isinstance(multi, FindDocumentsQuery)
    assert multi.patient_id == PATIENT
    assert multi.documents.event_codes == (
        codes("urn:connectathon:bppc:foundational:policy^^1.3.6.1.4.1.21367.2017.3"),
        codes("urn:connectathon:policy:full-access^^1.3.6.1.4.1.21367.2017.3"),
    )
    confidentiality = parse("11897/confcode/query.xml")
    assert isinstance(confidentiality, FindDocumentsQuery)
    assert confidentiality.documents.confidentiality_codes == (
        codes("V^^2.16.840.1.113883.5.25", "R^^2.16.840.1.113883.5.25"),
    )
    edge = parse("11897/creationtime_left_edge/query.xml")
    assert isinstance(edge, FindDocumentsQuery)
    assert edge.documents.creation_time == TimeRange(Timestamp("20041224"), Timestamp("20050101"))
    assert edge.documents.creation_time.contains(Timestamp("20041224"))
    right = parse("11897/creationtime_right_edge/query.xml")
    assert isinstance(right, FindDocumentsQuery)
    assert not right.documents.creation_time.contains(Timestamp("20041224"))
    author = parse("11897/author/query.xml")
    assert isinstance(author, FindDocumentsQuery)
    assert author.documents.author_persons == ("%Ford%",)
    statuses = parse("11897/leafclass/query.xml")
    assert isinstance(statuses, FindDocumentsQuery)
    assert statuses.documents.statuses == (
        AvailabilityStatus.APPROVED,
        AvailabilityStatus.DEPRECATED,
    )
    practice = parse("11897/practicesetting_scheme/query.xml")
    assert practice.options.ignored == (
        "$XDSDocumentEntryPracticeSettingCodeScheme: not a parameter of FindDocuments; ignored",
    )


def test_spot_check_get_queries() -> None:
    spread = parse("11901/uuid_multiple_slot_values/query5.xml")
    assert spread == GetDocumentsQuery(
        documents=ObjectSelector(IdentifierKind.ENTRY_UUID, (UUIDS["$uuid1$"], UUIDS["$uuid2$"]))
    )
    template = parse("_utilities/GetDocuments/XDS/query.xml")
    assert isinstance(template, GetDocumentsQuery)
    assert template.documents == ObjectSelector(IdentifierKind.ENTRY_UUID, (UUIDS["$id0$"],))
    assert template.options.metadata_level == 2
    related = parse("11909/uuid/query6.xml")
    assert isinstance(related, GetRelatedDocumentsQuery)
    assert related.association_types == (AssociationType.HAS_MEMBER, AssociationType.REPLACE)
    get_all = parse("_utilities/GetAll/XCA/query.xml")
    assert isinstance(get_all, GetAllQuery)
    assert get_all.options.home_community_id == PLAUSIBLE["$home$"]
    assert get_all.documents.entry_types == (DocumentEntryType.ON_DEMAND,)


def test_the_ipf_samples() -> None:
    samples = conformance_dir() / "samples/ipf"
    multiple = parse_stored_query(
        read_adhoc_query_request((samples / "iti51request.xml").read_bytes())
    )
    assert isinstance(multiple, FindDocumentsForMultiplePatientsQuery)
    assert multiple.patient_ids == (Cx.of("1", "1.2.3.4"), Cx.of("2", "1.2.3.4"))
    # A patient id with an SQL injection attempt after an unbalanced quote is refused.
    with pytest.raises(XdsFailure) as failure:
        parse_stored_query(read_adhoc_query_request((samples / "iti18request.xml").read_bytes()))
    (error,) = failure.value.errors
    assert (error.code, error.location) == (XdsErrorCode.REGISTRY_ERROR, v.PARAM_DE_PATIENT_ID)
    assert "unterminated quoted string" in error.context
