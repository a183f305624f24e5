"""Every malformed or hostile MTOM message is refused with its own reason and HTTP status."""

from __future__ import annotations

import io

import pytest

from schemas.mtom import (
    MessageLimits,
    MultipartReason,
    MultipartRefused,
    content_id_from_href,
    read_multipart,
)
from tests.support.mtom import XOP_ROOT, envelope_with_includes, multipart, part

R = MultipartReason
DEFAULT = MessageLimits()
CT = 'multipart/related; type="application/xop+xml"; boundary=b'
ROOT = part([XOP_ROOT, "Content-ID: <root@x>"], envelope_with_includes(["cid:d@x"]))
DOC = part(["Content-ID: <d@x>"], b"document")
GOOD = multipart("b", [ROOT, DOC])


class EndlessBody:
    """A hostile client: the same bytes for ever."""

    def __init__(self, head: bytes, filler: bytes) -> None:
        self._head = head
        self._filler = filler

    def read(self, size: int, /) -> bytes:
        head, self._head = self._head, b""
        return head or self._filler * max(1, size // len(self._filler))


def with_document(*headers: str, content: bytes = b"d") -> bytes:
    """The good root part followed by one part with these headers."""
    return multipart("b", [ROOT, part(list(headers), content)])


def root_only(*headers: str) -> bytes:
    return multipart("b", [part([XOP_ROOT, *headers], b"<x/>")])


CONTENT_TYPES = {
    "not multipart": ("application/soap+xml", R.CONTENT_TYPE_INVALID),
    "no media type": ("boundary=b", R.CONTENT_TYPE_INVALID),
    "no boundary": ('multipart/related; type="application/xop+xml"', R.BOUNDARY_MISSING),
    "empty boundary": ('multipart/related; boundary=""', R.BOUNDARY_MISSING),
    "boundary of 71": ("multipart/related; boundary=" + "b" * 71, R.BOUNDARY_INVALID),
    "boundary char": ('multipart/related; boundary="a<b"', R.BOUNDARY_INVALID),
    "boundary space": ('multipart/related; boundary="ab "', R.BOUNDARY_INVALID),
    "type not XML": ("multipart/related; type=image/png; boundary=b", R.ROOT_TYPE_UNSUPPORTED),
    "start-info not XML": (CT + '; start-info="text/plain"', R.ROOT_TYPE_UNSUPPORTED),
    "start not found": (CT + '; start="<nope@x>"', R.START_PART_MISSING),
}

BODIES = {
    "root part not XML": (
        multipart("b", [part(["Content-Type: image/png"], b"png"), DOC]),
        R.ROOT_TYPE_UNSUPPORTED,
    ),
    "no delimiter": (b"just some text\r\n", R.ROOT_PART_MISSING),
    "empty body": (b"", R.ROOT_PART_MISSING),
    "no parts": (b"--b--\r\n", R.ROOT_PART_MISSING),
    "cut in a part": (GOOD[:-20], R.UNTERMINATED),
    "cut in headers": (GOOD[:30], R.UNTERMINATED),
    "cut after boundary": (b"--b", R.UNTERMINATED),
    "no close delimiter": (GOOD[: -len(b"\r\n--b--")], R.UNTERMINATED),
    "header without colon": (root_only("Content-ID <r>"), R.HEADER_MALFORMED),
    "header repeated": (
        with_document("Content-ID: <d@x>", "Content-ID: <e@x>"),
        R.HEADER_MALFORMED,
    ),
    "header too large": (root_only("X-Filler: " + "a" * 20_000), R.HEADER_TOO_LARGE),
    "padding too long": (b"--b" + b" " * 20_000 + b"\r\n", R.HEADER_TOO_LARGE),
    "too many headers": (root_only(*(f"X-{n}: y" for n in range(40))), R.TOO_MANY_HEADERS),
    "no content id": (with_document("Content-Type: text/plain"), R.CONTENT_ID_MISSING),
    "duplicate content id": (multipart("b", [ROOT, DOC, DOC]), R.CONTENT_ID_DUPLICATE),
    "root id reused": (with_document("Content-ID: root@x"), R.CONTENT_ID_DUPLICATE),
    "quoted-printable": (
        with_document("Content-ID: <d@x>", "Content-Transfer-Encoding: quoted-printable"),
        R.TRANSFER_ENCODING_UNSUPPORTED,
    ),
    "bad base64": (
        with_document(
            "Content-ID: <d@x>", "Content-Transfer-Encoding: base64", content=b"QUJD!!!!"
        ),
        R.BASE64_INVALID,
    ),
}

LIMITS = {
    "too many attachments": (
        multipart("b", [ROOT, DOC, part(["Content-ID: <e@x>"], b"")]),
        MessageLimits(max_attachments=1),
        R.TOO_MANY_ATTACHMENTS,
    ),
    "root too large": (GOOD, MessageLimits(max_root_bytes=100), R.ROOT_TOO_LARGE),
    "message too large": (
        GOOD,
        MessageLimits(max_message_bytes=len(GOOD) - 1),
        R.MESSAGE_TOO_LARGE,
    ),
}

CASES = [
    *(pytest.param(ct, GOOD, DEFAULT, r, id=name) for name, (ct, r) in CONTENT_TYPES.items()),
    *(pytest.param(CT, body, DEFAULT, r, id=name) for name, (body, r) in BODIES.items()),
    *(pytest.param(CT, body, lim, r, id=name) for name, (body, lim, r) in LIMITS.items()),
]


@pytest.mark.parametrize(("content_type", "body", "limits", "reason"), CASES)
def test_refused_with_its_own_reason(
    content_type: str, body: bytes, limits: MessageLimits, reason: MultipartReason
) -> None:
    with pytest.raises(MultipartRefused) as refused:
        read_multipart(content_type, io.BytesIO(body), limits)
    assert refused.value.reason is reason
    assert refused.value.detail
    too_large = reason in (R.ROOT_TOO_LARGE, R.MESSAGE_TOO_LARGE)
    assert refused.value.http_status == (413 if too_large else 400)


def test_the_good_message_of_these_cases_is_accepted() -> None:
    limits = MessageLimits(max_attachments=1, max_message_bytes=len(GOOD))
    with read_multipart(CT + '; start="<root@x>"', io.BytesIO(GOOD), limits) as message:
        assert list(message.attachments) == ["d@x"]


@pytest.mark.parametrize(
    ("head", "filler", "reason"),
    [
        (b"", b"preamble without end ", R.MESSAGE_TOO_LARGE),
        (b"--b\r\n" + ROOT[:40], b"xxxxxxxx", R.HEADER_TOO_LARGE),
        (b"--b\r\n" + ROOT, b"envelope without end ", R.ROOT_TOO_LARGE),
        (
            GOOD[: -len(b"\r\n--b--")] + b"\r\n--b\r\nContent-ID: <e@x>\r\n\r\n",
            b"\0" * 4096,
            R.MESSAGE_TOO_LARGE,
        ),
    ],
    ids=["endless preamble", "endless header line", "endless root", "endless attachment"],
)
def test_endless_bodies_stop_at_a_limit(
    head: bytes, filler: bytes, reason: MultipartReason
) -> None:
    limits = MessageLimits(max_message_bytes=4 * 1024 * 1024, max_root_bytes=64 * 1024)
    with pytest.raises(MultipartRefused) as refused:
        read_multipart(CT, EndlessBody(head, filler), limits)
    assert refused.value.reason is reason


def test_unknown_content_id_and_bad_href() -> None:
    with read_multipart(CT, io.BytesIO(GOOD)) as message:
        with pytest.raises(MultipartRefused) as unknown:
            message.attachment("nope@x")
        assert unknown.value.reason is R.XOP_UNKNOWN_CONTENT_ID
        assert "cid:nope@x" in unknown.value.detail
    for href in ("http://example.com/d", "cid:", "d@x"):
        with pytest.raises(MultipartRefused) as bad:
            content_id_from_href(href)
        assert bad.value.reason is R.XOP_HREF_INVALID
