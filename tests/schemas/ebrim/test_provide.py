from __future__ import annotations

import base64

import pytest
from lxml import etree

from schemas import vocabulary as v
from schemas.ebrim.attachments import no_attachments
from schemas.ebrim.provide import (
    build_provide_and_register_request,
    parse_provide_and_register_request,
    read_provide_and_register_request,
)
from schemas.ebrim.wire import lcm, xdsb, xop
from schemas.model import (
    Document,
    DocumentContent,
    DocumentEntry,
    InlineContent,
    ProvideAndRegisterRequest,
    SubmitObjectsRequest,
    XdsMetadata,
)
from schemas.soap import SoapFault
from schemas.xml import parse_xml, to_bytes
from tests.support import xds_samples
from tests.support.attachments import AttachmentStore
from tests.support.xsd import assert_valid

PDF = InlineContent(b"%PDF-1.7 synthetic\n" * 10)
TEXT = InlineContent("Epikrise for en syntetisk pasient: æøå".encode())


def request() -> ProvideAndRegisterRequest:
    de = xds_samples.document_entry()
    second = DocumentEntry(entry_uuid="Document02", mime_type="text/plain")
    return ProvideAndRegisterRequest(
        submission=SubmitObjectsRequest(
            metadata=XdsMetadata(
                submission_sets=(xds_samples.submission_set(),), document_entries=(de, second)
            )
        ),
        documents=(
            Document(id=de.entry_uuid, content=PDF),
            Document(id="Document02", content=TEXT),
        ),
    )


def test_inline_documents_round_trip() -> None:
    built = build_provide_and_register_request(request())
    assert_valid(built)
    documents = built.findall(xdsb("Document"))
    assert [d.get("id") for d in documents] == [xds_samples.DOCUMENT_UUID, "Document02"]
    assert base64.b64decode(documents[1].text or "") == TEXT.data
    assert parse_provide_and_register_request(parse_xml(to_bytes(built))) == request()


def test_xop_documents_round_trip_through_the_attachment_contract() -> None:
    store = AttachmentStore()
    built = build_provide_and_register_request(request(), store.attach)
    includes = list(built.iter(xop("Include")))
    assert [i.get("href") for i in includes] == [
        "cid:part%201@dokdeling.test",
        "cid:part%202@dokdeling.test",
    ]
    assert all(d.text is None for d in built.findall(xdsb("Document")))
    assert_valid(store.reconstitute(built))
    parsed = parse_provide_and_register_request(parse_xml(to_bytes(built)), store.resolve)
    assert parsed == request()


def test_mixed_inline_and_xop_documents() -> None:
    store = AttachmentStore()

    def attach_large(content: DocumentContent) -> str | None:
        return store.attach(content) if content.size > 100 else None

    built = build_provide_and_register_request(request(), attach_large)
    assert len(list(built.iter(xop("Include")))) == 1
    assert parse_provide_and_register_request(built, store.resolve) == request()


def test_rim_step_keeps_documents() -> None:
    built = build_provide_and_register_request(request())
    rim_request = read_provide_and_register_request(built)
    assert [d.id for d in rim_request.documents] == [xds_samples.DOCUMENT_UUID, "Document02"]
    assert len(list(rim_request.submission.object_list.submission_sets())) == 1


def pnr_with_document(document: etree._Element) -> etree._Element:
    root = build_provide_and_register_request(
        ProvideAndRegisterRequest(
            submission=SubmitObjectsRequest(metadata=XdsMetadata()), documents=()
        )
    )
    root.append(document)
    return root


def document_element(text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.Element(xdsb("Document"), attributes)
    element.text = text
    return element


def test_base64_with_line_breaks_is_read() -> None:
    encoded = base64.encodebytes(PDF.data).decode("ascii")  # wrapped at 76 characters
    parsed = parse_provide_and_register_request(
        pnr_with_document(document_element(encoded, id="d"))
    )
    assert parsed.documents == (Document(id="d", content=PDF),)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (document_element("QUJD"), "has no id attribute"),
        (document_element("not base64!", id="d"), "is not valid base64"),
    ],
)
def test_malformed_documents_are_sender_faults(document: etree._Element, message: str) -> None:
    with pytest.raises(SoapFault, match=message):
        parse_provide_and_register_request(pnr_with_document(document))


def include(href: str) -> etree._Element:
    element = document_element(id="d")
    etree.SubElement(element, xop("Include"), href=href, nsmap={"xop": v.NS_XOP})
    return element


def test_xop_include_faults() -> None:
    with pytest.raises(SoapFault, match="is not a cid: URL"):
        parse_provide_and_register_request(pnr_with_document(include("http://x/y")))
    with pytest.raises(SoapFault, match="has no attachments"):
        parse_provide_and_register_request(pnr_with_document(include("cid:a@b")), no_attachments)
    with pytest.raises(SoapFault, match="no MIME part"):
        parse_provide_and_register_request(
            pnr_with_document(include("CID:a@b")), AttachmentStore().resolve
        )
    two = include("cid:a@b")
    two.append(etree.Element("other"))
    with pytest.raises(SoapFault, match="one xop:Include only"):
        parse_provide_and_register_request(pnr_with_document(two))


def test_resolver_gets_the_percent_decoded_content_id() -> None:
    seen: list[str] = []

    def resolve(content_id: str) -> InlineContent:
        seen.append(content_id)
        return TEXT

    parsed = parse_provide_and_register_request(
        pnr_with_document(include("cid:1.urn%3Auuid%3Aabc%40apache.org")), resolve
    )
    assert seen == ["1.urn:uuid:abc@apache.org"]
    assert parsed.documents[0].content == TEXT


def test_wrong_root_and_missing_submission() -> None:
    with pytest.raises(SoapFault, match="xdsb:ProvideAndRegisterDocumentSetRequest"):
        parse_provide_and_register_request(etree.Element(lcm("SubmitObjectsRequest")))
    with pytest.raises(SoapFault, match="has no lcm:SubmitObjectsRequest"):
        parse_provide_and_register_request(
            etree.Element(xdsb("ProvideAndRegisterDocumentSetRequest"))
        )
