from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from schemas import vocabulary as v
from schemas.ebrim.query import build_adhoc_query_response
from schemas.ebrim.response import build_registry_response
from schemas.ebrim.retrieve import build_retrieve_document_set_response
from schemas.errors import RegistryError, ResponseStatus, Severity
from schemas.model.messages import (
    AdhocQueryResponse,
    RegistryResponse,
    RetrieveDocumentSetResponse,
    XdsMetadata,
)
from schemas.model.metadata import DocumentEntry
from schemas.soap import SoapFault
from tests.conformance.nist.outcome import Outcome, check_outcome, read_outcome
from tests.conformance.nist.reader import read_testplan
from tests.conformance.nist.testplan import TestStep

S = ResponseStatus
MISMATCH = RegistryError(
    code="XDSPatientIdDoesNotMatch", context="the SubmissionSet's patient differs"
)


def step(
    *statuses: ResponseStatus, message: str | None = None, code: str | None = None
) -> TestStep:
    return TestStep(
        id="s",
        transaction=None,
        expected_statuses=statuses,
        expected_error_message=message,
        expected_error_code=code,
    )


def checks(test_step: TestStep, outcome: Outcome) -> list[str]:
    return [f"{f.check}: {f.detail}" for f in check_outcome(test_step, outcome)]


def test_the_status_is_compared_as_a_full_urn_with_every_expected_one() -> None:
    assert checks(step(S.SUCCESS), Outcome(S.SUCCESS)) == []
    assert checks(step(S.SUCCESS, S.PARTIAL_SUCCESS), Outcome(S.PARTIAL_SUCCESS)) == []
    assert checks(step(S.FAILURE), Outcome(S.SUCCESS)) == [
        "ExpectedStatus: expected Failure, got Success"
    ]
    assert checks(step(S.SUCCESS, S.PARTIAL_SUCCESS), Outcome(S.FAILURE)) == [
        "ExpectedStatus: expected Success or PartialSuccess, got Failure"
    ]


def test_a_step_naming_no_status_expects_success() -> None:
    assert checks(step(), Outcome(S.SUCCESS)) == []
    assert checks(step(), Outcome(S.FAILURE)) == ["ExpectedStatus: expected Success, got Failure"]


def test_the_error_message_is_a_substring_of_code_or_context_of_an_error() -> None:
    failed = Outcome(S.FAILURE, (MISMATCH,))
    assert checks(step(S.FAILURE, message="XDSPatientIdDoesNotMatch"), failed) == []
    assert checks(step(S.FAILURE, message="PatientId"), failed) == []
    assert checks(step(S.FAILURE, message="patient differs"), failed) == []
    (problem,) = checks(step(S.FAILURE, message="XDSUnknownPatientId"), failed)
    assert problem.startswith("ExpectedErrorMessage: no error of severity Error has")


def test_a_warning_does_not_carry_the_expected_error_message() -> None:
    warning = RegistryError(
        code="XDSPatientIdDoesNotMatch", context="only a warning", severity=Severity.WARNING
    )
    expects = step(S.FAILURE, message="XDSPatientIdDoesNotMatch")
    (problem,) = checks(expects, Outcome(S.FAILURE, (warning,)))
    assert problem.startswith("ExpectedErrorMessage")


def test_the_error_code_must_match_exactly() -> None:
    version = RegistryError(code="XDSMetadataVersionError", context="no such lid")
    assert (
        checks(step(S.FAILURE, code="XDSMetadataVersionError"), Outcome(S.FAILURE, (version,)))
        == []
    )
    assert checks(step(S.FAILURE, code="XDSMetadataVersion"), Outcome(S.FAILURE, (version,))) == [
        "ExpectedErrorCode: no error has errorCode 'XDSMetadataVersion'"
    ]


def test_the_corpus_expectations_read_as_the_guide_says(testkit: Path) -> None:
    mismatch = read_testplan(testkit / "11997/submit/testplan.xml").step("submit")
    assert checks(mismatch, Outcome(S.FAILURE, (MISMATCH,))) == []
    version = read_testplan(testkit / "15800b/no_orig_docentry/testplan.xml").steps[0]
    assert version.expected_error_code == "XDSMetadataVersionError"
    assert len(checks(version, Outcome(S.FAILURE, (MISMATCH,)))) == 1


def test_the_outcome_of_each_kind_of_response() -> None:
    registry = build_registry_response(RegistryResponse(status=S.FAILURE, errors=(MISMATCH,)))
    assert read_outcome(registry) == Outcome(S.FAILURE, (MISMATCH,))

    entry = DocumentEntry(entry_uuid="urn:uuid:d", unique_id="1.2", mime_type="text/plain")
    metadata = XdsMetadata(document_entries=(entry,))
    query = build_adhoc_query_response(AdhocQueryResponse(status=S.SUCCESS, metadata=metadata))
    outcome = read_outcome(query)
    assert outcome.status is S.SUCCESS
    assert [o.id for o in outcome.objects.objects] == ["urn:uuid:d"]

    missing = RegistryError(code="XDSDocumentUniqueIdError", context="1.2.3 is not here")
    retrieve = build_retrieve_document_set_response(
        RetrieveDocumentSetResponse(status=S.FAILURE, errors=(missing,))
    )
    assert read_outcome(retrieve) == Outcome(S.FAILURE, (missing,))


def test_a_response_without_a_status_is_refused() -> None:
    bare = etree.Element(f"{{{v.NS_RS}}}RegistryResponse")
    with pytest.raises(SoapFault):
        read_outcome(bare)
    retrieve = etree.Element(f"{{{v.NS_XDSB}}}RetrieveDocumentSetResponse")
    with pytest.raises(SoapFault, match="RegistryResponse"):
        read_outcome(retrieve)
