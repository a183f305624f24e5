"""Building MTOM/XOP messages: the SOAP envelope as root part, documents streamed after it.

`write_mtom` returns the `Content-Type` value and a lazy iterator of `bytes` chunks; a document is
opened when its part is reached and read `chunk_size` bytes at a time, so a response never holds
more than one chunk of any document. A `StreamedContent` gives its own chunks, sent as they are
(no re-slicing); when producing them fails, the message ends there, without its closing
boundary. `OutgoingAttachments.attach` is the codec's `attach` callable.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO, Protocol, runtime_checkable

from schemas.model.messages import DocumentContent
from schemas.mtom.attachment import OCTET_STREAM
from schemas.mtom.headers import MULTIPART_RELATED, XOP_CONTENT_TYPE
from schemas.mtom.limits import DEFAULT_MESSAGE_LIMITS
from schemas.soap import SOAP_CONTENT_TYPE

_CRLF = b"\r\n"
_CONTENT_ID_DOMAIN = "dokdeling"


def new_content_id(label: str = "document") -> str:
    """A globally unique Content-ID (bare, without angle brackets)."""
    return f"{label}.{uuid.uuid4().hex}@{_CONTENT_ID_DOMAIN}"


@runtime_checkable
class StreamedContent(Protocol):
    """Content that produces its own chunks when sent (e.g. verified piece by piece as read)."""

    def chunks(self) -> Iterator[bytes]: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class OutgoingAttachment:
    """A part to send: a `DocumentContent` (opened when sent) or a file-like (closed when sent)."""

    content_id: str
    content: DocumentContent | BinaryIO
    content_type: str = OCTET_STREAM

    def __post_init__(self) -> None:
        _check_header_value(self.content_id)
        _check_header_value(self.content_type)


def _check_header_value(value: str) -> None:
    if not value or not value.isascii() or not value.isprintable() or '"' in value:
        raise ValueError(f"MIME header value {value!r} must be printable ASCII without quotes")


class OutgoingAttachments:
    """Collects the documents a response references; `attach` is the codec's build-side callable."""

    def __init__(self) -> None:
        self._parts: list[OutgoingAttachment] = []

    def attach(self, content: DocumentContent) -> str:
        """Send `content` as a part; the Content-ID to put in `xop:Include` (via `cid_href`)."""
        content_id = new_content_id()
        self._parts.append(OutgoingAttachment(content_id=content_id, content=content))
        return content_id

    @property
    def parts(self) -> tuple[OutgoingAttachment, ...]:
        return tuple(self._parts)


@dataclass(frozen=True, slots=True, kw_only=True)
class MtomBody:
    """An MTOM message to send: its HTTP `Content-Type` and its bytes, produced on demand."""

    content_type: str
    chunks: Iterator[bytes]


def write_mtom(
    root: bytes,
    attachments: Sequence[OutgoingAttachment],
    *,
    action: str | None = None,
    chunk_size: int = DEFAULT_MESSAGE_LIMITS.chunk_size,
) -> MtomBody:
    """A SOAP 1.2 MTOM package: `root` (the envelope bytes, UTF-8) and one part per attachment."""
    if action is not None:
        _check_header_value(action)
    boundary = f"MIMEBoundary_{uuid.uuid4().hex}"
    root_id = new_content_id("root")
    soap_type = f'{SOAP_CONTENT_TYPE}; action=\\"{action}\\"' if action else SOAP_CONTENT_TYPE
    root_headers = _headers(f'{XOP_CONTENT_TYPE}; charset=UTF-8; type="{soap_type}"', root_id)
    content_type = (
        f'{MULTIPART_RELATED}; type="{XOP_CONTENT_TYPE}"; start="<{root_id}>"; '
        f'start-info="{SOAP_CONTENT_TYPE}"; boundary={boundary}'
    )
    dash = b"--" + boundary.encode("ascii")
    return MtomBody(
        content_type=content_type,
        chunks=_chunks(dash, root_headers + root, tuple(attachments), chunk_size),
    )


def _headers(content_type: str, content_id: str) -> bytes:
    lines = (
        f"Content-Type: {content_type}",
        "Content-Transfer-Encoding: binary",
        f"Content-ID: <{content_id}>",
    )
    return "\r\n".join(lines).encode("ascii") + _CRLF + _CRLF


def _chunks(
    dash: bytes, root_part: bytes, attachments: tuple[OutgoingAttachment, ...], chunk_size: int
) -> Iterator[bytes]:
    yield dash + _CRLF + root_part
    for attachment in attachments:
        yield _CRLF + dash + _CRLF + _headers(attachment.content_type, attachment.content_id)
        if isinstance(attachment.content, StreamedContent):
            yield from attachment.content.chunks()
            continue
        with _open(attachment.content) as stream:
            while chunk := stream.read(chunk_size):
                yield chunk
    yield _CRLF + dash + b"--" + _CRLF


def _open(content: DocumentContent | BinaryIO) -> BinaryIO:
    return content.open() if isinstance(content, DocumentContent) else content
