"""ITI-43 of documents larger than one SHA-256 checkpoint interval, below HTTP, on both storage
backends: streamed from storage, every piece verified before it is passed on; a corrupted piece
(first, middle, last) is never passed on; a wrong-sized object is an error before the answer;
documents stored before checkpoints are still verified whole; several documents per request."""

from __future__ import annotations

import hashlib
import io
import random
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from repository.model import CHECKPOINT_INTERVAL, StoredDocument
from repository.services.verified_read import IntegrityFailure, VerifiedStream
from repository.settings import RepositorySettings
from repository.state import RepositoryServices
from repository.storage.documents import CheckpointedSha256
from repository.storage.tables import documents
from schemas.errors import ResponseStatus, XdsErrorCode
from schemas.model.messages import RetrieveDocumentSetRequest
from schemas.mtom import Attachment
from tests.support.fake_registry import FakeRegistry
from tests.support.repository import (
    document_request,
    document_unique_id,
    provide_request,
    registered,
    repository_settings,
    threaded_services,
)
from tests.support.seaweed import SeaweedServer

INTERVAL = CHECKPOINT_INTERVAL
LARGE = [random.Random(n).randbytes(2 * INTERVAL + 1000 * n) for n in (1, 2, 3, 4)]
SMALL = b"%PDF-1.7 kort notat\n"
PLACES = {"first": 17, "middle": INTERVAL + 5, "last": 2 * INTERVAL + 99}
"""Where a bit is flipped: in the first, a middle and the last piece of a three-piece document."""

Repository = tuple[RepositorySettings, RepositoryServices]


@pytest.fixture(params=["filesystem", pytest.param("s3", marks=pytest.mark.s3)])
def repository(
    request: pytest.FixtureRequest, tmp_path: Path, registry: FakeRegistry
) -> Repository:
    """Documents 1–4 large (three pieces each), document 5 small, all registered."""
    variables: dict[str, str] = {}
    if request.param == "s3":
        server: SeaweedServer = request.getfixturevalue("seaweed_server")
        variables = {
            "STORAGE_URL": server.storage_url(f"verified-{uuid.uuid4().hex[:10]}"),
            "S3_ACCESS_KEY": server.access_key,
            "S3_SECRET_KEY": server.secret_key,
            "S3_CREATE_BUCKET": "true",
        }
    settings = repository_settings(tmp_path, registry.url, variables)
    services, _ = threaded_services(settings)
    outcome = services.provide.provide(provide_request([*LARGE, SMALL]))
    assert outcome.response.status is ResponseStatus.SUCCESS
    return settings, services


def stored(services: RepositoryServices, number: int) -> StoredDocument:
    document = registered(services.store, document_unique_id(number))
    assert document is not None
    return document


def replace_bytes(services: RepositoryServices, number: int, content: bytes) -> None:
    key = stored(services, number).storage_key
    services.storage.delete(key)
    services.storage.put(key, io.BytesIO(content))


def flipped(content: bytes, offset: int) -> bytes:
    damaged = bytearray(content)
    damaged[offset] ^= 0x01
    return bytes(damaged)


def test_checkpoints_are_the_sha256_of_each_prefix_and_end_with_the_documents() -> None:
    content = random.Random(9).randbytes(3 * 1000 + 7)
    hasher = CheckpointedSha256(interval=1000)
    for start in range(0, len(content), 333):  # reads that straddle the checkpoints
        hasher.update(content[start : start + 333])
    checkpoints = hasher.checkpoints()
    assert [checkpoints.at(n) for n in range(len(checkpoints))] == [
        hashlib.sha256(content[:end]).digest() for end in (1000, 2000, 3000, 3007)
    ]
    assert checkpoints.belong_to(len(content), hasher.hexdigest())
    assert not checkpoints.belong_to(len(content) + 1000, hasher.hexdigest())


def test_large_and_small_documents_come_back_whole_in_one_request(
    repository: Repository,
) -> None:
    settings, services = repository
    wanted = (document_request(settings, 1), document_request(settings, 5))
    with services.retrieve.retrieve(RetrieveDocumentSetRequest(documents=wanted)) as result:
        large, small = result.response.documents
        assert result.response.status is ResponseStatus.SUCCESS
        assert isinstance(large.content, VerifiedStream)  # streamed, not spooled
        assert isinstance(small.content, Attachment)  # verified whole first
        assert b"".join(large.content.chunks()) == LARGE[0]
        with large.content.open() as stream:
            assert stream.read() == LARGE[0]
        with small.content.open() as stream:
            assert stream.read() == SMALL


@pytest.mark.parametrize("place", PLACES)
def test_a_corrupted_piece_is_never_passed_on(repository: Repository, place: str) -> None:
    settings, services = repository
    offset = PLACES[place]
    replace_bytes(services, 2, flipped(LARGE[1], offset))
    request = RetrieveDocumentSetRequest(documents=(document_request(settings, 2),))
    with services.retrieve.retrieve(request) as result:
        (document,) = result.response.documents  # the object has the recorded size
        assert isinstance(document.content, VerifiedStream)
        passed_on = passed_on_until_it_fails(document.content.chunks())
    verified_pieces = offset // INTERVAL
    assert passed_on == LARGE[1][: verified_pieces * INTERVAL]


def passed_on_until_it_fails(pieces: Iterator[bytes]) -> bytes:
    """What the stream passes on before a piece fails its check (which it must)."""
    passed_on = bytearray()
    try:
        for piece in pieces:
            passed_on += piece
    except IntegrityFailure:
        return bytes(passed_on)
    raise AssertionError("every piece passed its check")


@pytest.mark.parametrize("change", ["truncated", "extended"])
def test_an_object_of_another_size_is_an_error_before_the_answer(
    repository: Repository, change: str
) -> None:
    settings, services = repository
    content = LARGE[2][:-1] if change == "truncated" else LARGE[2] + b"\0"
    replace_bytes(services, 3, content)
    request = RetrieveDocumentSetRequest(
        documents=(document_request(settings, 3), document_request(settings, 4))
    )
    with services.retrieve.retrieve(request) as result:
        assert result.response.status is ResponseStatus.PARTIAL_SUCCESS
        assert [e.code for e in result.response.errors] == [XdsErrorCode.REPOSITORY_ERROR.value]
        (document,) = result.response.documents
        assert document.document_unique_id == document_unique_id(4)


def test_documents_stored_before_checkpoints_are_verified_whole(repository: Repository) -> None:
    settings, services = repository
    engine = sa.create_engine(settings.database_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                documents.update().values(checkpoint_interval=None, sha256_checkpoints=None)
            )
    finally:
        engine.dispose()
    assert stored(services, 1).digest.checkpoints is None
    replace_bytes(services, 4, flipped(LARGE[3], PLACES["middle"]))
    request = RetrieveDocumentSetRequest(
        documents=(document_request(settings, 1), document_request(settings, 4))
    )
    with services.retrieve.retrieve(request) as result:
        assert result.response.status is ResponseStatus.PARTIAL_SUCCESS
        (document,) = result.response.documents
        assert isinstance(document.content, Attachment)  # the spool: verified before sending
        with document.content.open() as stream:
            assert stream.read() == LARGE[0]
        assert [e.location for e in result.response.errors] == [document_unique_id(4)]
