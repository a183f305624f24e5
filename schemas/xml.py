"""Hardened XML parsing: every XML byte that enters dokdeling goes through `parse_xml`.

Rules: no DTD at all (so no entity can be declared, expanded or fetched), no network, a size limit,
a nesting-depth limit and an element-count limit. Each violation raises `UnsafeXml` with its own
`UnsafeXmlReason`, so the transaction edge can answer with a specific SOAP Fault.

The DOCTYPE check runs on the raw prolog before libxml2 sees the document; libxml2's own guards
(`resolve_entities=False`, `no_network=True`, `load_dtd=False`) stay on as a second line.
"""

from __future__ import annotations

import codecs
import functools
import re
import threading
from dataclasses import dataclass
from enum import StrEnum

from lxml import etree


class UnsafeXmlReason(StrEnum):
    TOO_LARGE = "xml_too_large"
    DOCTYPE_FORBIDDEN = "xml_doctype_forbidden"
    ENTITY_FORBIDDEN = "xml_entity_forbidden"
    TOO_DEEP = "xml_too_deep"
    TOO_MANY_ELEMENTS = "xml_too_many_elements"
    MALFORMED = "xml_malformed"


class UnsafeXml(ValueError):
    """XML that dokdeling refuses to process, with the reason why."""

    def __init__(self, reason: UnsafeXmlReason, detail: str) -> None:
        super().__init__(f"{reason.value}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True, kw_only=True)
class XmlLimits:
    """Bounds for one XML document. Inline (base64) documents count towards `max_bytes`."""

    max_bytes: int = 64 * 1024 * 1024
    max_depth: int = 64
    max_elements: int = 1_000_000


DEFAULT_LIMITS = XmlLimits()
_PROLOG_WINDOW = 64 * 1024
_PROLOG_ITEM = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)
_ENCODING_DECL = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


_PARSERS = threading.local()


def _parser() -> etree.XMLParser:
    """This thread's parser: building one costs more than parsing a small document, and an lxml
    parser may be reused for any number of documents, but by one thread at a time."""
    parser: etree.XMLParser | None = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = _PARSERS.parser = _make_parser()
    return parser


def _make_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=True,  # large inline documents; our own limits below replace libxml2's
        remove_blank_text=False,
        collect_ids=False,
    )


def _prolog_text(data: bytes) -> str:
    head = data[:_PROLOG_WINDOW]
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(encoding, errors="replace")
    if head.startswith(b"<\x00"):
        return head.decode("utf-16-le", errors="replace")
    if head.startswith(b"\x00<"):
        return head.decode("utf-16-be", errors="replace")
    declared = _ENCODING_DECL.match(head)
    encoding = declared.group(1).decode("ascii") if declared else "utf-8"
    try:
        return head.decode(encoding, errors="replace")
    except LookupError as exc:
        raise UnsafeXml(UnsafeXmlReason.MALFORMED, f"unknown encoding {encoding!r}") from exc


def _reject_doctype(data: bytes) -> None:
    text = _prolog_text(data)
    position = 0
    while True:
        item = _PROLOG_ITEM.match(text, position)
        if item is None or item.end() == position:
            break
        position = item.end()
    rest = text[position : position + 9]
    if rest.upper().startswith("<!DOCTYPE"):
        raise UnsafeXml(UnsafeXmlReason.DOCTYPE_FORBIDDEN, "documents with a DOCTYPE are refused")
    if position >= len(text) and len(data) > _PROLOG_WINDOW:
        raise UnsafeXml(UnsafeXmlReason.MALFORMED, "XML prolog is longer than 64 KiB")


@functools.lru_cache(maxsize=8)
def _deeper_than(max_depth: int) -> etree.XPath:
    """Selects the elements nested deeper than `max_depth` (the root is at depth 1)."""
    return etree.XPath("/*" * (max_depth + 1))


_ELEMENT_COUNT = etree.XPath("count(//*)")


def _check_shape(root: etree._Element, limits: XmlLimits) -> None:
    """Depth, element count and entity references, checked by libxml2 (XPath and a typed
    iterator) rather than a Python walk over every element."""
    if _deeper_than(limits.max_depth)(root):
        raise UnsafeXml(
            UnsafeXmlReason.TOO_DEEP, f"nesting deeper than {limits.max_depth} elements"
        )
    count = _ELEMENT_COUNT(root)
    if isinstance(count, float) and count > limits.max_elements:
        raise UnsafeXml(
            UnsafeXmlReason.TOO_MANY_ELEMENTS, f"more than {limits.max_elements} elements"
        )
    entity = next(root.iter(etree.Entity), None)
    if entity is not None:
        raise UnsafeXml(UnsafeXmlReason.ENTITY_FORBIDDEN, f"entity reference {entity!r}")


def parse_xml(data: bytes, limits: XmlLimits = DEFAULT_LIMITS) -> etree._Element:
    """Parse untrusted XML bytes into an element tree, or raise `UnsafeXml`."""
    if len(data) > limits.max_bytes:
        raise UnsafeXml(
            UnsafeXmlReason.TOO_LARGE, f"{len(data)} bytes exceeds the limit of {limits.max_bytes}"
        )
    _reject_doctype(data)
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        message = str(exc)
        if "Excessive depth" in message:
            raise UnsafeXml(UnsafeXmlReason.TOO_DEEP, message) from exc
        if "Entity" in message or "entity" in message:
            raise UnsafeXml(UnsafeXmlReason.ENTITY_FORBIDDEN, message) from exc
        raise UnsafeXml(UnsafeXmlReason.MALFORMED, message) from exc
    if root is None:
        raise UnsafeXml(UnsafeXmlReason.MALFORMED, "empty document")
    docinfo = root.getroottree().docinfo
    # lxml-stubs lacks these two attributes; both exist on every lxml DocInfo.
    doctype: str = getattr(docinfo, "doctype", "")
    internal_dtd: object = getattr(docinfo, "internalDTD", None)
    if doctype or internal_dtd is not None:
        raise UnsafeXml(UnsafeXmlReason.DOCTYPE_FORBIDDEN, "documents with a DOCTYPE are refused")
    _check_shape(root, limits)
    return root


def to_bytes(element: etree._Element, *, declaration: bool = True) -> bytes:
    """Serialise an element as UTF-8."""
    return etree.tostring(element, encoding="UTF-8", xml_declaration=declaration)
