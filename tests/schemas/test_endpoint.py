from __future__ import annotations

import io

from lxml import etree

from schemas import vocabulary as v
from schemas.endpoint import SoapEndpoint, SoapRequest, SoapResponse
from schemas.soap import SoapEnvelope, build_request, read_envelope, read_fault, sender_fault
from schemas.xml import parse_xml

ECHO = "urn:example:Echo"


def echo(request: SoapRequest) -> SoapResponse:
    if request.envelope.body.get("fail") == "fault":
        raise sender_fault("asked to fail")
    if request.envelope.body.get("fail") == "crash":
        raise RuntimeError("boom")
    return SoapResponse(action=ECHO + "Response", payload=etree.Element("echoed"))


ENDPOINT = SoapEndpoint({ECHO: echo})


def call(
    action: str, payload: etree._Element, content_type: str = "application/soap+xml"
) -> tuple[int, SoapEnvelope]:
    answer = ENDPOINT.handle(content_type, io.BytesIO(build_request(action, payload)))
    return answer.status, read_envelope(parse_xml(b"".join(answer.body)))


def test_dispatches_on_action_and_relates_the_response() -> None:
    status, env = call(ECHO, etree.Element("hello"))
    assert status == 200
    assert env.action == ECHO + "Response"
    assert env.body.tag == "echoed"


def test_unknown_action_is_a_sender_fault_with_http_400() -> None:
    status, env = call(v.ACTION_RETRIEVE, etree.Element("hello"))
    fault = read_fault(env.body)
    assert status == 400
    assert fault is not None
    assert fault.subcode is not None
    assert fault.subcode[1] == "ActionNotSupported"
    assert "cannot be processed at the receiver" in fault.reason


def test_handler_fault_and_crash() -> None:
    status, env = call(ECHO, etree.Element("hello", fail="fault"))
    assert status == 400
    assert read_fault(env.body) is not None
    status, env = call(ECHO, etree.Element("hello", fail="crash"))
    fault = read_fault(env.body)
    assert status == 500
    assert fault is not None
    assert "boom" not in fault.reason  # internals never leak to the caller


def test_hostile_xml_and_wrong_content_type_are_faults() -> None:
    answer = ENDPOINT.handle("application/soap+xml", io.BytesIO(b"<!DOCTYPE x><x/>"))
    assert answer.status == 400
    assert b"xml_doctype_forbidden" in b"".join(answer.body)
    answer = ENDPOINT.handle("application/json", io.BytesIO(b"{}"))
    assert answer.status == 400
