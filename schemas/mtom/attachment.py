"""Received document bytes: counted and hashed as they arrive, kept in memory or spilled to disk.

An `AttachmentSpool` belongs to one message. Parts are stored one after the other; while the
message's in-memory attachment bytes stay within `MessageLimits.spool_threshold` a part stays in
memory, past it the part goes to the spool's single temporary file (created unlinked, so nothing is
left behind even if the process dies). Closing the spool releases the memory and the file.
"""

from __future__ import annotations

import binascii
import hashlib
import io
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, BinaryIO, TypeVar

from schemas.mtom.limits import (
    DEFAULT_MESSAGE_LIMITS,
    MessageLimits,
    MultipartReason,
    MultipartRefused,
)

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

OCTET_STREAM = "application/octet-stream"
_BASE64_WHITESPACE = b" \t\r\n\f\v"

T = TypeVar("T")


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Attachment:
    """A received document (a MIME part or decoded inline base64): a `DocumentContent`.

    `sha1` is the XDS `hash`, `sha256` dokdeling's integrity check, both lowercase hex. `open()`
    gives an independent reader each time; it fails once the message is closed.
    """

    content_id: str
    content_type: str
    size: int
    sha1: str
    sha256: str
    _spool: AttachmentSpool = field(repr=False)
    _memory: bytes | None = field(repr=False)
    _offset: int = field(default=0, repr=False)

    @property
    def in_memory(self) -> bool:
        return self._memory is not None

    def open(self) -> BinaryIO:
        return self._spool.open_part(self._memory, self._offset, self.size)


class _SpilledReader(io.RawIOBase):
    """Reads one slice of the spool file through its own descriptor, so readers never interfere."""

    def __init__(self, descriptor: int, start: int, size: int) -> None:
        super().__init__()
        self._descriptor = descriptor
        self._start = start
        self._size = size
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer).cast("B")
        wanted = min(len(view), self._size - self._position)
        if wanted <= 0:
            return 0
        data = os.pread(self._descriptor, wanted, self._start + self._position)
        view[: len(data)] = data
        self._position += len(data)
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._position = base + offset
        return self._position

    def tell(self) -> int:
        return self._position

    def close(self) -> None:
        if not self.closed:
            os.close(self._descriptor)
        super().close()


class AttachmentSpool:
    """Where one message's attachments live until the message is closed (a context manager)."""

    def __init__(self, limits: MessageLimits = DEFAULT_MESSAGE_LIMITS) -> None:
        self._limits = limits
        self._memory_used = 0
        self._file: BinaryIO | None = None
        self._file_size = 0
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    def store(self, chunks: Iterable[bytes], *, content_id: str, content_type: str) -> Attachment:
        """Consume `chunks` into a new attachment, hashing and counting on the way."""
        self._check_open()
        sha1 = hashlib.sha1(usedforsecurity=False)
        sha256 = hashlib.sha256()
        memory = bytearray()
        offset: int | None = None
        size = 0
        for chunk in chunks:
            sha1.update(chunk)
            sha256.update(chunk)
            size += len(chunk)
            if offset is None and self._memory_used + size <= self._limits.spool_threshold:
                memory += chunk
                continue
            if offset is None:
                offset = self._append(memory)
                memory = bytearray()
            self._append(chunk)
        if offset is None:
            self._memory_used += size
        elif self._file is not None:
            self._file.flush()
        return Attachment(
            content_id=content_id,
            content_type=content_type,
            size=size,
            sha1=sha1.hexdigest(),
            sha256=sha256.hexdigest(),
            _spool=self,
            _memory=bytes(memory) if offset is None else None,
            _offset=offset or 0,
        )

    def decode_base64(
        self, text: str, *, content_id: str = "", content_type: str = OCTET_STREAM
    ) -> Attachment:
        """An inline base64 document (element text) decoded chunk by chunk into this spool."""
        step = self._limits.chunk_size
        pieces = (text[start : start + step] for start in range(0, len(text), step))
        return self.store(
            decode_base64_chunks(_ascii(piece) for piece in pieces),
            content_id=content_id,
            content_type=content_type,
        )

    def open_part(self, memory: bytes | None, offset: int, size: int) -> BinaryIO:
        """A fresh reader over a stored part (`Attachment.open`)."""
        self._check_open()
        if memory is not None:
            return io.BytesIO(memory)
        assert self._file is not None  # a spilled part implies the file exists
        raw = _SpilledReader(os.dup(self._file.fileno()), offset, size)
        return io.BufferedReader(raw, buffer_size=self._limits.chunk_size)

    def close(self) -> None:
        """Close the temporary file; attachments no longer open, readers already open still work."""
        self._closed = True
        self._memory_used = 0
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> AttachmentSpool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _append(self, data: bytes | bytearray) -> int:
        if self._file is None:
            # Closed by close(); the spool outlives any one `with` block.
            self._file = tempfile.TemporaryFile(  # noqa: SIM115
                dir=self._limits.spool_dir, prefix="dokdeling-"
            )
        offset = self._file_size
        self._file.write(data)
        self._file_size += len(data)
        return offset

    def _check_open(self) -> None:
        if self._closed:
            raise ValueError("the message these attachments belong to is closed")


def _ascii(piece: str) -> bytes:
    try:
        return piece.encode("ascii")
    except UnicodeEncodeError as exc:
        raise MultipartRefused(
            MultipartReason.BASE64_INVALID, "base64 text contains a non-ASCII character"
        ) from exc


def decode_base64_chunks(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Decode base64 text arriving in arbitrary pieces; whitespace is ignored, garbage refused."""
    pending = b""
    padded = False
    for chunk in chunks:
        data = pending + chunk.translate(None, _BASE64_WHITESPACE)
        usable = len(data) - len(data) % 4
        pending = data[usable:]
        if not usable:
            continue
        if padded:
            raise MultipartRefused(MultipartReason.BASE64_INVALID, "base64 text after padding")
        try:
            yield binascii.a2b_base64(data[:usable], strict_mode=True)
        except binascii.Error as exc:
            raise MultipartRefused(MultipartReason.BASE64_INVALID, f"base64: {exc}") from exc
        padded = data[usable - 1] == ord("=")
    if pending:
        raise MultipartRefused(
            MultipartReason.BASE64_INVALID, "base64 text ends inside a 4-character group"
        )


def find_attachment(attachments: Mapping[str, T], content_id: str) -> T:
    """The part an `xop:Include` names (by its Content-ID, without `cid:` or angle brackets)."""
    try:
        return attachments[content_id]
    except KeyError:
        raise MultipartRefused(
            MultipartReason.XOP_UNKNOWN_CONTENT_ID,
            f"xop:Include refers to cid:{content_id}, but no part has that Content-ID",
        ) from None
