"""ITI-43 below HTTP: several documents per request, the stored mimeType, errors per document,
and bytes that fail their SHA-256 check are an error, never a response (both storage backends)."""

from __future__ import annotations

import io
import uuid
from dataclasses import replace
from pathlib import Path

import pytest

from repository.model import RegistrationMode, StoredDocument
from repository.settings import RepositorySettings
from repository.state import RepositoryServices
from repository.wiring import build_services
from schemas.errors import ResponseStatus, XdsErrorCode
from schemas.model.messages import DocumentRequest, RetrieveDocumentSetRequest
from tests.support import submissions as s
from tests.support.fake_registry import FakeRegistry
from tests.support.repository import (
    RecordingQueue,
    document_request,
    document_unique_id,
    entry_id,
    migrated_runtime,
    provide_request,
    provided_submission,
    registered,
    repository_settings,
    threaded_services,
)
from tests.support.seaweed import SeaweedServer

EPIKRISE = b"%PDF-1.7 epikrise etter innleggelse\n"
LABSVAR = b"Hemoglobin 13.9 g/dL\n"


@pytest.fixture(params=["filesystem", pytest.param("s3", marks=pytest.mark.s3)])
def repository(
    request: pytest.FixtureRequest, tmp_path: Path, registry: FakeRegistry
) -> tuple[RepositorySettings, RepositoryServices]:
    """Two registered documents: an epikrise (application/pdf) and a lab result (text/plain)."""
    variables: dict[str, str] = {}
    if request.param == "s3":
        server: SeaweedServer = request.getfixturevalue("seaweed_server")
        variables = {
            "STORAGE_URL": server.storage_url(f"retrieve-{uuid.uuid4().hex[:10]}"),
            "S3_ACCESS_KEY": server.access_key,
            "S3_SECRET_KEY": server.secret_key,
            "S3_CREATE_BUCKET": "true",
        }
    settings = repository_settings(tmp_path, registry.url, variables)
    services, _ = threaded_services(settings)
    objects = s.replace_object(
        provided_submission(2),
        entry_id(2),
        lambda entry: replace(entry, mime_type="text/plain"),
    )
    outcome = services.provide.provide(provide_request([EPIKRISE, LABSVAR], objects))
    assert outcome.response.status is ResponseStatus.SUCCESS
    return settings, services


def retrieve(
    services: RepositoryServices, *wanted: DocumentRequest
) -> tuple[ResponseStatus, dict[str, tuple[str, bytes]], dict[str, str]]:
    """Status, {uniqueId: (mimeType, bytes)} and {location: errorCode}."""
    with services.retrieve.retrieve(RetrieveDocumentSetRequest(documents=wanted)) as result:
        documents = {}
        for document in result.response.documents:
            with document.content.open() as stream:
                documents[document.document_unique_id] = (document.mime_type, stream.read())
        errors = {e.location or "": e.code for e in result.response.errors}
        return result.response.status, documents, errors


def unknown_document(settings: RepositorySettings) -> DocumentRequest:
    return DocumentRequest(
        repository_unique_id=settings.repository_unique_id, document_unique_id="9.9"
    )


def registered_number(services: RepositoryServices, number: int) -> StoredDocument:
    document = registered(services.store, document_unique_id(number))
    assert document is not None
    return document


def test_several_documents_come_back_with_their_mime_types(
    repository: tuple[RepositorySettings, RepositoryServices],
) -> None:
    settings, services = repository
    status, documents, errors = retrieve(
        services, document_request(settings, 1), document_request(settings, 2)
    )
    assert status is ResponseStatus.SUCCESS
    assert documents == {
        document_unique_id(1): ("application/pdf", EPIKRISE),
        document_unique_id(2): ("text/plain", LABSVAR),
    }
    assert errors == {}


def test_a_corrupted_document_is_an_error_not_a_response(
    repository: tuple[RepositorySettings, RepositoryServices],
) -> None:
    settings, services = repository
    damaged = registered_number(services, 1)
    corrupted = bytearray(EPIKRISE)
    corrupted[9] ^= 0x01  # one flipped bit, same size
    services.storage.delete(damaged.storage_key)
    services.storage.put(damaged.storage_key, io.BytesIO(bytes(corrupted)))
    status, documents, errors = retrieve(
        services, document_request(settings, 1), document_request(settings, 2)
    )
    assert status is ResponseStatus.PARTIAL_SUCCESS
    assert list(documents) == [document_unique_id(2)]
    assert errors == {document_unique_id(1): XdsErrorCode.REPOSITORY_ERROR.value}


def test_a_document_whose_bytes_are_gone_is_an_error(
    repository: tuple[RepositorySettings, RepositoryServices],
) -> None:
    settings, services = repository
    services.storage.delete(registered_number(services, 1).storage_key)
    status, documents, errors = retrieve(services, document_request(settings, 1))
    assert status is ResponseStatus.FAILURE
    assert documents == {}
    assert errors == {document_unique_id(1): XdsErrorCode.REPOSITORY_ERROR.value}


def test_unknown_documents_and_repositories(
    repository: tuple[RepositorySettings, RepositoryServices],
) -> None:
    settings, services = repository
    status, documents, errors = retrieve(
        services,
        document_request(settings, 1),
        unknown_document(settings),
        DocumentRequest(repository_unique_id="2.999.77", document_unique_id=document_unique_id(2)),
    )
    assert status is ResponseStatus.PARTIAL_SUCCESS
    assert list(documents) == [document_unique_id(1)]
    assert errors == {
        "9.9": XdsErrorCode.DOCUMENT_UNIQUE_ID_ERROR.value,
        document_unique_id(2): XdsErrorCode.UNKNOWN_REPOSITORY_ID.value,
    }


def test_only_unknown_documents_is_a_failure(
    repository: tuple[RepositorySettings, RepositoryServices],
) -> None:
    settings, services = repository
    status, documents, errors = retrieve(
        services,
        unknown_document(settings),
    )
    assert (status, documents) == (ResponseStatus.FAILURE, {})
    assert errors == {"9.9": XdsErrorCode.DOCUMENT_UNIQUE_ID_ERROR.value}


def test_staged_documents_are_not_served(tmp_path: Path, registry: FakeRegistry) -> None:
    settings = repository_settings(tmp_path, registry.url)
    services = build_services(settings, migrated_runtime(settings), queue=RecordingQueue())
    services.provide.provide(provide_request([EPIKRISE]), mode=RegistrationMode.DEFERRED)
    assert retrieve(services, document_request(settings, 1))[2] == {
        document_unique_id(1): XdsErrorCode.DOCUMENT_UNIQUE_ID_ERROR.value
    }
