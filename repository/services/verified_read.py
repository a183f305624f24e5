"""A large document streamed from storage, each piece verified before it is passed on.

The bytes are read in pieces of the document's checkpoint interval (4 MiB) into one running
SHA-256; at the end of each piece the running digest must be the piece's recorded checkpoint
(`repository.model.Sha256Checkpoints`: the SHA-256 of everything up to there) before the piece
leaves. The last checkpoint is the document's SHA-256, so the whole document is verified too, in
the same single pass. A piece that does not verify is never passed on: `IntegrityFailure` is
raised instead, which cuts an MTOM answer off before its closing boundary (the HTTP server then
closes the connection), so a consumer never receives a complete answer with corrupted bytes.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO

from repository.model import Sha256Checkpoints, StoredDocument
from repository.storage.documents import DocumentStorage, StorageError

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

log = logging.getLogger(__name__)


class IntegrityFailure(StorageError):
    """Stored bytes are not the ones recorded when the document was stored."""


def _nothing() -> None:
    """No one to tell of a failure."""


def streams_verified(document: StoredDocument) -> bool:
    """Whether the document is served piece by piece: it has checkpoints that belong to it and
    is larger than one piece (smaller and older documents are verified whole before sending)."""
    digest = document.digest
    checkpoints = digest.checkpoints
    return (
        checkpoints is not None
        and digest.size > checkpoints.interval
        and checkpoints.belong_to(digest.size, digest.sha256)
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class VerifiedStream:
    """A registered document's bytes as a `DocumentContent` that reads storage when sent;
    `chunks()` gives the verified pieces (what the MTOM writer sends) and calls `on_failure`
    (e.g. a metric) before raising `IntegrityFailure`."""

    storage: DocumentStorage
    document: StoredDocument
    on_failure: Callable[[], None] = field(default=_nothing, compare=False)

    @property
    def size(self) -> int:
        return self.document.digest.size

    @property
    def content_type(self) -> str:
        return self.document.mime_type

    def chunks(self) -> Iterator[bytes]:
        checkpoints = self.document.digest.checkpoints
        assert checkpoints is not None  # streams_verified(document) chose this content
        try:
            yield from _verified_pieces(self.storage, self.document, checkpoints)
        except IntegrityFailure:
            self.on_failure()
            raise

    def open(self) -> BinaryIO:
        return io.BufferedReader(_PieceReader(self.chunks()))


def _verified_pieces(
    storage: DocumentStorage, document: StoredDocument, checkpoints: Sha256Checkpoints
) -> Iterator[bytes]:
    ends = checkpoints.ends(document.digest.size)
    running = hashlib.sha256()
    pending: list[bytes] = []
    position = index = 0
    last = b""
    source = storage.read(document.storage_key, checkpoints.interval)
    try:
        for data in source:
            piece = data
            while piece:
                if index == len(ends):
                    raise _failure(document, "holds more bytes than were stored")
                take = min(len(piece), ends[index] - position)
                part, piece = (piece, b"") if take == len(piece) else (piece[:take], piece[take:])
                running.update(part)
                pending.append(part)
                position += take
                if position < ends[index]:
                    continue
                if running.digest() != checkpoints.at(index):
                    start = ends[index - 1] if index else 0
                    raise _failure(document, f"differs from its record in bytes {start}–{position}")
                verified = pending[0] if len(pending) == 1 else b"".join(pending)
                pending = []
                index += 1
                if index < len(ends):
                    yield verified
                else:
                    last = verified  # sent once storage has nothing more
        if index < len(ends):
            raise _failure(document, f"ends after {position} of {document.digest.size} bytes")
        yield last
    finally:
        source.close()


def _failure(document: StoredDocument, what: str) -> IntegrityFailure:
    log.error(
        "INTEGRITY: document %s (key %s) %s; its answer is cut off before those bytes",
        document.unique_id,
        document.storage_key,
        what,
    )
    return IntegrityFailure(f"document {document.unique_id} {what}")


class _PieceReader(io.RawIOBase):
    """A readable stream over the verified pieces (for readers other than the MTOM writer)."""

    def __init__(self, pieces: Iterator[bytes]) -> None:
        super().__init__()
        self._pieces = pieces
        self._current = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        while not self._current:
            piece = next(self._pieces, None)
            if piece is None:
                return 0
            self._current = memoryview(piece)
        view = memoryview(buffer).cast("B")
        count = min(len(view), len(self._current))
        view[:count] = self._current[:count]
        self._current = self._current[count:]
        return count

    def close(self) -> None:
        if not self.closed:
            close = getattr(self._pieces, "close", None)
            if close is not None:
                close()
        super().close()
