"""ITI-86 below HTTP: registered documents lose their bytes and are no longer served."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from repository.model import DocumentState
from repository.settings import RepositorySettings
from repository.state import RepositoryServices
from schemas.errors import ResponseStatus, XdsErrorCode
from schemas.model.messages import (
    DocumentRequest,
    RemoveDocumentsRequest,
    RetrieveDocumentSetRequest,
)
from tests.support.fake_registry import FakeRegistry
from tests.support.repository import (
    document_request,
    document_unique_id,
    provide_request,
    registered,
    repository_settings,
    stored_keys,
    threaded_services,
)


@pytest.fixture
def repository(tmp_path: Path) -> Iterator[tuple[RepositorySettings, RepositoryServices]]:
    registry = FakeRegistry().start()
    try:
        settings = repository_settings(tmp_path, registry.url)
        services, _ = threaded_services(settings)
        services.provide.provide(provide_request([b"epikrise", b"notat"]))
        yield settings, services
    finally:
        registry.stop()


def test_removed_documents_are_gone(
    repository: tuple[RepositorySettings, RepositoryServices],
) -> None:
    settings, services = repository
    response = services.remove.remove(
        RemoveDocumentsRequest(documents=(document_request(settings, 1),))
    )
    assert (response.status, response.errors) == (ResponseStatus.SUCCESS, ())
    assert len(stored_keys(services)) == 1
    request = RetrieveDocumentSetRequest(documents=(document_request(settings, 1),))
    with services.retrieve.retrieve(request) as result:
        assert [e.code for e in result.response.errors] == [
            XdsErrorCode.DOCUMENT_UNIQUE_ID_ERROR.value
        ]
    (removed,) = [d for d in services.store.documents_of(_registration(services)) if d.purged]
    assert (removed.unique_id, removed.state) == (document_unique_id(1), DocumentState.REMOVED)


def test_unknown_documents_are_errors_beside_the_removed_ones(
    repository: tuple[RepositorySettings, RepositoryServices],
) -> None:
    settings, services = repository
    response = services.remove.remove(
        RemoveDocumentsRequest(
            documents=(
                document_request(settings, 2),
                DocumentRequest(repository_unique_id=settings.repository_unique_id,
                                document_unique_id="9.9"),
                DocumentRequest(repository_unique_id="2.999.77",
                                document_unique_id=document_unique_id(1)),
            )
        )
    )  # fmt: skip
    assert response.status is ResponseStatus.PARTIAL_SUCCESS
    assert [(e.code, e.location) for e in response.errors] == [
        (XdsErrorCode.DOCUMENT_UNIQUE_ID_ERROR.value, "9.9"),
        (XdsErrorCode.UNKNOWN_REPOSITORY_ID.value, document_unique_id(1)),
    ]
    second_time = RemoveDocumentsRequest(documents=(document_request(settings, 2),))
    again = services.remove.remove(second_time)
    assert again.status is ResponseStatus.FAILURE


def _registration(services: RepositoryServices) -> str:
    document = registered(services.store, document_unique_id(2))
    assert document is not None
    return document.registration_id
