from __future__ import annotations

import pytest

from schemas import vocabulary as v
from schemas.model import (
    AdhocQueryRequest,
    AssociationType,
    AvailabilityStatus,
    Code,
    DocumentEntryType,
    QueryParameter,
    ReturnType,
    Timestamp,
)
from schemas.queries import (
    DocumentEntryFilter,
    FindDocumentsForMultiplePatientsQuery,
    FindDocumentsQuery,
    FindFoldersForMultiplePatientsQuery,
    FindSubmissionSetsQuery,
    FolderFilter,
    GetAllQuery,
    GetAssociationsQuery,
    GetRelatedDocumentsQuery,
    GetSubmissionSetAndContentsQuery,
    GetSubmissionSetsQuery,
    IdentifierKind,
    ObjectSelector,
    QueryOptions,
    StoredQuery,
    TimeRange,
    parse_stored_query,
)
from tests.schemas.queries.adhoc import (
    ALL_APPROVED,
    APPROVED,
    BOTH_STATUSES,
    DOC_UUID,
    OTHER_PATIENT,
    PATIENT,
    find_documents,
    parse_as,
    quoted,
    request,
)

# --------------------------------------------------------------------------- typed queries

FOLDER_UUID = "urn:uuid:0f2f1a55-7d3b-4c0e-9a53-1f1d7b6f2e10"
SS_UNIQUE_ID = "2.25.185927301239475123"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            request(
                v.QUERY_FIND_SUBMISSION_SETS,
                (v.PARAM_SS_PATIENT_ID, quoted(PATIENT)),
                (v.PARAM_SS_STATUS, APPROVED),
                (v.PARAM_SS_SOURCE_ID, "('1.2.669847365.352.1')"),
                (v.PARAM_SS_SUBMISSION_TIME_FROM, "200412"),
                (v.PARAM_SS_SUBMISSION_TIME_TO, "200501"),
                (v.PARAM_SS_AUTHOR_PERSON, "'%Dopplemeyer%'"),
                (v.PARAM_SS_CONTENT_TYPE, "('66280005^^2.16.840.1.113883.6.96')"),
            ),
            FindSubmissionSetsQuery(
                patient_id=PATIENT,
                statuses=ALL_APPROVED,
                source_ids=("1.2.669847365.352.1",),
                submission_time=TimeRange(Timestamp("200412"), Timestamp("200501")),
                author_person="%Dopplemeyer%",
                content_type_codes=((Code("66280005", "2.16.840.1.113883.6.96"),),),
            ),
        ),
        (
            request(
                v.QUERY_GET_ALL,
                (v.PARAM_PATIENT_ID, quoted(PATIENT)),
                (v.PARAM_DE_STATUS, BOTH_STATUSES),
                (v.PARAM_SS_STATUS, APPROVED),
                (v.PARAM_FOLDER_STATUS, APPROVED),
                (v.PARAM_DE_CONFIDENTIALITY_CODE, "('N^^2.16.840.1.113883.5.25')"),
                (v.PARAM_DE_CONFIDENTIALITY_CODE, "('R^^2.16.840.1.113883.5.25')"),
                (v.PARAM_DE_TYPE, f"('{v.OBJECT_TYPE_ON_DEMAND_DOCUMENT}')"),
            ),
            GetAllQuery(
                patient_id=PATIENT,
                documents=DocumentEntryFilter(
                    statuses=(AvailabilityStatus.APPROVED, AvailabilityStatus.DEPRECATED),
                    entry_types=(DocumentEntryType.ON_DEMAND,),
                    confidentiality_codes=(
                        (Code("N", "2.16.840.1.113883.5.25"),),
                        (Code("R", "2.16.840.1.113883.5.25"),),
                    ),
                ),
                submission_set_statuses=ALL_APPROVED,
                folder_statuses=ALL_APPROVED,
            ),
        ),
        (
            request(
                v.QUERY_GET_RELATED_DOCUMENTS,
                (v.PARAM_DE_ENTRY_UUID, f"'{DOC_UUID}'"),
                (v.PARAM_ASSOCIATION_TYPES, f"('{v.ASSOC_HAS_MEMBER}', '{v.ASSOC_REPLACE}')"),
            ),
            GetRelatedDocumentsQuery(
                document=ObjectSelector(IdentifierKind.ENTRY_UUID, (DOC_UUID,)),
                association_types=(AssociationType.HAS_MEMBER, AssociationType.REPLACE),
            ),
        ),
        (
            request(
                v.QUERY_FIND_FOLDERS_FOR_MULTIPLE_PATIENTS,
                (v.PARAM_FOLDER_STATUS, APPROVED),
                (v.PARAM_FOLDER_CODE_LIST, "('Referrals^^1.3.6.1.4.1.21367.2017.3')"),
            ),
            FindFoldersForMultiplePatientsQuery(
                patient_ids=(),
                folders=FolderFilter(
                    statuses=ALL_APPROVED,
                    codes=((Code("Referrals", "1.3.6.1.4.1.21367.2017.3"),),),
                ),
            ),
        ),
        (
            request(
                v.QUERY_FIND_DOCUMENTS_FOR_MULTIPLE_PATIENTS,
                (v.PARAM_DE_PATIENT_ID, f"({quoted(PATIENT)}, {quoted(OTHER_PATIENT)})"),
                (v.PARAM_DE_STATUS, APPROVED),
            ),
            FindDocumentsForMultiplePatientsQuery(
                patient_ids=(PATIENT, OTHER_PATIENT),
                documents=DocumentEntryFilter(statuses=ALL_APPROVED),
            ),
        ),
    ],
    ids=lambda x: type(x).__name__,
)
def test_requests_become_typed_queries(query: AdhocQueryRequest, expected: StoredQuery) -> None:
    assert parse_stored_query(query) == expected


