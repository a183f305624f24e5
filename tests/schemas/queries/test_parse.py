from __future__ import annotations

from typing import TypeVar

import pytest

from schemas import vocabulary as v
from schemas.errors import RegistryError, XdsErrorCode, XdsFailure
from schemas.model import (
    AdhocQueryRequest,
    AssociationType,
    AvailabilityStatus,
    Code,
    Cx,
    DocumentEntryType,
    QueryParameter,
    ReturnType,
    Timestamp,
)
from schemas.queries import (
    CATALOGUE,
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
    StoredQuerySpec,
    TimeRange,
    Transaction,
    parse_stored_query,
)

FNR_OID = "2.16.578.1.12.4.1.4.1"
PATIENT = Cx.of("15838512329", FNR_OID)
OTHER_PATIENT = Cx.of("02858045633", FNR_OID)
APPROVED = f"('{v.STATUS_APPROVED}')"
BOTH_STATUSES = f"('{v.STATUS_APPROVED}', '{v.STATUS_DEPRECATED}')"
ALL_APPROVED = (AvailabilityStatus.APPROVED,)
DOC_UUID = "urn:uuid:6b0d8a9c-23a8-4a2b-9d56-3f6f0b1f0c11"

Param = tuple[str, str | tuple[str, ...]]


def quoted(cx: Cx) -> str:
    return f"'{cx.render()}'"


def request(
    query_id: str, *params: Param, return_type: ReturnType = ReturnType.LEAF_CLASS
) -> AdhocQueryRequest:
    return AdhocQueryRequest(
        query_id=query_id,
        parameters=tuple(
            QueryParameter(name, values if isinstance(values, tuple) else (values,))
            for name, values in params
        ),
        return_type=return_type,
    )


def find_documents(*params: Param) -> AdhocQueryRequest:
    return request(
        v.QUERY_FIND_DOCUMENTS,
        (v.PARAM_DE_PATIENT_ID, quoted(PATIENT)),
        (v.PARAM_DE_STATUS, APPROVED),
        *params,
    )


Q = TypeVar("Q")


def parse_as(query: AdhocQueryRequest, kind: type[Q]) -> Q:
    parsed = parse_stored_query(query)
    assert isinstance(parsed, kind)
    return parsed


def errors_of(query: AdhocQueryRequest) -> tuple[RegistryError, ...]:
    with pytest.raises(XdsFailure) as failure:
        parse_stored_query(query)
    return failure.value.errors


def only_error(query: AdhocQueryRequest) -> RegistryError:
    errors = errors_of(query)
    assert len(errors) == 1, errors
    return errors[0]


# --------------------------------------------------------------------------- the catalogue


def test_the_catalogue_holds_the_14_iti18_and_2_iti51_queries() -> None:
    query_ids = {value for name, value in vars(v).items() if name.startswith("QUERY_")}
    assert set(CATALOGUE) == query_ids
    transactions = [spec.transaction for spec in CATALOGUE.values()]
    assert transactions.count(Transaction.REGISTRY_STORED_QUERY) == 14
    assert transactions.count(Transaction.MULTI_PATIENT_QUERY) == 2


@pytest.mark.parametrize("spec", CATALOGUE.values(), ids=lambda s: s.name)
def test_every_query_takes_home_community_and_metadata_level(spec: StoredQuerySpec) -> None:
    names = {p.name for p in spec.parameters}
    assert {v.PARAM_HOME_COMMUNITY_ID, v.PARAM_METADATA_LEVEL} <= names
    assert all(spec.parameter(name) is not None for name in spec.exactly_one_of)
    assert all(spec.parameter(name) is not None for name in spec.at_least_one_of)


def test_and_semantics_across_slots_is_limited_to_the_repeatable_parameters() -> None:
    repeatable = {
        p.name for spec in CATALOGUE.values() for p in spec.parameters if p.and_across_slots
    }
    assert repeatable == {
        v.PARAM_DE_EVENT_CODE_LIST,
        v.PARAM_DE_CONFIDENTIALITY_CODE,
        v.PARAM_FOLDER_CODE_LIST,
        v.PARAM_DE_REFERENCE_ID_LIST,
    }


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


# --------------------------------------------------------------------------- ignored input


