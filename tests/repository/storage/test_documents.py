"""The `DocumentStorage` contract, run against both backends: a folder and a real S3 server
(SeaweedFS `weed mini`, started by the session's `seaweed_server` fixture)."""

from __future__ import annotations

import hashlib
import io
import os
import tracemalloc
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from minio import Minio

from repository.model import ContentDigest
from repository.storage.documents import (
    ContentMismatch,
    DocumentStorage,
    DocumentTooLarge,
    ObjectMissing,
    StorageError,
    new_storage_key,
)
from repository.storage.filesystem import FilesystemDocumentStorage
from repository.storage.s3 import S3DocumentStorage
from tests.support.mtom import GeneratedBody
from tests.support.seaweed import SeaweedServer

MIB = 1024 * 1024
S3_PART_SIZE = 5 * MIB  # the smallest part S3 allows


def digest(data: bytes) -> ContentDigest:
    return ContentDigest(
        size=len(data),
        sha1=hashlib.sha1(data, usedforsecurity=False).hexdigest(),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def generated(size: int) -> GeneratedBody:
    """`size` document bytes produced while read, hashed as they are produced."""
    return GeneratedBody(b"", size, b"", b"no-boundary")


@pytest.fixture(params=["filesystem", pytest.param("s3", marks=pytest.mark.s3)])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DocumentStorage]:
    if request.param == "filesystem":
        yield FilesystemDocumentStorage(tmp_path / "documents")
        return
    server: SeaweedServer = request.getfixturevalue("seaweed_server")
    bucket = f"contract-{uuid.uuid4().hex[:12]}"
    server.client().make_bucket(bucket)
    yield S3DocumentStorage(server.client(), bucket, part_size=S3_PART_SIZE)


def test_stored_bytes_come_back_with_their_digest(storage: DocumentStorage) -> None:
    data = os.urandom(3 * MIB + 17)
    key = new_storage_key()
    assert storage.put(key, io.BytesIO(data), size=len(data)) == digest(data)
    assert b"".join(storage.read(key, chunk_size=64 * 1024)) == data
    info = storage.stat(key)
    assert info is not None
    assert (info.key, info.size) == (key, len(data))


def test_a_stream_of_unknown_length_goes_up_in_parts(storage: DocumentStorage) -> None:
    body = generated(2 * S3_PART_SIZE + 12345)
    key = new_storage_key()
    stored = storage.put(key, body)  # type: ignore[arg-type]  # read(n) is all put needs
    assert stored == ContentDigest(
        size=body.produced, sha1=body.sha1.hexdigest(), sha256=body.sha256.hexdigest()
    )
    read_back = hashlib.sha256()
    for chunk in storage.read(key):
        read_back.update(chunk)
    assert read_back.hexdigest() == body.sha256.hexdigest()


def test_an_empty_document_is_a_document(storage: DocumentStorage) -> None:
    key = new_storage_key()
    assert storage.put(key, io.BytesIO(b""), size=0) == digest(b"")
    assert b"".join(storage.read(key)) == b""


def test_a_precomputed_digest_is_verified(storage: DocumentStorage) -> None:
    data = b"epikrise etter innleggelse"
    key = new_storage_key()
    assert storage.put(key, io.BytesIO(data), expected=digest(data)) == digest(data)
    wrong = ContentDigest(size=len(data), sha1=digest(data).sha1, sha256="00" * 32)
    other = new_storage_key()
    with pytest.raises(ContentMismatch):
        storage.put(other, io.BytesIO(data), size=len(data), expected=wrong)
    assert storage.stat(other) is None


@pytest.mark.parametrize("declared", [True, False])
def test_bytes_beyond_the_maximum_are_refused(storage: DocumentStorage, declared: bool) -> None:
    body = generated(S3_PART_SIZE + 1)
    key = new_storage_key()
    with pytest.raises(DocumentTooLarge) as refused:
        storage.put(
            key,
            body,  # type: ignore[arg-type]
            size=S3_PART_SIZE + 1 if declared else None,
            max_size=S3_PART_SIZE,
        )
    assert refused.value.limit == S3_PART_SIZE
    assert storage.stat(key) is None


@pytest.mark.parametrize("declared", [9, 11])
def test_a_stream_unlike_its_declared_size_is_refused(
    storage: DocumentStorage, declared: int
) -> None:
    key = new_storage_key()
    with pytest.raises(StorageError):
        storage.put(key, io.BytesIO(b"ten bytes!"), size=declared)
    assert storage.stat(key) is None