def test_find_documents_reads_every_criterion() -> None:
    query = parse_stored_query(
        find_documents(
            (v.PARAM_DE_CLASS_CODE, ("('A^^1.2')", "('B^^1.2', 'C^^1.3')")),
            (v.PARAM_DE_TYPE_CODE, "('11369-6^^2.16.840.1.113883.6.1')"),
            (v.PARAM_DE_PRACTICE_SETTING_CODE, "('Practice-D^^1.3.6.1.4.1.21367.2017.3')"),
            (v.PARAM_DE_HEALTHCARE_FACILITY_TYPE_CODE, "('264372000^^2.16.840.1.113883.6.96')"),
            (v.PARAM_DE_EVENT_CODE_LIST, "('e1^^1.9')"),
            (v.PARAM_DE_EVENT_CODE_LIST, "('e2^^1.9', 'e3^^1.9')"),
            (v.PARAM_DE_FORMAT_CODE, "('urn:ihe:rad:TEXT^^1.3.6.1.4.1.19376.1.2.3')"),
            (v.PARAM_DE_CREATION_TIME_FROM, "200401010934"),
            (v.PARAM_DE_CREATION_TIME_TO, "'20050101'"),
            (v.PARAM_DE_SERVICE_START_TIME_FROM, "2005"),
            (v.PARAM_DE_SERVICE_STOP_TIME_TO, "2006"),
            (v.PARAM_DE_AUTHOR_PERSON, "('%Ford%', 'Smitty%')"),
            (
                v.PARAM_DE_REFERENCE_ID_LIST,
                "('20061223^^^&1.2.5643.2&ISO^urn:ihe:iti:xds:2013:uniqueId')",
            ),
            (v.PARAM_HOME_COMMUNITY_ID, "'urn:oid:1.2.3'"),
            (v.PARAM_METADATA_LEVEL, "2"),
        )
    )
    assert isinstance(query, FindDocumentsQuery)
    documents = query.documents
    assert documents.class_codes == ((Code("A", "1.2"), Code("B", "1.2"), Code("C", "1.3")),), (
        "several <Value>s of one slot are one OR group"
    )
    assert documents.event_codes == (
        (Code("e1", "1.9"),),
        (Code("e2", "1.9"), Code("e3", "1.9")),
    ), "repeated EventCodeList slots are ANDed"
    assert documents.creation_time == TimeRange(Timestamp("200401010934"), Timestamp("20050101"))
    assert documents.service_start_time == TimeRange(Timestamp("2005"), None)
    assert documents.service_stop_time == TimeRange(None, Timestamp("2006"))
    assert documents.author_persons == ("%Ford%", "Smitty%")
    assert documents.reference_ids == (
        ("20061223^^^&1.2.5643.2&ISO^urn:ihe:iti:xds:2013:uniqueId",),
    )
    assert documents.entry_types == (DocumentEntryType.STABLE,)
    assert query.options == QueryOptions(home_community_id="urn:oid:1.2.3", metadata_level=2)


@pytest.mark.parametrize(
    ("query_id", "parameter", "kind"),
    [
        (v.QUERY_GET_DOCUMENTS, v.PARAM_DE_ENTRY_UUID, IdentifierKind.ENTRY_UUID),
        (v.QUERY_GET_DOCUMENTS, v.PARAM_DE_UNIQUE_ID, IdentifierKind.UNIQUE_ID),
        (v.QUERY_GET_DOCUMENTS, v.PARAM_DE_LOGICAL_ID, IdentifierKind.LOGICAL_ID),
        (v.QUERY_GET_FOLDERS, v.PARAM_FOLDER_ENTRY_UUID, IdentifierKind.ENTRY_UUID),
        (v.QUERY_GET_FOLDERS, v.PARAM_FOLDER_LOGICAL_ID, IdentifierKind.LOGICAL_ID),
        (v.QUERY_GET_DOCUMENTS_AND_ASSOCIATIONS, v.PARAM_DE_UNIQUE_ID, IdentifierKind.UNIQUE_ID),
    ],
)
def test_get_queries_select_by_the_identifier_given(
    query_id: str, parameter: str, kind: IdentifierKind
) -> None:
    query = parse_stored_query(request(query_id, (parameter, "('a', 'b')")))
    assert ObjectSelector(kind, ("a", "b")) in (
        getattr(query, name, None) for name in ("documents", "folders")
    )


