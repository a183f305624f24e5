"""Reading a received SOAP message: an MTOM/XOP `multipart/related` package or a plain envelope.

`read_multipart` streams the body once: the root part (the SOAP envelope, `start` or else the first
part) is buffered up to `max_root_bytes`, every other part goes into the message's
`AttachmentSpool`. The `ReceivedMessage` is a context manager; closing it removes the spooled data,
and a refused message is closed before the refusal propagates.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import TracebackType

from schemas.mtom.attachment import (
    Attachment,
    AttachmentSpool,
    decode_base64_chunks,
    find_attachment,
)
from schemas.mtom.headers import (
    BASE64_ENCODING,
    XML_ROOT_TYPES,
    Package,
    PartHeaders,
    parse_media_type,
    read_package_type,
    read_part_headers,
)
from schemas.mtom.limits import (
    DEFAULT_MESSAGE_LIMITS,
    MessageLimits,
    MultipartReason,
    MultipartRefused,
)
from schemas.mtom.scanner import BoundaryScanner, ReadableBody


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class ReceivedMessage:
    """A received message: the root XML bytes and the attachments keyed by bare Content-ID."""

    root: bytes
    root_content_type: str
    attachments: Mapping[str, Attachment]
    spool: AttachmentSpool

    @classmethod
    def single_part(
        cls, root: bytes, content_type: str, limits: MessageLimits = DEFAULT_MESSAGE_LIMITS
    ) -> ReceivedMessage:
        """A plain (non-multipart) message; its spool still takes decoded inline documents."""
        return cls(
            root=root, root_content_type=content_type, attachments={}, spool=AttachmentSpool(limits)
        )

    def attachment(self, content_id: str) -> Attachment:
        """The part an `xop:Include` names (bare Content-ID); refused when there is none."""
        return find_attachment(self.attachments, content_id)

    def close(self) -> None:
        self.spool.close()

    def __enter__(self) -> ReceivedMessage:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def read_multipart(
    content_type: str, body: ReadableBody, limits: MessageLimits = DEFAULT_MESSAGE_LIMITS
) -> ReceivedMessage:
    """Read a `multipart/related` request body, or raise `MultipartRefused`."""
    package = read_package_type(content_type)
    spool = AttachmentSpool(limits)
    try:
        return _read_parts(package, BoundaryScanner(body, package.boundary, limits), spool, limits)
    except BaseException:
        spool.close()
        raise


@dataclass(slots=True)
class _Root:
    data: bytes
    content_type: str


def _read_parts(
    package: Package, scanner: BoundaryScanner, spool: AttachmentSpool, limits: MessageLimits
) -> ReceivedMessage:
    scanner.start()
    root: _Root | None = None
    attachments: dict[str, Attachment] = {}
    seen: set[str] = set()
    while not scanner.finished:
        part = read_part_headers(scanner.part_headers())
        if part.content_id in seen:
            raise MultipartRefused(
                MultipartReason.CONTENT_ID_DUPLICATE,
                f"two parts have Content-ID <{part.content_id}>",
            )
        if part.content_id:
            seen.add(part.content_id)
        body = _decoded(part, scanner.part_body())
        if root is None and package.start in (None, part.content_id):
            root_type = part.content_type or package.root_type or ""
            _check_root_type(root_type)
            root = _Root(_read_root(body, limits), root_type)
            continue
        _check_attachment(part, len(attachments), limits)
        attachments[part.content_id] = spool.store(
            body, content_id=part.content_id, content_type=part.content_type
        )
    if root is None:
        raise MultipartRefused(
            MultipartReason.START_PART_MISSING,
            f"no part has the start Content-ID <{package.start}>",
        )
    return ReceivedMessage(
        root=root.data, root_content_type=root.content_type, attachments=attachments, spool=spool
    )


def _decoded(part: PartHeaders, chunks: Iterator[bytes]) -> Iterable[bytes]:
    return decode_base64_chunks(chunks) if part.transfer_encoding == BASE64_ENCODING else chunks


def _read_root(chunks: Iterable[bytes], limits: MessageLimits) -> bytes:
    data = bytearray()
    for chunk in chunks:
        data += chunk
        if len(data) > limits.max_root_bytes:
            raise MultipartRefused(
                MultipartReason.ROOT_TOO_LARGE,
                f"the root part is larger than {limits.max_root_bytes} bytes",
            )
    return bytes(data)


def _check_attachment(part: PartHeaders, count: int, limits: MessageLimits) -> None:
    if not part.content_id:
        raise MultipartRefused(
            MultipartReason.CONTENT_ID_MISSING, "an attachment part has no Content-ID"
        )
    if count >= limits.max_attachments:
        raise MultipartRefused(
            MultipartReason.TOO_MANY_ATTACHMENTS,
            f"the message has more than {limits.max_attachments} attachments",
        )


def _check_root_type(content_type: str) -> None:
    if parse_media_type(content_type).essence not in XML_ROOT_TYPES:
        raise MultipartRefused(
            MultipartReason.ROOT_TYPE_UNSUPPORTED,
            f"the root part's Content-Type {content_type or '(none)'} is not XML",
        )