def test_a_missing_object(storage: DocumentStorage) -> None:
    key = new_storage_key()
    with pytest.raises(ObjectMissing):
        b"".join(storage.read(key))
    assert storage.stat(key) is None
    storage.delete(key)  # deleting nothing is fine


def test_delete_removes_the_object(storage: DocumentStorage) -> None:
    key = new_storage_key()
    storage.put(key, io.BytesIO(b"x"), size=1)
    storage.delete(key)
    assert storage.stat(key) is None
    assert list(storage.list(key[:3])) == []


def test_listing_a_prefix_gives_its_objects_in_key_order(storage: DocumentStorage) -> None:
    keys = ["ab/01/one", "ab/01/two", "ab/ff/three", "ac/00/four", "ab/0a/five"]
    for key in keys:
        storage.put(key, io.BytesIO(key.encode()), size=len(key))
    listed = list(storage.list("ab/"))
    assert [info.key for info in listed] == sorted(k for k in keys if k.startswith("ab/"))
    assert [info.size for info in listed] == [len(info.key) for info in listed]
    assert [info.key for info in storage.list("ac/")] == ["ac/00/four"]


@pytest.mark.parametrize("key", ["../escape", ".incoming/x", "ab/../../x", "a b", "", "/abs"])
def test_keys_that_are_not_plain_names_are_refused(storage: DocumentStorage, key: str) -> None:
    with pytest.raises(ValueError, match="not a storage key"):
        storage.put(key, io.BytesIO(b"x"), size=1)


def test_memory_stays_bounded_whatever_the_size(storage: DocumentStorage) -> None:
    size = 96 * MIB
    tracemalloc.start()
    try:
        stored = storage.put(new_storage_key(), generated(size))  # type: ignore[arg-type]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert stored.size == size
    assert peak < 32 * MIB


def test_new_keys_fan_out_over_two_levels() -> None:
    key = new_storage_key()
    first, second, name = key.split("/")
    assert (first, second) == (name[:2], name[2:4])
    assert len(name) == 32


# ------------------------------------------------------------------ backend specifics


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    storage = FilesystemDocumentStorage(tmp_path)
    with pytest.raises(DocumentTooLarge):
        storage.put(new_storage_key(), io.BytesIO(b"12345"), max_size=4)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_interrupted_writes_are_discarded_once_old(tmp_path: Path) -> None:
    storage = FilesystemDocumentStorage(tmp_path)
    storage.put("ab/cd/kept", io.BytesIO(b"kept"), size=4)
    leftover = tmp_path / ".incoming" / "put-crashed"
    leftover.write_bytes(b"half a document")
    stamp = leftover.stat().st_mtime
    written = datetime.fromtimestamp(stamp, UTC)
    assert storage.discard_incomplete(written - timedelta(seconds=1)) == 0
    assert [info.key for info in storage.list("")] == ["ab/cd/kept"]
    assert storage.discard_incomplete(written + timedelta(seconds=1)) == 1
    assert not leftover.exists()


@pytest.mark.s3
def test_a_missing_bucket_is_created_only_when_configured(seaweed_server: SeaweedServer) -> None:
    bucket = f"nye-{uuid.uuid4().hex[:12]}"
    refusing = S3DocumentStorage(seaweed_server.client(), bucket)
    with pytest.raises(StorageError, match="DOKDELING_S3_CREATE_BUCKET"):
        refusing.put(new_storage_key(), io.BytesIO(b"x"), size=1)
    assert not seaweed_server.client().bucket_exists(bucket)
    creating = S3DocumentStorage(seaweed_server.client(), bucket, create_bucket=True)
    creating.put(new_storage_key(), io.BytesIO(b"x"), size=1)
    assert seaweed_server.client().bucket_exists(bucket)


@pytest.mark.s3
def test_wrong_credentials_are_a_storage_error(seaweed_server: SeaweedServer) -> None:
    endpoint, access_key = seaweed_server.endpoint, seaweed_server.access_key
    client = Minio(endpoint, access_key=access_key, secret_key="nope", secure=False)
    storage = S3DocumentStorage(client, "dokumenter", create_bucket=True)
    with pytest.raises(StorageError):
        storage.put(new_storage_key(), io.BytesIO(b"x"), size=1)
