from __future__ import annotations

import pytest
from lxml import etree

from schemas import vocabulary as v
from schemas.ebrim.response import build_registry_response, parse_registry_response
from schemas.ebrim.wire import rs
from schemas.errors import RegistryError, ResponseStatus, Severity, XdsErrorCode
from schemas.model import RegistryResponse, Slot
from schemas.soap import SoapFault
from schemas.xml import parse_xml, to_bytes
from tests.support.xsd import assert_valid

ERROR = RegistryError(
    code=XdsErrorCode.PATIENT_ID_DOES_NOT_MATCH,
    context="SubmissionSet and DocumentEntry patient ids differ",
    location="urn:uuid:6f1b7a1e-2c4d-4a8e-9b1f-0c2d3e4f5a6b",
    value="detail text",
)
WARNING = RegistryError(
    code=XdsErrorCode.EXTRA_METADATA_NOT_SAVED, context="urn:no:x", severity=Severity.WARNING
)


def error_list(response: RegistryResponse) -> etree._Element:
    element = build_registry_response(response).find(rs("RegistryErrorList"))
    assert element is not None
    return element


def test_failure_with_errors_round_trips_and_is_schema_valid() -> None:
    response = RegistryResponse(
        status=ResponseStatus.FAILURE,
        errors=(ERROR, WARNING),
        response_slots=(Slot("urn:example:slot", ("1", "2")),),
        request_id="urn:uuid:request",
    )
    built = build_registry_response(response)
    assert_valid(built)
    assert parse_registry_response(parse_xml(to_bytes(built))) == response
    first = error_list(response)[0]
    assert first.get("errorCode") == "XDSPatientIdDoesNotMatch"
    assert first.get("severity") == v.SEVERITY_ERROR
    assert first.text == "detail text"


def test_highest_severity_is_computed() -> None:
    both = RegistryResponse(status=ResponseStatus.PARTIAL_SUCCESS, errors=(WARNING, ERROR))
    warnings = RegistryResponse(status=ResponseStatus.SUCCESS, errors=(WARNING,))
    assert error_list(both).get("highestSeverity") == v.SEVERITY_ERROR
    assert error_list(warnings).get("highestSeverity") == v.SEVERITY_WARNING


def test_success_without_errors_has_no_error_list() -> None:
    built = build_registry_response(RegistryResponse(status=ResponseStatus.SUCCESS))
    assert_valid(built)
    assert len(built) == 0
    assert built.get("status") == v.RESPONSE_SUCCESS


def test_lenient_reading_of_peer_responses() -> None:
    root = etree.Element(rs("RegistryResponse"), status="Success")
    errors = etree.SubElement(root, rs("RegistryErrorList"))
    etree.SubElement(errors, rs("RegistryError"), errorCode="XDSRegistryError")
    etree.SubElement(
        errors, rs("RegistryError"), errorCode="X", codeContext="c", severity="Warning"
    )
    response = parse_registry_response(root)
    assert response.status is ResponseStatus.SUCCESS
    assert response.errors == (
        RegistryError(code="XDSRegistryError", context=""),
        RegistryError(code="X", context="c", severity=Severity.WARNING),
    )


def test_unknown_or_missing_status_is_a_sender_fault() -> None:
    with pytest.raises(SoapFault, match="is not a RegistryResponse status"):
        parse_registry_response(etree.Element(rs("RegistryResponse"), status="Done"))
    with pytest.raises(SoapFault, match="has no status attribute"):
        parse_registry_response(etree.Element(rs("RegistryResponse")))


def test_schema_check_rejects_what_the_xsd_forbids() -> None:
    invalid = etree.Element(rs("RegistryResponse"))  # no status
    with pytest.raises(AssertionError, match="not schema-valid"):
        assert_valid(invalid)
