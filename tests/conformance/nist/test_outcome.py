from __future__ import annotations

from pathlib import Path

from lxml import etree

from schemas import vocabulary as v
from schemas.ebrim.query import build_adhoc_query_response
from schemas.ebrim.response import build_registry_response
from schemas.ebrim.retrieve import build_retrieve_document_set_response
from schemas.errors import RegistryError, ResponseStatus
from schemas.model.messages import (
    AdhocQueryResponse,
    RegistryResponse,
    RetrieveDocumentSetResponse,
    XdsMetadata,
)
from schemas.model.metadata import DocumentEntry
from tests.conformance.nist.outcome import Outcome, check_outcome, read_outcome
from tests.conformance.nist.reader import read_testplan
from tests.conformance.nist.report import ReportedError
from tests.conformance.nist.testplan import TestStep

S = ResponseStatus
SUCCESS, FAILURE, PARTIAL = S.SUCCESS.value, S.FAILURE.value, S.PARTIAL_SUCCESS.value


def error(code: str, context: str, severity: str = v.SEVERITY_ERROR) -> ReportedError:
    return ReportedError(code=code, context=context, severity=severity)


MISMATCH = error("XDSPatientIdDoesNotMatch", "the SubmissionSet's patient differs")


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
    assert checks(step(S.SUCCESS), Outcome(SUCCESS)) == []
    assert checks(step(S.SUCCESS, S.PARTIAL_SUCCESS), Outcome(PARTIAL)) == []
    assert checks(step(S.FAILURE), Outcome(SUCCESS)) == [
        "ExpectedStatus: expected Failure, got Success"
    ]
    assert checks(step(S.SUCCESS, S.PARTIAL_SUCCESS), Outcome(FAILURE)) == [
        "ExpectedStatus: expected Success or PartialSuccess, got Failure"
    ]
    assert checks(step(S.SUCCESS), Outcome("Success")) == [
        "ExpectedStatus: expected Success, got 'Success', not a status URN"
    ]
    assert checks(step(S.SUCCESS), Outcome("")) == [
        "ExpectedStatus: expected Success; the response has no status"
    ]


def test_a_step_naming_no_status_expects_success() -> None:
    assert checks(step(), Outcome(SUCCESS)) == []
    assert checks(step(), Outcome(FAILURE)) == ["ExpectedStatus: expected Success, got Failure"]


def test_the_error_message_is_a_substring_of_code_or_context_of_an_error() -> None:
    failed = Outcome(FAILURE, (MISMATCH,))
    assert checks(step(S.FAILURE, message="XDSPatientIdDoesNotMatch"), failed) == []
    assert checks(step(S.FAILURE, message="PatientId"), failed) == []
    assert checks(step(S.FAILURE, message="patient differs"), failed) == []
    (problem,) = checks(step(S.FAILURE, message="XDSUnknownPatientId"), failed)
    assert problem.startswith("ExpectedErrorMessage: no error of severity Error has")


def test_only_a_severity_ending_in_error_carries_the_expected_error_message() -> None:
    expects = step(S.FAILURE, message="XDSPatientIdDoesNotMatch")
    for severity in (v.SEVERITY_WARNING, "", "Fatal"):
        other = error("XDSPatientIdDoesNotMatch", "…", severity)
        (problem,) = checks(expects, Outcome(FAILURE, (other,)))
        assert problem.startswith("ExpectedErrorMessage")
    short = error("XDSPatientIdDoesNotMatch", "…", "Error")
    assert checks(expects, Outcome(FAILURE, (short,))) == []


def test_the_error_code_must_match_exactly_whatever_the_severity() -> None:
    version = error("XDSMetadataVersionError", "no such lid", v.SEVERITY_WARNING)
    expects = step(S.FAILURE, code="XDSMetadataVersionError")
    assert checks(expects, Outcome(FAILURE, (version,))) == []
    assert checks(step(S.FAILURE, code="XDSMetadataVersion"), Outcome(FAILURE, (version,))) == [
        "ExpectedErrorCode: no error has errorCode 'XDSMetadataVersion'"
    ]


def test_the_corpus_expectations_read_as_the_guide_says(testkit: Path) -> None:
    mismatch = read_testplan(testkit / "11997/submit/testplan.xml").step("submit")
    assert checks(mismatch, Outcome(FAILURE, (MISMATCH,))) == []
    version = read_testplan(testkit / "15800b/no_orig_docentry/testplan.xml").steps[0]
    assert version.expected_error_code == "XDSMetadataVersionError"
    assert len(checks(version, Outcome(FAILURE, (MISMATCH,)))) == 1


def test_the_outcome_of_each_kind_of_response() -> None:
    written = RegistryError(code="XDSPatientIdDoesNotMatch", context="the patients differ")
    registry = build_registry_response(RegistryResponse(status=S.FAILURE, errors=(written,)))
    assert read_outcome(registry) == Outcome(
        FAILURE, (error("XDSPatientIdDoesNotMatch", "the patients differ"),)
    )

    entry = DocumentEntry(entry_uuid="urn:uuid:d", unique_id="1.2", mime_type="text/plain")
    metadata = XdsMetadata(document_entries=(entry,))
    query = build_adhoc_query_response(AdhocQueryResponse(status=S.SUCCESS, metadata=metadata))
    outcome = read_outcome(query)
    assert outcome.status == SUCCESS
    assert [o.id for o in outcome.objects.objects] == ["urn:uuid:d"]

    missing = RegistryError(code="XDSDocumentUniqueIdError", context="1.2.3 is not here")
    retrieve = build_retrieve_document_set_response(
        RetrieveDocumentSetResponse(status=S.FAILURE, errors=(missing,))
    )
    assert read_outcome(retrieve) == Outcome(
        FAILURE, (error("XDSDocumentUniqueIdError", "1.2.3 is not here"),)
    )


def test_a_response_without_a_status_has_an_empty_one() -> None:
    assert read_outcome(etree.Element(f"{{{v.NS_RS}}}RegistryResponse")).status == ""
    retrieve = etree.Element(f"{{{v.NS_XDSB}}}RetrieveDocumentSetResponse")
    assert read_outcome(retrieve) == Outcome("")
