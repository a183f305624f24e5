"""Document bytes as files under one folder (the default, `file://<data dir>/documents`).

A key `ab/cd/abcd…` is the file `<root>/ab/cd/abcd…`: two levels of fan-out keep folders small.
Writing is atomic and durable: the bytes go to a temporary file in `<root>/.incoming`, are
fsynced, and the file is renamed into place (same file system) before the folders holding it are
fsynced. A crash leaves at most a temporary file, which `discard_incomplete` removes later.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Generator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from repository.model import ContentDigest
from repository.storage.documents import (
    CHUNK_SIZE,
    DigestingReader,
    ObjectInfo,
    ObjectMissing,
    StorageError,
    check_key,
)

INCOMING = ".incoming"


class FilesystemDocumentStorage:
    """`DocumentStorage` on a local (or mounted) file system."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._incoming = root / INCOMING

    def describe(self) -> str:
        return f"file://{self._root}"

    def put(
        self,
        key: str,
        stream: BinaryIO,
        *,
        size: int | None = None,
        expected: ContentDigest | None = None,
        max_size: int | None = None,
    ) -> ContentDigest:
        target = self._path(key)
        try:
            self._incoming.mkdir(parents=True, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(dir=self._incoming, prefix="put-")
        except OSError as exc:
            raise StorageError(f"cannot write under {self._root}: {exc}") from exc
        try:
            reader = DigestingReader(stream, max_size)
            with os.fdopen(descriptor, "wb") as out:
                while chunk := reader.read(CHUNK_SIZE):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if size is not None and reader.size != size:
                raise StorageError(f"the stream held {reader.size} bytes, not the declared {size}")
            digest = reader.verified_digest(expected)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temporary, target)
            for folder in (target.parent, target.parent.parent, self._root):
                _fsync_folder(folder)
        except OSError as exc:
            Path(temporary).unlink(missing_ok=True)
            raise StorageError(f"cannot store {key} under {self._root}: {exc}") from exc
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return digest

    def read(self, key: str, chunk_size: int = CHUNK_SIZE) -> Generator[bytes, None, None]:
        path = self._path(key)
        try:
            stream = path.open("rb")
        except FileNotFoundError:
            raise ObjectMissing(key) from None
        except OSError as exc:
            raise StorageError(f"cannot read {key}: {exc}") from exc
        with stream:
            try:
                while chunk := stream.read(chunk_size):
                    yield chunk
            except OSError as exc:
                raise StorageError(f"cannot read {key}: {exc}") from exc

    def stat(self, key: str) -> ObjectInfo | None:
        try:
            status = self._path(key).stat()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StorageError(f"cannot stat {key}: {exc}") from exc
        return _info(key, status)

    def delete(self, key: str) -> None:
        try:
            self._path(key).unlink(missing_ok=True)
        except OSError as exc:
            raise StorageError(f"cannot delete {key}: {exc}") from exc

    def list(self, prefix: str) -> Iterator[ObjectInfo]:
        try:
            yield from self._walk(self._root, "", prefix)
        except OSError as exc:
            raise StorageError(f"cannot list {self._root}: {exc}") from exc

    def discard_incomplete(self, older_than: datetime) -> int:
        removed = 0
        try:
            entries = list(os.scandir(self._incoming))
        except FileNotFoundError:
            return 0
        for entry in entries:
            if _modified(entry.stat(follow_symlinks=False)) < older_than:
                Path(entry.path).unlink(missing_ok=True)
                removed += 1
        return removed

    def _path(self, key: str) -> Path:
        return self._root / check_key(key)

    def _walk(self, folder: Path, base: str, prefix: str) -> Iterator[ObjectInfo]:
        """Objects under `folder` in key order; hidden entries (`.incoming`) are not objects."""
        try:
            entries = [e for e in os.scandir(folder) if not e.name.startswith(".")]
        except FileNotFoundError:
            return
        sortable = [(e.name + ("/" if e.is_dir(follow_symlinks=False) else ""), e) for e in entries]
        for name, entry in sorted(sortable, key=lambda pair: pair[0]):
            key = base + name
            if name.endswith("/"):
                if key.startswith(prefix) or prefix.startswith(key):
                    yield from self._walk(Path(entry.path), key, prefix)
            elif entry.is_file(follow_symlinks=False) and key.startswith(prefix):
                yield _info(key, entry.stat(follow_symlinks=False))


def _modified(status: os.stat_result) -> datetime:
    return datetime.fromtimestamp(status.st_mtime, UTC)


def _info(key: str, status: os.stat_result) -> ObjectInfo:
    return ObjectInfo(key=key, size=status.st_size, modified=_modified(status))


def _fsync_folder(folder: Path) -> None:
    """Make a rename or a new entry in `folder` durable."""
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
