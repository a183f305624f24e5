"""MIME header values of an XOP package: Content-Type parameters, part headers, Content-IDs, `cid:`.

Header values are parsed with the standard library's `email` header registry (quoted strings,
escapes and parameter lists); dokdeling only adds the checks XOP and RFC 2046/2387 need.
"""

from __future__ import annotations

import email.policy
import re
from collections.abc import Iterable
from dataclasses import dataclass
from email.headerregistry import ContentTypeHeader
from typing import cast
from urllib.parse import quote, unquote

from schemas.mtom.limits import MultipartReason, MultipartRefused
from schemas.soap import SOAP_CONTENT_TYPE

MULTIPART_RELATED = "multipart/related"
XOP_CONTENT_TYPE = "application/xop+xml"
XML_ROOT_TYPES = frozenset({XOP_CONTENT_TYPE, SOAP_CONTENT_TYPE, "text/xml"})
IDENTITY_ENCODINGS = frozenset({"binary", "8bit", "7bit"})
BASE64_ENCODING = "base64"
# RFC 2046 5.1.1: 1 to 70 characters from bchars, not ending with a space.
_BOUNDARY = re.compile(r"[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]")
_FOLD = re.compile(r"\r?\n(?=[ \t])")
_SINGLE_HEADERS = ("content-id", "content-type", "content-transfer-encoding")


@dataclass(frozen=True, slots=True)
class MediaType:
    """A Content-Type value: the lowercase `type/subtype` and its parameters (lowercase names)."""

    essence: str
    params: dict[str, str]


def parse_media_type(value: str) -> MediaType:
    """Parse a Content-Type value; a folded (multi-line) value is unfolded first."""
    value = _FOLD.sub(" ", value)
    header = cast(ContentTypeHeader, email.policy.HTTP.header_factory("content-type", value))
    if "/" not in value.split(";", 1)[0]:
        return MediaType(essence="", params={})
    params = {name.lower(): str(param) for name, param in header.params.items()}
    return MediaType(essence=header.content_type.lower(), params=params)


def bare_content_id(value: str) -> str:
    """A Content-ID or `start` value without surrounding whitespace and angle brackets."""
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1].strip()
    return value


def content_id_from_href(href: str) -> str:
    """The Content-ID an `xop:Include/@href` names: `cid:` removed, percent-decoded (RFC 2392)."""
    scheme, colon, rest = href.strip().partition(":")
    if not colon or scheme.lower() != "cid" or not rest:
        raise MultipartRefused(
            MultipartReason.XOP_HREF_INVALID, f"xop:Include href {href!r} is not a cid: URL"
        )
    return unquote(rest)


def cid_href(content_id: str) -> str:
    """The `cid:` URL that references a part from an `xop:Include`."""
    return "cid:" + quote(content_id, safe="@")


@dataclass(frozen=True, slots=True, kw_only=True)
class Package:
    """The parameters of a request's `multipart/related` Content-Type that the reader needs."""

    boundary: bytes
    start: str | None
    root_type: str | None


def read_package_type(content_type: str) -> Package:
    media = parse_media_type(content_type)
    if media.essence != MULTIPART_RELATED:
        shown = content_type.split(";", 1)[0].strip() or "(none)"
        raise MultipartRefused(
            MultipartReason.CONTENT_TYPE_INVALID, f"expected {MULTIPART_RELATED}, got {shown}"
        )
    boundary = media.params.get("boundary")
    if not boundary:
        raise MultipartRefused(
            MultipartReason.BOUNDARY_MISSING, "the multipart Content-Type has no boundary"
        )
    if not _BOUNDARY.fullmatch(boundary):
        raise MultipartRefused(
            MultipartReason.BOUNDARY_INVALID,
            f"boundary {boundary[:80]!r} is not 1-70 RFC 2046 characters",
        )
    for name in ("type", "start-info"):  # RFC 2387 and MTOM: what the root part holds
        value = media.params.get(name)
        if value is not None and parse_media_type(value).essence not in XML_ROOT_TYPES:
            raise MultipartRefused(
                MultipartReason.ROOT_TYPE_UNSUPPORTED, f"{name}={value!r} is not an XML root part"
            )
    root_type = media.params.get("type")
    start = media.params.get("start")
    return Package(
        boundary=boundary.encode("ascii"),
        start=bare_content_id(start) if start else None,
        root_type=root_type,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class PartHeaders:
    """What the reader uses of one part's headers."""

    content_id: str
    content_type: str
    transfer_encoding: str


def read_part_headers(lines: Iterable[str]) -> PartHeaders:
    """Interpret unfolded header lines; the three headers that matter may appear only once."""
    found: dict[str, str] = {}
    for line in lines:
        name, colon, value = line.partition(":")
        name = name.strip().lower()
        if not colon or not name or " " in name:
            raise MultipartRefused(
                MultipartReason.HEADER_MALFORMED, f"part header line {line[:80]!r}"
            )
        if name in _SINGLE_HEADERS:
            if name in found:
                raise MultipartRefused(
                    MultipartReason.HEADER_MALFORMED, f"a part repeats its {name} header"
                )
            found[name] = value.strip()
    encoding = found.get("content-transfer-encoding", "binary").lower()
    if encoding not in IDENTITY_ENCODINGS and encoding != BASE64_ENCODING:
        raise MultipartRefused(
            MultipartReason.TRANSFER_ENCODING_UNSUPPORTED,
            f"Content-Transfer-Encoding {encoding!r} (binary, 8bit, 7bit or base64 only)",
        )
    return PartHeaders(
        content_id=bare_content_id(found.get("content-id", "")),
        content_type=found.get("content-type", ""),
        transfer_encoding=encoding,
    )