def test_parameters_the_query_does_not_define_are_ignored_and_listed() -> None:
    old_scheme = "$XDSDocumentEntryPracticeSettingCodeScheme"
    query = parse_stored_query(
        find_documents(
            (v.PARAM_DE_PRACTICE_SETTING_CODE, "('Practice-D^^1.3.6.1.4.1.21367.2017.3')"),
            (old_scheme, "('Connect-a-thon practiceSettingCodes')"),
        )
    )
    (ignored,) = query.options.ignored
    assert ignored.startswith(old_scheme)


def test_status_values_not_understood_are_ignored() -> None:
    query = parse_as(
        request(
            v.QUERY_FIND_DOCUMENTS,
            (v.PARAM_DE_PATIENT_ID, quoted(PATIENT)),
            (v.PARAM_DE_STATUS, f"('Approved', '{v.STATUS_DEPRECATED}')"),
        ),
        FindDocumentsQuery,
    )
    assert query.documents.statuses == (AvailabilityStatus.DEPRECATED,)
    assert "'Approved'" in query.options.ignored[0]


# --------------------------------------------------------------------------- errors


def test_an_unknown_query_id_is_xds_unknown_stored_query() -> None:
    error = only_error(request("urn:uuid:00000000-0000-0000-0000-000000000000"))
    assert error.code == XdsErrorCode.UNKNOWN_STORED_QUERY
    assert "urn:uuid:00000000-0000-0000-0000-000000000000" in error.context


MISSING = XdsErrorCode.STORED_QUERY_MISSING_PARAM
NUMBER = XdsErrorCode.STORED_QUERY_PARAM_NUMBER
REGISTRY = XdsErrorCode.REGISTRY_ERROR


