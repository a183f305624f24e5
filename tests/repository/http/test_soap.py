"""The repository's SOAP endpoint as a real client uses it: zeep with the official WSDLs
(XDS.b_DocumentRepository.wsdl for ITI-41/43, IPF's iti86.wsdl), ITI-41 sent as MTOM, a real
worker process registering at a registry stand-in, ITI-43 answered as MTOM."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from schemas import vocabulary as v
from schemas.ebrim.retrieve import build_retrieve_document_set_request
from schemas.ebrim.submit import RimSubmission, build_submit_objects_request, submission_from_rim
from schemas.errors import RegistryError, XdsErrorCode
from schemas.model.messages import DocumentRequest, RetrieveDocumentSetRequest
from schemas.soap import build_request
from tests.support.fake_registry import Behaviour, FakeRegistry
from tests.support.repository import (
    document_unique_id,
    entry_id,
    eventually,
    provided_submission,
)
from tests.support.repository_deployment import RepositoryDeployment
from tests.support.zeep_mtom import MtomTransport, SubmissionPlugin, bind, soap_client

EPIKRISE = b"%PDF-1.7 epikrise etter innleggelse\n" + bytes(range(256)) * 40 + b"%%EOF"
NOTAT = b"poliklinisk notat\n"
SUCCESS = v.RESPONSE_SUCCESS
FAILURE = v.RESPONSE_FAILURE


@pytest.fixture
def registry() -> Iterator[FakeRegistry]:
    fake = FakeRegistry().start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def repository(tmp_path: Path, registry: FakeRegistry) -> Iterator[RepositoryDeployment]:
    deployment = RepositoryDeployment(tmp_path, registry)
    try:
        deployment.start_worker()
        yield deployment
    finally:
        deployment.stop()


@pytest.fixture
def address(repository: RepositoryDeployment) -> str:
    return repository.serve()


def official(
    conformance: Path,
    address: str,
    *,
    documents: int = 1,
    transport: MtomTransport | None = None,
) -> Any:
    """ITI-41 and ITI-43 of the official WSDL, bound to `address`; ITI-41 submits
    `documents` entries of the valid test submission."""
    submission = build_submit_objects_request(
        submission_from_rim(RimSubmission(object_list=provided_submission(documents)))
    )
    client = soap_client(
        (conformance / "schemas/ihe-xdsb/wsdl/XDS.b_DocumentRepository.wsdl").as_uri(),
        transport=transport or MtomTransport(),
        plugins=[SubmissionPlugin(submission)],
    )
    return bind(client, f"{{{v.NS_XDSB}}}DocumentRepository_Binding", address)


def provide(service: Any, *contents: bytes) -> Any:
    return service["DocumentRepository_ProvideAndRegisterDocumentSet-b"](
        SubmitObjectsRequest={"RegistryObjectList": {}},
        Document=[
            {"_value_1": content, "id": entry_id(n)} for n, content in enumerate(contents, 1)
        ],
    )


def retrieve(service: Any, repository: RepositoryDeployment, *numbers: int) -> Any:
    return service["DocumentRepository_RetrieveDocumentSet"](
        DocumentRequest=[
            {
                "RepositoryUniqueId": repository.settings.repository_unique_id,
                "DocumentUniqueId": document_unique_id(n),
            }
            for n in numbers
        ]
    )


def error_codes(response: Any) -> list[str]:
    errors = response["RegistryErrorList"]
    return [] if errors is None else [e["errorCode"] for e in errors["RegistryError"]]


def test_provide_as_mtom_then_retrieve_as_mtom(
    conformance: Path, address: str, repository: RepositoryDeployment, registry: FakeRegistry
) -> None:
    transport = MtomTransport()
    service = official(conformance, address, documents=2, transport=transport)
    response = provide(service, EPIKRISE, NOTAT)
    assert (response["status"], error_codes(response)) == (SUCCESS, [])
    assert transport.sent_content_types[-1].startswith("multipart/related")
    registered = {e.unique_id: e for e in registry.entries_registered()}
    assert (
        registered[document_unique_id(1)].hash
        == hashlib.sha1(EPIKRISE, usedforsecurity=False).hexdigest()
    )
    assert registered[document_unique_id(1)].size == len(EPIKRISE)

    retrieved = retrieve(service, repository, 1, 2)
    assert retrieved["RegistryResponse"]["status"] == SUCCESS
    documents = {d["DocumentUniqueId"]: d for d in retrieved["DocumentResponse"]}
    assert documents[document_unique_id(1)]["Document"] == EPIKRISE
    assert documents[document_unique_id(1)]["mimeType"] == "application/pdf"
    # zeep strips a binary part's trailing CR/LF (docs/mtom.md): compare the rest
    assert documents[document_unique_id(2)]["Document"] == NOTAT.rstrip(b"\n")


def test_the_retrieve_answer_is_mtom(
    conformance: Path, address: str, repository: RepositoryDeployment
) -> None:
    provide(official(conformance, address), EPIKRISE)
    envelope = retrieve_envelope(repository, address)
    answer = requests.post(
        address,
        data=envelope,
        headers={"Content-Type": f'application/soap+xml; action="{v.ACTION_RETRIEVE}"'},
        timeout=30,
    )
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("multipart/related")
    assert EPIKRISE in answer.content


def retrieve_envelope(repository: RepositoryDeployment, address: str) -> bytes:
    request = RetrieveDocumentSetRequest(
        documents=(
            DocumentRequest(
                repository_unique_id=repository.settings.repository_unique_id,
                document_unique_id=document_unique_id(1),
            ),
        )
    )
    payload = build_retrieve_document_set_request(request)
    return build_request(v.ACTION_RETRIEVE, payload, to=address)


def test_missing_documents_and_metadata_are_named(conformance: Path, address: str) -> None:
    service = official(conformance, address, documents=2)
    response = provide(service, EPIKRISE)
    assert response["status"] == FAILURE
    assert error_codes(response) == [XdsErrorCode.MISSING_DOCUMENT.value]
    response = provide(official(conformance, address, documents=1), EPIKRISE, NOTAT)
    assert error_codes(response) == [XdsErrorCode.MISSING_DOCUMENT_METADATA.value]


def test_the_registrys_errors_reach_the_source(
    conformance: Path, address: str, registry: FakeRegistry
) -> None:
    registry.behaviour = Behaviour.REJECT
    mismatch = XdsErrorCode.PATIENT_ID_DOES_NOT_MATCH.value
    registry.errors = (RegistryError(code=mismatch, context="not this patient"),)
    response = provide(official(conformance, address), EPIKRISE)
    assert response["status"] == FAILURE
    (error,) = response["RegistryErrorList"]["RegistryError"]
    assert (error["errorCode"], error["codeContext"]) == (
        XdsErrorCode.PATIENT_ID_DOES_NOT_MATCH.value,
        "not this patient",
    )


def test_deferred_registration_on_request(
    conformance: Path, address: str, repository: RepositoryDeployment, registry: FakeRegistry
) -> None:
    transport = MtomTransport(http_headers={"Prefer": "respond-async"})
    service = official(conformance, address, transport=transport)
    response = provide(service, EPIKRISE)
    assert response["status"] == SUCCESS
    assert transport.last_response_headers["Preference-Applied"] == "respond-async"
    eventually(lambda: len(list(registry.entries_registered())) == 1)  # from the outbox


def test_remove_documents_with_the_iti86_wsdl(
    conformance: Path, address: str, repository: RepositoryDeployment
) -> None:
    provide(official(conformance, address), EPIKRISE)
    client = soap_client((conformance / "schemas/ipf-xds-wsdl/iti86.wsdl").as_uri(), plugins=[])
    service = bind(client, f"{{{v.NS_RMD}}}DocumentRepository_Binding_Soap12", address)
    wanted = {
        "RepositoryUniqueId": repository.settings.repository_unique_id,
        "DocumentUniqueId": document_unique_id(1),
    }
    response = service.DocumentRepository_RemoveDocuments(DocumentRequest=[wanted])
    assert (response["status"], error_codes(response)) == (SUCCESS, [])
    again = service.DocumentRepository_RemoveDocuments(DocumentRequest=[wanted])
    assert error_codes(again) == [XdsErrorCode.DOCUMENT_UNIQUE_ID_ERROR.value]
    retrieved = retrieve(official(conformance, address), repository, 1)
    assert error_codes(retrieved["RegistryResponse"]) == [
        XdsErrorCode.DOCUMENT_UNIQUE_ID_ERROR.value
    ]
