from __future__ import annotations

import pytest

from schemas import vocabulary as v
from schemas.errors import XdsErrorCode
from schemas.model import (
    AdhocQueryRequest,
    AvailabilityStatus,
)
from schemas.queries import (
    CATALOGUE,
    FindDocumentsQuery,
    parse_stored_query,
)
from tests.schemas.queries.adhoc import (
    APPROVED,
    DOC_UUID,
    OTHER_PATIENT,
    PATIENT,
    errors_of,
    find_documents,
    only_error,
    parse_as,
    quoted,
    request,
)

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