@pytest.mark.parametrize(
    ("query", "code", "parameter", "problem"),
    [
        (
            request(v.QUERY_FIND_DOCUMENTS, (v.PARAM_DE_STATUS, APPROVED)),
            MISSING,
            v.PARAM_DE_PATIENT_ID,
            "required by FindDocuments",
        ),
        (
            request(v.QUERY_FIND_DOCUMENTS, (v.PARAM_DE_PATIENT_ID, quoted(PATIENT))),
            MISSING,
            v.PARAM_DE_STATUS,
            "required",
        ),
        (
            request(
                v.QUERY_FIND_DOCUMENTS_BY_REFERENCE_ID,
                (v.PARAM_DE_PATIENT_ID, quoted(PATIENT)),
                (v.PARAM_DE_STATUS, APPROVED),
            ),
            MISSING,
            v.PARAM_DE_REFERENCE_ID_LIST,
            "required",
        ),
        (
            request(v.QUERY_GET_DOCUMENTS),
            MISSING,
            f"{v.PARAM_DE_ENTRY_UUID}, {v.PARAM_DE_UNIQUE_ID}, {v.PARAM_DE_LOGICAL_ID}",
            "needs one of them",
        ),
        (
            request(
                v.QUERY_GET_FOLDERS_FOR_DOCUMENT,
                (v.PARAM_DE_ENTRY_UUID, f"'{DOC_UUID}'"),
                (v.PARAM_DE_UNIQUE_ID, "'1.2.3'"),
            ),
            NUMBER,
            f"{v.PARAM_DE_ENTRY_UUID}, {v.PARAM_DE_UNIQUE_ID}",
            "takes only one of them",
        ),
        (
            request(v.QUERY_FIND_DOCUMENTS_FOR_MULTIPLE_PATIENTS, (v.PARAM_DE_STATUS, APPROVED)),
            MISSING,
            ", ".join(CATALOGUE[v.QUERY_FIND_DOCUMENTS_FOR_MULTIPLE_PATIENTS].at_least_one_of),
            "needs at least one of them",
        ),
        (
            find_documents((v.PARAM_DE_CREATION_TIME_FROM, "(20040101, 20050101)")),
            NUMBER,
            v.PARAM_DE_CREATION_TIME_FROM,
            "takes a single value, got 2",
        ),
        (
            request(
                v.QUERY_FIND_DOCUMENTS,
                (v.PARAM_DE_PATIENT_ID, (quoted(PATIENT), quoted(OTHER_PATIENT))),
                (v.PARAM_DE_STATUS, APPROVED),
            ),
            NUMBER,
            v.PARAM_DE_PATIENT_ID,
            "takes a single value, got 2",
        ),
        (
            find_documents(
                (v.PARAM_DE_CLASS_CODE, "('A^^1.2')"), (v.PARAM_DE_CLASS_CODE, "('B^^1.2')")
            ),
            NUMBER,
            v.PARAM_DE_CLASS_CODE,
            "given in 2 slots",
        ),
        (find_documents((v.PARAM_DE_CLASS_CODE, ())), NUMBER, v.PARAM_DE_CLASS_CODE, "no value"),
        (
            find_documents((v.PARAM_DE_CLASS_CODE, "('A^^1.2'")),
            REGISTRY,
            v.PARAM_DE_CLASS_CODE,
            "not closed",
        ),
        (
            find_documents((v.PARAM_DE_AUTHOR_PERSON, "(%Ford%)")),
            REGISTRY,
            v.PARAM_DE_AUTHOR_PERSON,
            "must be quoted",
        ),
        (
            request(
                v.QUERY_FIND_DOCUMENTS,
                (v.PARAM_DE_PATIENT_ID, PATIENT.id_number),
                (v.PARAM_DE_STATUS, APPROVED),
            ),
            REGISTRY,
            v.PARAM_DE_PATIENT_ID,
            "must be quoted",
        ),
        (
            find_documents((v.PARAM_DE_CLASS_CODE, "('DEMO-Lab^^1.3.6.1.4.1.21367.100.1', 'a^^')")),
            REGISTRY,
            v.PARAM_DE_CLASS_CODE,
            "'a^^' is not a coded value (code^^scheme): its coding scheme is empty",
        ),
        (
            find_documents((v.PARAM_DE_PRACTICE_SETTING_CODE, "('Dialysis')")),
            REGISTRY,
            v.PARAM_DE_PRACTICE_SETTING_CODE,
            "'Dialysis' is not a coded value (code^^scheme): expected code^^scheme",
        ),
        (
            find_documents((v.PARAM_DE_CLASS_CODE, "('^^1.2')")),
            REGISTRY,
            v.PARAM_DE_CLASS_CODE,
            "its code is empty",
        ),
        (
            find_documents((v.PARAM_DE_CREATION_TIME_FROM, "20041324")),
            REGISTRY,
            v.PARAM_DE_CREATION_TIME_FROM,
            "is not a DTM time",
        ),
        (
            find_documents((v.PARAM_DE_CREATION_TIME_TO, "2004-12-24")),
            REGISTRY,
            v.PARAM_DE_CREATION_TIME_TO,
            "is not a DTM time",
        ),
        (
            request(
                v.QUERY_FIND_DOCUMENTS,
                (v.PARAM_DE_PATIENT_ID, f"'{PATIENT.id_number}'"),
                (v.PARAM_DE_STATUS, APPROVED),
            ),
            REGISTRY,
            v.PARAM_DE_PATIENT_ID,
            "no assigning authority",
        ),
        (
            find_documents((v.PARAM_DE_TYPE, "('urn:uuid:00000000-0000-0000-0000-000000000000')")),
            REGISTRY,
            v.PARAM_DE_TYPE,
            "neither the stable nor the on-demand",
        ),
        (
            request(
                v.QUERY_GET_RELATED_DOCUMENTS,
                (v.PARAM_DE_ENTRY_UUID, f"'{DOC_UUID}'"),
                (v.PARAM_ASSOCIATION_TYPES, "('RPLC')"),
            ),
            REGISTRY,
            v.PARAM_ASSOCIATION_TYPES,
            "not an association type",
        ),
        (
            find_documents((v.PARAM_METADATA_LEVEL, "3")),
            REGISTRY,
            v.PARAM_METADATA_LEVEL,
            "only 1 and 2",
        ),
        (
            find_documents((v.PARAM_HOME_COMMUNITY_ID, "''")),
            REGISTRY,
            v.PARAM_HOME_COMMUNITY_ID,
            "it is empty",
        ),
    ],
)
def test_each_problem_has_its_code_and_names_the_parameter(
    query: AdhocQueryRequest, code: XdsErrorCode, parameter: str, problem: str
) -> None:
    error = only_error(query)
    assert (error.code, error.location) == (code, parameter)
    assert error.context.startswith(f"{parameter}: ")
    assert problem in error.context


def test_every_problem_is_reported_at_once() -> None:
    errors = errors_of(
        request(
            v.QUERY_FIND_DOCUMENTS,
            (v.PARAM_DE_STATUS, "Approved"),
            (v.PARAM_DE_CLASS_CODE, "('x')"),
        )
    )
    assert {(e.code, e.location) for e in errors} == {
        (REGISTRY, v.PARAM_DE_STATUS),
        (REGISTRY, v.PARAM_DE_CLASS_CODE),
        (MISSING, v.PARAM_DE_PATIENT_ID),
    }
