"""Document bytes as objects in an S3-compatible bucket, through the `minio` client.

Uploads stream: a document of unknown length goes up in `part_size` multipart parts, one part in
memory at a time (`num_parallel_uploads=1`, so a fast reader never queues parts); a known length
lets minio choose the part size. S3 makes an object visible only when its upload completes, and
minio aborts a multipart upload that fails. Parts of an upload interrupted by a crash stay
invisible on the server; the bucket's lifecycle rule `AbortIncompleteMultipartUpload` removes them
(docs/repository.md). The bucket is created on first use only when configured
(`DOKDELING_S3_CREATE_BUCKET`).
"""

from __future__ import annotations

import threading
from collections.abc import Generator, Iterator
from datetime import UTC, datetime
from typing import BinaryIO

from minio import Minio
from minio.error import MinioException, S3Error
from urllib3.exceptions import HTTPError

from repository.model import ContentDigest
from repository.storage.documents import (
    CHUNK_SIZE,
    DigestingReader,
    ObjectInfo,
    ObjectMissing,
    StorageError,
    check_key,
)

DEFAULT_PART_SIZE = 16 * 1024 * 1024
_MISSING = frozenset({"NoSuchKey", "NoSuchObject"})
_FAILURES = (MinioException, HTTPError, OSError, ValueError)


class S3DocumentStorage:
    """`DocumentStorage` on one bucket of an S3-compatible server."""

    def __init__(
        self,
        client: Minio,
        bucket: str,
        *,
        create_bucket: bool = False,
        part_size: int = DEFAULT_PART_SIZE,
        description: str | None = None,
    ) -> None:
        self._client = client
        self._bucket = bucket
        self._create_bucket = create_bucket
        self._part_size = part_size
        self._description = description or f"s3://{bucket}"
        self._bucket_ready = False
        self._lock = threading.Lock()

    def describe(self) -> str:
        return self._description

    def put(
        self,
        key: str,
        stream: BinaryIO,
        *,
        size: int | None = None,
        expected: ContentDigest | None = None,
        max_size: int | None = None,
    ) -> ContentDigest:
        check_key(key)
        self._ensure_bucket()
        reader = DigestingReader(stream, max_size)
        try:
            self._client.put_object(
                self._bucket,
                key,
                reader,  # type: ignore[arg-type]  # minio only calls read(n)
                -1 if size is None else size,
                part_size=self._part_size if size is None else 0,
                num_parallel_uploads=1,
            )
        except _FAILURES as exc:
            raise StorageError(f"cannot store {key} in {self._description}: {exc}") from exc
        try:
            if size is not None and not reader.at_end():
                raise StorageError(f"the stream held more than the declared {size} bytes")
            return reader.verified_digest(expected)
        except BaseException:
            self.delete(key)
            raise

    def read(self, key: str, chunk_size: int = CHUNK_SIZE) -> Generator[bytes, None, None]:
        check_key(key)
        try:
            response = self._client.get_object(self._bucket, key)
        except S3Error as exc:
            if exc.code in _MISSING:
                raise ObjectMissing(key) from None
            raise StorageError(f"cannot read {key} from {self._description}: {exc}") from exc
        except _FAILURES as exc:
            raise StorageError(f"cannot read {key} from {self._description}: {exc}") from exc
        try:
            yield from response.stream(chunk_size)
        except _FAILURES as exc:
            raise StorageError(f"reading {key} from {self._description} failed: {exc}") from exc
        finally:
            response.close()
            response.release_conn()

    def stat(self, key: str) -> ObjectInfo | None:
        check_key(key)
        try:
            found = self._client.stat_object(self._bucket, key)
        except S3Error as exc:
            if exc.code in _MISSING:
                return None
            raise StorageError(f"cannot stat {key} in {self._description}: {exc}") from exc
        except _FAILURES as exc:
            raise StorageError(f"cannot stat {key} in {self._description}: {exc}") from exc
        return ObjectInfo(key=key, size=found.size or 0, modified=_utc(found.last_modified))

    def delete(self, key: str) -> None:
        check_key(key)
        try:
            self._client.remove_object(self._bucket, key)
        except _FAILURES as exc:
            raise StorageError(f"cannot delete {key} in {self._description}: {exc}") from exc

    def list(self, prefix: str) -> Iterator[ObjectInfo]:
        try:
            for found in self._client.list_objects(self._bucket, prefix=prefix, recursive=True):
                if found.object_name is None or found.is_dir:
                    continue
                yield ObjectInfo(
                    key=found.object_name, size=found.size or 0, modified=_utc(found.last_modified)
                )
        except _FAILURES as exc:
            raise StorageError(f"cannot list {self._description}: {exc}") from exc

    def discard_incomplete(self, older_than: datetime) -> int:
        """Nothing to do here: an S3 server never shows an incomplete upload as an object.

        minio aborts the multipart uploads it sees fail; parts left by a crash are removed by the
        bucket's `AbortIncompleteMultipartUpload` lifecycle rule.
        """
        return 0

    def _ensure_bucket(self) -> None:
        """Check once per process that the bucket exists; create it when configured to."""
        if self._bucket_ready:
            return
        with self._lock:
            try:
                exists = self._client.bucket_exists(self._bucket)
                if not exists and self._create_bucket:
                    self._client.make_bucket(self._bucket)
                elif not exists:
                    raise StorageError(
                        f"bucket {self._bucket!r} does not exist; create it or set "
                        "DOKDELING_S3_CREATE_BUCKET=true"
                    )
            except S3Error as exc:
                if exc.code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                    raise StorageError(f"cannot use {self._description}: {exc}") from exc
            except _FAILURES as exc:
                raise StorageError(f"cannot use {self._description}: {exc}") from exc
            self._bucket_ready = True


def _utc(moment: datetime | None) -> datetime:
    if moment is None:
        return datetime.now(UTC)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