@pytest.mark.parametrize(
    ("query_id", "parameter", "field"),
    [
        (v.QUERY_GET_SUBMISSION_SET_AND_CONTENTS, v.PARAM_SS_UNIQUE_ID, "submission_set"),
        (v.QUERY_GET_FOLDER_AND_CONTENTS, v.PARAM_FOLDER_ENTRY_UUID, "folder"),
        (v.QUERY_GET_FOLDERS_FOR_DOCUMENT, v.PARAM_DE_UNIQUE_ID, "document"),
    ],
)
def test_single_object_queries_name_one_object(query_id: str, parameter: str, field: str) -> None:
    query = parse_stored_query(request(query_id, (parameter, f"'{SS_UNIQUE_ID}'")))
    assert getattr(query, field).values == (SS_UNIQUE_ID,)


@pytest.mark.parametrize("query_id", [v.QUERY_GET_ASSOCIATIONS, v.QUERY_GET_SUBMISSION_SETS])
def test_uuid_queries_take_a_list_of_uuids(query_id: str) -> None:
    query = parse_stored_query(
        request(query_id, (v.PARAM_UUID, f"('{DOC_UUID}', '{FOLDER_UUID}')"))
    )
    assert isinstance(query, GetAssociationsQuery | GetSubmissionSetsQuery)
    assert query.uuids == (DOC_UUID, FOLDER_UUID)


def test_content_filters_of_get_submission_set_and_contents() -> None:
    query = parse_as(
        request(
            v.QUERY_GET_SUBMISSION_SET_AND_CONTENTS,
            (v.PARAM_SS_ENTRY_UUID, f"'{DOC_UUID}'"),
            (v.PARAM_DE_FORMAT_CODE, "('urn:ihe:pcc:aps:2007^^1.3.6.1.4.1.19376.1.2.3')"),
            return_type=ReturnType.OBJECT_REF,
        ),
        GetSubmissionSetAndContentsQuery,
    )
    assert query.documents == DocumentEntryFilter(
        format_codes=((Code("urn:ihe:pcc:aps:2007", "1.3.6.1.4.1.19376.1.2.3"),),)
    )
    assert query.options.return_type is ReturnType.OBJECT_REF


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("'DEMO-Lab^^1.3.6.1.4.1.21367.100.1'", Code("DEMO-Lab", "1.3.6.1.4.1.21367.100.1")),
        ("'R^^^2.16.840.1.113883.5.25'", Code("R", "2.16.840.1.113883.5.25")),
        ("'R^Restricted^2.16.840.1.113883.5.25'", Code("R", "2.16.840.1.113883.5.25")),
        ("' R^^2.16.840.1.113883.5.25 '", Code("R", "2.16.840.1.113883.5.25")),
    ],
)
def test_coded_values_are_read_in_ce_form(text: str, code: Code) -> None:
    query = parse_as(find_documents((v.PARAM_DE_CLASS_CODE, f"({text})")), FindDocumentsQuery)
    assert query.documents.class_codes == ((code,),)


def test_the_home_community_may_come_from_the_adhoc_query() -> None:
    query = AdhocQueryRequest(
        query_id=v.QUERY_GET_ASSOCIATIONS,
        parameters=(QueryParameter(v.PARAM_UUID, (f"('{DOC_UUID}')",)),),
        home_community_id="urn:oid:1.2.3.4",
    )
    assert parse_stored_query(query).options.home_community_id == "urn:oid:1.2.3.4"


def test_entry_types_default_to_stable_and_may_ask_for_both() -> None:
    both = f"('{v.OBJECT_TYPE_STABLE_DOCUMENT}', '{v.OBJECT_TYPE_ON_DEMAND_DOCUMENT}')"
    query = parse_as(find_documents((v.PARAM_DE_TYPE, both)), FindDocumentsQuery)
    assert query.documents.entry_types == (
        DocumentEntryType.STABLE,
        DocumentEntryType.ON_DEMAND,
    )


def test_time_ranges_include_from_and_exclude_to() -> None:
    day = Timestamp("20041224")
    assert TimeRange(start=Timestamp("20041224"), end=Timestamp("20050101")).contains(day)
    assert not TimeRange(start=Timestamp("20041124"), end=Timestamp("20041224")).contains(day)
    assert TimeRange(start=Timestamp("2004"), end=Timestamp("2005")).contains(day)
    assert TimeRange().contains(day)
    assert not TimeRange(end=Timestamp("200412240800")).contains(Timestamp("20041224080000"))
