from __future__ import annotations

import base64
import email.parser
import email.policy
import hashlib
import io
from email.message import EmailMessage

import pytest
from lxml import etree

from schemas import vocabulary as v
from schemas.endpoint import HttpAnswer, SoapEndpoint, SoapRequest, SoapResponse
from schemas.model.messages import DocumentContent, InlineContent
from schemas.mtom import MessageLimits, OutgoingAttachments, cid_href, content_id_from_href
from schemas.soap import SoapEnvelope, build_request, read_envelope, read_fault, sender_fault
from schemas.xml import XmlLimits, parse_xml
from tests.support.mtom import XOP_ROOT, envelope_with_includes, multipart, part

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


# MTOM: multipart/related requests and responses

STORE = "urn:example:Store"
FETCH = "urn:example:Fetch"
DOCUMENT = b"%PDF-1.4\r\n" + bytes(range(256)) * 40 + b"\r\n%%EOF"
KEPT: list[DocumentContent] = []


def store(request: SoapRequest) -> SoapResponse:
    """Reads each Document: an xop:Include resolved to its part, or inline base64 text."""
    stored = etree.Element("stored")
    for document in request.envelope.body.iter(f"{{{v.NS_XDSB}}}Document"):
        include = document.find(f"{{{v.NS_XOP}}}Include")
        if include is None:
            content: DocumentContent = request.inline_document(document.text or "")
        else:
            content = request.attachment(content_id_from_href(include.get("href", "")))
        KEPT.append(content)
        with content.open() as stream:
            digest = hashlib.sha1(stream.read()).hexdigest()
        etree.SubElement(stored, "document", size=str(content.size), sha1=digest)
    return SoapResponse(action=STORE + "Response", payload=stored)


def fetch(request: SoapRequest) -> SoapResponse:
    outgoing = OutgoingAttachments()
    payload = etree.Element(f"{{{v.NS_XDSB}}}RetrieveDocumentSetResponse")
    document = etree.SubElement(payload, f"{{{v.NS_XDSB}}}Document")
    href = cid_href(outgoing.attach(InlineContent(DOCUMENT)))
    etree.SubElement(document, f"{{{v.NS_XOP}}}Include", href=href)
    return SoapResponse(action=FETCH + "Response", payload=payload, attachments=outgoing.parts)


MTOM_ENDPOINT = SoapEndpoint(
    {STORE: store, FETCH: fetch},
    message_limits=MessageLimits(max_message_bytes=64 * 1024, spool_threshold=1024),
)
MULTIPART = 'multipart/related; type="application/xop+xml"; start="<root@x>"; boundary=grense'


def mtom_request(hrefs: list[str], documents: dict[str, bytes]) -> bytes:
    root = part([XOP_ROOT, "Content-ID: <root@x>"], envelope_with_includes(hrefs, STORE))
    parts = [part([f"Content-ID: <{cid}>"], data) for cid, data in documents.items()]
    return multipart("grense", [root, *parts])


def stored(answer: HttpAnswer) -> list[tuple[str, str]]:
    env = read_envelope(parse_xml(b"".join(answer.body)))
    return [(d.get("size", ""), d.get("sha1", "")) for d in env.body.iter("document")]


def test_a_multipart_request_reaches_the_handler_with_its_attachments() -> None:
    body = mtom_request(["cid:doc%401", "cid:doc@2"], {"doc@1": DOCUMENT, "doc@2": b"kort"})
    answer = MTOM_ENDPOINT.handle(MULTIPART, io.BytesIO(body))
    assert answer.status == 200
    assert stored(answer) == [
        (str(len(DOCUMENT)), hashlib.sha1(DOCUMENT).hexdigest()),
        ("4", hashlib.sha1(b"kort").hexdigest()),
    ]
    with pytest.raises(ValueError, match="closed"):  # attachments live until the handler returns
        KEPT[-1].open()


def test_an_inline_document_in_a_plain_request_is_decoded_with_its_hashes() -> None:
    payload = etree.Element(f"{{{v.NS_XDSB}}}ProvideAndRegisterDocumentSetRequest")
    document = etree.SubElement(payload, f"{{{v.NS_XDSB}}}Document", id="Document01")
    document.text = base64.encodebytes(DOCUMENT).decode("ascii")
    answer = MTOM_ENDPOINT.handle("application/soap+xml", io.BytesIO(build_request(STORE, payload)))
    assert stored(answer) == [(str(len(DOCUMENT)), hashlib.sha1(DOCUMENT).hexdigest())]


def test_an_answer_with_attachments_is_mtom_that_the_stdlib_parser_reads() -> None:
    request = build_request(FETCH, etree.Element("fetch"))
    answer = MTOM_ENDPOINT.handle("application/soap+xml", io.BytesIO(request))
    assert answer.status == 200
    assert answer.content_type.startswith('multipart/related; type="application/xop+xml"; start="<')
    assert 'start-info="application/soap+xml"; boundary=' in answer.content_type
    head = f"Content-Type: {answer.content_type}\r\n\r\n".encode("ascii")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        head + b"".join(answer.body)
    )
    assert isinstance(message, EmailMessage)
    root, document = message.iter_parts()
    root_bytes = root.get_payload(decode=True)
    assert isinstance(root_bytes, bytes)
    envelope = read_envelope(parse_xml(root_bytes))
    assert envelope.action == FETCH + "Response"
    include = next(envelope.body.iter(f"{{{v.NS_XOP}}}Include"))
    assert document["Content-ID"] == f"<{content_id_from_href(include.get('href', ''))}>"
    assert document.get_payload(decode=True) == DOCUMENT


def fault_of(answer: HttpAnswer) -> tuple[str, str | None]:
    env = read_envelope(parse_xml(b"".join(answer.body)))
    fault = read_fault(env.body)
    assert fault is not None
    relates_to = next((h.text for h in env.headers if h.tag == f"{{{v.NS_WSA}}}RelatesTo"), None)
    return fault.reason, relates_to


def test_refused_multipart_messages_are_sender_faults_413_when_too_large() -> None:
    good = mtom_request(["cid:d@x"], {"d@x": DOCUMENT})
    answer = MTOM_ENDPOINT.handle(MULTIPART, io.BytesIO(good[:-10]))
    assert answer.status == 400
    assert "mime_unterminated" in fault_of(answer)[0]
    answer = MTOM_ENDPOINT.handle("multipart/related", io.BytesIO(good))
    assert answer.status == 400
    assert "mime_boundary_missing" in fault_of(answer)[0]
    huge = mtom_request(["cid:d@x"], {"d@x": DOCUMENT * 10})
    answer = MTOM_ENDPOINT.handle(MULTIPART, io.BytesIO(huge))
    assert answer.status == 413
    assert "mime_message_too_large" in fault_of(answer)[0]


def test_an_include_of_an_unknown_part_is_a_sender_fault_related_to_the_request() -> None:
    answer = MTOM_ENDPOINT.handle(MULTIPART, io.BytesIO(mtom_request(["cid:nope@x"], {})))
    reason, relates_to = fault_of(answer)
    assert answer.status == 400
    assert "xop_unknown_content_id" in reason
    assert relates_to is not None
    assert relates_to.startswith("urn:uuid:")


def test_a_too_large_plain_envelope_is_413() -> None:
    endpoint = SoapEndpoint({ECHO: echo}, limits=XmlLimits(max_bytes=200))
    answer = endpoint.handle(
        "application/soap+xml", io.BytesIO(build_request(ECHO, etree.Element("x")))
    )
    assert answer.status == 413
