"""Our MTOM output is standard MIME (stdlib `email`), zeep reads it, our reader round-trips it."""

from __future__ import annotations

import base64
import email.parser
import email.policy
import hashlib
import io
import os
from email.message import EmailMessage

import pytest
from lxml import etree
from requests_toolbelt.multipart.decoder import MultipartDecoder  # type: ignore[import-untyped]
from zeep.wsdl.attachments import MessagePack
from zeep.wsdl.messages.xop import process_xop

from schemas import vocabulary as v
from schemas.model.messages import InlineContent
from schemas.mtom import (
    MtomBody,
    OutgoingAttachment,
    OutgoingAttachments,
    bare_content_id,
    cid_href,
    content_id_from_href,
    read_multipart,
    write_mtom,
)
from tests.support.mtom import envelope_with_includes

DOCUMENTS = [b"%PDF-1.7\r\n" + os.urandom(200_000) + b"\r\n--\r\n", b"", b"<a>\xc3\xa6\xc3\xb8</a>"]


def response(documents: list[bytes]) -> tuple[MtomBody, list[str]]:
    outgoing = OutgoingAttachments()
    content_ids = [outgoing.attach(InlineContent(data)) for data in documents]
    root = envelope_with_includes([cid_href(c) for c in content_ids])
    body = write_mtom(root, outgoing.parts, action=v.ACTION_RETRIEVE + "Response", chunk_size=4096)
    return body, content_ids


def stdlib_parse(body: MtomBody) -> EmailMessage:
    raw = b"".join(body.chunks)
    head = f"Content-Type: {body.content_type}\r\n\r\n".encode("ascii")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + raw)
    assert isinstance(message, EmailMessage)
    return message


def test_the_stdlib_email_parser_reads_our_package() -> None:
    body, content_ids = response(DOCUMENTS)
    message = stdlib_parse(body)
    assert message.get_content_type() == "multipart/related"
    assert message.get_param("type") == "application/xop+xml"
    assert message.get_param("start-info") == "application/soap+xml"
    assert not message.defects
    root, *parts = message.iter_parts()
    assert f"<{bare_content_id(str(message.get_param('start')))}>" == root["Content-ID"]
    assert root.get_content_type() == "application/xop+xml"
    assert root.get_param("type") == f'application/soap+xml; action="{v.ACTION_RETRIEVE}Response"'
    root_bytes = root.get_payload(decode=True)
    assert isinstance(root_bytes, bytes)
    hrefs = [e.get("href") for e in etree.fromstring(root_bytes).iter("{*}Include")]
    assert [content_id_from_href(str(h)) for h in hrefs] == content_ids
    for part, content_id, data in zip(parts, content_ids, DOCUMENTS, strict=True):
        assert part["Content-ID"] == f"<{content_id}>"
        assert part["Content-Transfer-Encoding"] == "binary"
        assert part.get_payload(decode=True) == data


def test_zeep_reads_our_package_as_it_reads_an_mtom_response() -> None:
    # zeep strips CR and LF from both ends of a binary part, so these documents have none there.
    documents = [b"%PDF-1.7\r\n" + os.urandom(200_000) + b"\r\n%%EOF", b"<a>\xc3\xa6</a>"]
    body, _ = response(documents)
    decoder = MultipartDecoder(b"".join(body.chunks), body.content_type, "utf-8")
    document = etree.fromstring(decoder.parts[0].content)
    pack = MessagePack(parts=decoder.parts[1:])  # type: ignore[no-untyped-call]
    assert process_xop(document, pack)  # type: ignore[no-untyped-call]
    inlined = [e.text or "" for e in document.iter(f"{{{v.NS_XDSB}}}Document")]
    assert [base64.b64decode(text) for text in inlined] == documents


def test_round_trip_through_our_reader() -> None:
    body, content_ids = response(DOCUMENTS)
    chunks = list(body.chunks)
    assert max(len(c) for c in chunks) <= 4096 + 500  # one document chunk (or headers) at a time
    with read_multipart(body.content_type, io.BytesIO(b"".join(chunks))) as message:
        assert b"ProvideAndRegisterDocumentSetRequest" in message.root
        for content_id, data in zip(content_ids, DOCUMENTS, strict=True):
            attachment = message.attachment(content_id)
            assert attachment.sha256 == hashlib.sha256(data).hexdigest()
            assert attachment.content_type == "application/octet-stream"


def test_file_like_content_is_read_in_chunks_and_closed() -> None:
    stream = io.BytesIO(b"x" * 10_000)
    part = OutgoingAttachment(content_id="f@x", content=stream, content_type="text/plain")
    body = write_mtom(b"<e/>", [part], chunk_size=1000)
    assert ";" not in body.content_type.split("boundary=")[1]
    message = stdlib_parse(body)
    assert stream.closed
    assert [p.get_payload(decode=True) for p in message.iter_parts()] == [b"<e/>", b"x" * 10_000]


def test_nothing_is_opened_before_the_body_is_iterated() -> None:
    class Refusing:
        size = 1

        def open(self) -> io.BytesIO:
            raise AssertionError("opened too early")

    body = write_mtom(b"<e/>", [OutgoingAttachment(content_id="r@x", content=Refusing())])
    assert next(body.chunks).endswith(b"<e/>")


@pytest.mark.parametrize("value", ["a\r\nInjected: yes", "", "blå@x", 'a"b'])
def test_header_values_are_checked(value: str) -> None:
    with pytest.raises(ValueError, match="printable ASCII"):
        OutgoingAttachment(content_id=value, content=InlineContent(b""))
    with pytest.raises(ValueError, match="printable ASCII"):
        write_mtom(b"<e/>", [], action=value or "\n")


def test_cid_urls() -> None:
    assert cid_href("doc 1@x") == "cid:doc%201@x"
    assert content_id_from_href(cid_href("doc 1/ø@x")) == "doc 1/ø@x"
    assert content_id_from_href("CID:a%40b") == "a@b"
    assert bare_content_id(" <a@b> ") == bare_content_id("a@b") == "a@b"
