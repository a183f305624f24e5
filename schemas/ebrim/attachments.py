"""The contract between the document codecs and the MTOM layer.

An `xdsb:Document` (ITI-41 request, ITI-43 response) holds its bytes either inline as base64 or as
`<xop:Include href="cid:…"/>`. Parsing takes an `AttachmentResolver`: given the Content-ID (without
`cid:`, percent-decoded) it returns the MIME part as `DocumentContent`, or raises a `SoapFault`
(Sender) when the message has no such part. Building takes an `AttachmentWriter`: given the
content it returns the Content-ID to reference with `xop:Include` (the MTOM layer then sends the
part), or None to inline the bytes as base64.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from typing import TypeAlias
from urllib.parse import quote, unquote

from lxml import etree

from schemas import vocabulary as v
from schemas.ebrim.wire import display_name, xop
from schemas.model.messages import DocumentContent, InlineContent
from schemas.soap import sender_fault

AttachmentResolver: TypeAlias = Callable[[str], DocumentContent]
AttachmentWriter: TypeAlias = Callable[[DocumentContent], str | None]

CID_SCHEME = "cid:"
_CID_SAFE = "@!$&'()*+,;=:-._~"
_WHITESPACE = re.compile(r"\s+")


def no_attachments(content_id: str) -> DocumentContent:
    """The resolver of a message without MIME parts (plain SOAP): every reference is an error."""
    raise sender_fault(
        f"xop:Include refers to cid:{content_id}, but the message has no attachments"
    )


def inline_all(content: DocumentContent) -> str | None:
    """The writer of a plain SOAP message: every document is inlined as base64."""
    return None


def read_document_content(
    element: etree._Element, attachment: AttachmentResolver
) -> DocumentContent:
    """The bytes of an `xdsb:Document`: its attachment, or its inline base64 text."""
    children = list(element.iterchildren("*"))
    if children:
        include = children[0]
        if len(children) > 1 or include.tag != xop("Include"):
            raise sender_fault(
                f"{display_name(element.tag)} may hold base64 text or one xop:Include only"
            )
        href = include.get("href", "")
        if href[: len(CID_SCHEME)].lower() != CID_SCHEME:
            raise sender_fault(f"xop:Include href {href!r} is not a cid: URL")
        return attachment(unquote(href[len(CID_SCHEME) :]))
    text = _WHITESPACE.sub("", element.text or "")
    try:
        return InlineContent(base64.b64decode(text, validate=True))
    except (binascii.Error, ValueError) as exc:
        raise sender_fault(f"{display_name(element.tag)} is not valid base64") from exc


def write_document_content(
    element: etree._Element, content: DocumentContent, attach: AttachmentWriter
) -> None:
    """Fill an `xdsb:Document`: an `xop:Include` when `attach` gives a Content-ID, else base64."""
    content_id = attach(content)
    if content_id is None:
        with content.open() as stream:
            element.text = base64.b64encode(stream.read()).decode("ascii")
        return
    include = etree.SubElement(element, xop("Include"), nsmap={"xop": v.NS_XOP})
    include.set("href", CID_SCHEME + quote(content_id, safe=_CID_SAFE))
