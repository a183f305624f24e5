"""Where document bytes live: the `DocumentStorage` Protocol both backends implement.

A backend stores immutable objects under keys the repository chooses (`new_storage_key`). `put`
streams the bytes in while counting and hashing them (`DigestingReader`), so memory stays bounded
whatever the size, and an object is visible under its key only once complete; the same SHA-256
pass records a checkpoint every `CHECKPOINT_INTERVAL` bytes (`CheckpointedSha256`). Reading
streams the bytes back in chunks of the size asked for. The database, not the backend, says which
objects are documents: an object no row names is an orphan (see `repository.services.reconcile`).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO, Protocol

from repository.model import CHECKPOINT_INTERVAL, ContentDigest, Sha256Checkpoints

CHUNK_SIZE = 1024 * 1024
_KEY = re.compile(r"^[0-9a-z][0-9a-z._-]*(/[0-9a-z][0-9a-z._-]*)*$")
FAN_OUT_PREFIXES = tuple(f"{n:02x}/" for n in range(256))
"""Every key starts with one of these: storage can be walked one slice at a time."""


class StorageError(Exception):
    """The backend failed (I/O error, S3 error, unreachable server)."""


class ObjectMissing(StorageError):
    """No object under the key."""

    def __init__(self, key: str) -> None:
        super().__init__(f"no stored object {key}")
        self.key = key


class DocumentTooLarge(Exception):
    """The bytes exceed the configured maximum; nothing was stored."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the document is larger than {limit} bytes")
        self.limit = limit


class ContentMismatch(Exception):
    """The bytes stored differ from what the caller said they were; nothing was stored."""

    def __init__(self, expected: ContentDigest, actual: ContentDigest) -> None:
        super().__init__(f"expected {expected}, the bytes gave {actual}")
        self.expected = expected
        self.actual = actual


@dataclass(frozen=True, slots=True, kw_only=True)
class ObjectInfo:
    """What the backend knows of a stored object."""

    key: str
    size: int
    modified: datetime


class DocumentStorage(Protocol):
    def describe(self) -> str:
        """Where the bytes are, for logs and reports (never credentials)."""
        ...

    def put(
        self,
        key: str,
        stream: BinaryIO,
        *,
        size: int | None = None,
        expected: ContentDigest | None = None,
        max_size: int | None = None,
    ) -> ContentDigest:
        """Store `stream` under the new `key`; its size, SHA-1 and SHA-256.

        `size` is the length when known (else streamed in parts); `expected` the digest the
        caller already computed, verified here (`ContentMismatch`); `max_size` refuses bigger
        content (`DocumentTooLarge`). On any error nothing stays visible under `key`.
        """
        ...

    def read(self, key: str, chunk_size: int = CHUNK_SIZE) -> Generator[bytes, None, None]:
        """The object's bytes in chunks of `chunk_size` bytes, the last one shorter
        (`ObjectMissing` when absent); close it to stop early."""
        ...

    def stat(self, key: str) -> ObjectInfo | None:
        """The object's size and modification time, or None when there is none."""
        ...

    def delete(self, key: str) -> None:
        """Remove the object; removing an absent object is not an error."""
        ...

    def list(self, prefix: str) -> Iterator[ObjectInfo]:
        """The complete objects whose keys start with `prefix`, in key order."""
        ...

    def discard_incomplete(self, older_than: datetime) -> int:
        """Remove leftovers of writes interrupted before `older_than`; how many were removed."""
        ...


def new_storage_key() -> str:
    """A fresh key, fanned out over 65 536 folders or prefixes: `ab/cd/abcd…` (32 hex digits)."""
    name = uuid.uuid4().hex
    return f"{name[:2]}/{name[2:4]}/{name}"


def check_key(key: str) -> str:
    """`key`, when it is a safe relative object name (no `..`, no hidden parts, no blanks)."""
    if not _KEY.match(key) or len(key) > 512:
        raise ValueError(f"{key!r} is not a storage key")
    return key


class CheckpointedSha256:
    """SHA-256 of everything fed to it, with its digest taken every `interval` bytes on the way
    (`Sha256Checkpoints`): no second pass over the bytes."""

    def __init__(self, interval: int = CHECKPOINT_INTERVAL) -> None:
        self._sha256 = hashlib.sha256()
        self._interval = interval
        self._filled = 0
        self._digests = bytearray()

    def update(self, data: bytes | bytearray | memoryview) -> None:
        view = memoryview(data)
        while len(view) >= self._interval - self._filled:
            room = self._interval - self._filled
            self._sha256.update(view[:room])
            self._digests += self._sha256.digest()
            view = view[room:]
            self._filled = 0
        self._sha256.update(view)
        self._filled += len(view)

    def hexdigest(self) -> str:
        return self._sha256.hexdigest()

    def checkpoints(self) -> Sha256Checkpoints:
        """The checkpoints so far, closed by the digest of everything (when not one already)."""
        last = self._sha256.digest() if self._filled or not self._digests else b""
        return Sha256Checkpoints(interval=self._interval, digests=bytes(self._digests) + last)


class DigestingReader:
    """Wraps a stream: counts and hashes what is read through it, refuses more than `max_size`."""

    def __init__(self, stream: BinaryIO, max_size: int | None = None) -> None:
        self._stream = stream
        self._max_size = max_size
        self._sha1 = hashlib.sha1(usedforsecurity=False)
        self._sha256 = CheckpointedSha256()
        self.size = 0

    def read(self, size: int = -1, /) -> bytes:
        data = self._stream.read(size)
        self.size += len(data)
        if self._max_size is not None and self.size > self._max_size:
            raise DocumentTooLarge(self._max_size)
        self._sha1.update(data)
        self._sha256.update(data)
        return data

    def at_end(self) -> bool:
        """True when the wrapped stream has nothing more (reads one byte past the end)."""
        return self.read(1) == b""

    def digest(self) -> ContentDigest:
        return ContentDigest(
            size=self.size,
            sha1=self._sha1.hexdigest(),
            sha256=self._sha256.hexdigest(),
            checkpoints=self._sha256.checkpoints(),
        )

    def verified_digest(self, expected: ContentDigest | None) -> ContentDigest:
        """The digest of what was read; `ContentMismatch` when it is not `expected`."""
        actual = self.digest()
        if expected is not None and not same_content(expected, actual):
            raise ContentMismatch(expected, actual)
        return actual


def same_content(a: ContentDigest, b: ContentDigest) -> bool:
    return (
        a.size == b.size
        and a.sha1.lower() == b.sha1.lower()
        and a.sha256.lower() == b.sha256.lower()
    )
