"""The repository's SOAP endpoint as a real client uses it: zeep with the official WSDLs
(XDS.b_DocumentRepository.wsdl for ITI-41/43, IPF's iti86.wsdl) against the secured deployment
(`dokdeling run`: registry, repository and worker as processes), with development-issuer tokens
in the Authorization header: ITI-41 sent as MTOM and registered at the real registry, ITI-43
answered as MTOM, ITI-86 removing."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
import requests

from repository.settings import DEVELOPMENT_REPOSITORY_UNIQUE_ID
from schemas import vocabulary as v
from schemas.ebrim.retrieve import build_retrieve_document_set_request
from schemas.ebrim.submit import RimSubmission, build_submit_objects_request, submission_from_rim
from schemas.errors import XdsErrorCode
from schemas.model.messages import DocumentRequest, RetrieveDocumentSetRequest
from schemas.soap import build_request
from tests.support.deployment import Deployment
from tests.support.repository import entry_id, eventually, provided_for, with_unique_ids
from tests.support.submissions import PATIENT_ID
from tests.support.zeep_mtom import MtomTransport, SubmissionPlugin, bind, soap_client
from trustframework.context import CLAIM_ORGNR_PARENT
from trustframework.devissuer import DevIssuer, Persona, TokenRequest

pytestmark = pytest.mark.slow

EPIKRISE = b"%PDF-1.7 epikrise etter innleggelse\n" + bytes(range(256)) * 40 + b"%%EOF"
NOTAT = b"poliklinisk notat\n"
SUCCESS = v.RESPONSE_SUCCESS
FAILURE = v.RESPONSE_FAILURE
OUS = "993467049"  # the author institution of the test submission: its data controller
UNFED_PATIENT = f"{uuid.uuid4().hex[:16]}^^^&{v.IHE_TEST_PATIENT_AUTHORITY}&ISO"


def bearer(deployment: Deployment, persona: Persona, **request: Any) -> dict[str, str]:
    issuer = DevIssuer.from_data_dir(deployment.data_dir)
    return {"Authorization": f"Bearer {issuer.issue(TokenRequest(persona=persona, **request))}"}


def source(deployment: Deployment) -> dict[str, str]:
    return bearer(deployment, Persona.PUBLISHER, extra_claims={CLAIM_ORGNR_PARENT: OUS})


def gp(deployment: Deployment) -> dict[str, str]:
    return bearer(deployment, Persona.GP, patient=PATIENT_ID)


class Documents:
    """A submission of `count` documents with uniqueIds of their own (the deployment is shared)."""

    def __init__(self, count: int, *, patient: str = PATIENT_ID) -> None:
        self.unique_ids = [f"2.25.{uuid.uuid4().int}" for _ in range(count)]
        objects = with_unique_ids(provided_for(patient, count), self.unique_ids)
        self.submission = build_submit_objects_request(
            submission_from_rim(RimSubmission(object_list=objects))
        )


def official(
    conformance: Path,
    deployment: Deployment,
    documents: Documents,
    headers: dict[str, str],
    *,
    transport: MtomTransport | None = None,
) -> Any:
    """ITI-41 and ITI-43 of the official WSDL, bound to the deployment's repository; ITI-41
    submits `documents`, every request carries `headers`."""
    client = soap_client(
        (conformance / "schemas/ihe-xdsb/wsdl/XDS.b_DocumentRepository.wsdl").as_uri(),
        transport=transport or MtomTransport(http_headers=headers),
        plugins=[SubmissionPlugin(documents.submission)],
    )
    return bind(
        client, f"{{{v.NS_XDSB}}}DocumentRepository_Binding", deployment.repository_endpoint
    )


def provide(service: Any, *contents: bytes) -> Any:
    return service["DocumentRepository_ProvideAndRegisterDocumentSet-b"](
        SubmitObjectsRequest={"RegistryObjectList": {}},
        Document=[
            {"_value_1": content, "id": entry_id(n)} for n, content in enumerate(contents, 1)
        ],
    )


def retrieve(service: Any, *unique_ids: str) -> Any:
    return service["DocumentRepository_RetrieveDocumentSet"](
        DocumentRequest=[
            {"RepositoryUniqueId": DEVELOPMENT_REPOSITORY_UNIQUE_ID, "DocumentUniqueId": u}
            for u in unique_ids
        ]
    )


def error_codes(response: Any) -> list[str]:
    errors = response["RegistryErrorList"]
    return [] if errors is None else [e["errorCode"] for e in errors["RegistryError"]]


def test_provide_as_mtom_then_retrieve_as_mtom(conformance: Path, deployment: Deployment) -> None:
    documents = Documents(2)
    transport = MtomTransport(http_headers=source(deployment))
    publisher = official(conformance, deployment, documents, {}, transport=transport)
    response = provide(publisher, EPIKRISE, NOTAT)
    assert (response["status"], error_codes(response)) == (SUCCESS, [])
    assert transport.sent_content_types[-1].startswith("multipart/related")

    reader = official(conformance, deployment, documents, gp(deployment))
    retrieved = retrieve(reader, *documents.unique_ids)
    assert retrieved["RegistryResponse"]["status"] == SUCCESS
    by_id = {d["DocumentUniqueId"]: d for d in retrieved["DocumentResponse"]}
    first, second = documents.unique_ids
    assert by_id[first]["Document"] == EPIKRISE
    assert by_id[first]["mimeType"] == "application/pdf"
    # zeep strips a binary part's trailing CR/LF (docs/mtom.md): compare the rest
    assert by_id[second]["Document"] == NOTAT.rstrip(b"\n")


def test_a_retrieve_without_a_token_is_refused(conformance: Path, deployment: Deployment) -> None:
    documents = Documents(1)
    provide(official(conformance, deployment, documents, source(deployment)), EPIKRISE)
    envelope = retrieve_envelope(deployment, documents.unique_ids[0])
    headers = {"Content-Type": f'application/soap+xml; action="{v.ACTION_RETRIEVE}"'}
    refused = requests.post(
        deployment.repository_endpoint, data=envelope, headers=headers, timeout=30
    )
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"] == 'Bearer realm="dokdeling"'
    assert EPIKRISE not in refused.content

    answer = requests.post(
        deployment.repository_endpoint,
        data=envelope,
        headers=headers | gp(deployment),
        timeout=30,
    )
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("multipart/related")
    assert EPIKRISE in answer.content


def retrieve_envelope(deployment: Deployment, unique_id: str) -> bytes:
    request = RetrieveDocumentSetRequest(
        documents=(
            DocumentRequest(
                repository_unique_id=DEVELOPMENT_REPOSITORY_UNIQUE_ID, document_unique_id=unique_id
            ),
        )
    )
    payload = build_retrieve_document_set_request(request)
    return build_request(v.ACTION_RETRIEVE, payload, to=deployment.repository_endpoint)


def test_missing_documents_and_metadata_are_named(
    conformance: Path, deployment: Deployment
) -> None:
    response = provide(official(conformance, deployment, Documents(2), source(deployment)), NOTAT)
    assert response["status"] == FAILURE
    assert error_codes(response) == [XdsErrorCode.MISSING_DOCUMENT.value]
    one = official(conformance, deployment, Documents(1), source(deployment))
    assert error_codes(provide(one, EPIKRISE, NOTAT)) == [
        XdsErrorCode.MISSING_DOCUMENT_METADATA.value
    ]


def test_the_registrys_errors_reach_the_source(conformance: Path, deployment: Deployment) -> None:
    unfed = Documents(1, patient=UNFED_PATIENT)
    response = provide(official(conformance, deployment, unfed, source(deployment)), EPIKRISE)
    assert response["status"] == FAILURE
    assert error_codes(response) == [XdsErrorCode.UNKNOWN_PATIENT_ID.value]


def test_deferred_registration_on_request(conformance: Path, deployment: Deployment) -> None:
    documents = Documents(1)
    transport = MtomTransport(http_headers={**source(deployment), "Prefer": "respond-async"})
    response = provide(
        official(conformance, deployment, documents, {}, transport=transport), EPIKRISE
    )
    assert response["status"] == SUCCESS
    assert transport.last_response_headers["Preference-Applied"] == "respond-async"
    reader = official(conformance, deployment, documents, gp(deployment))

    def registered() -> bool:  # from the outbox, by the worker
        return bool(retrieve(reader, documents.unique_ids[0])["DocumentResponse"])

    eventually(registered)


def test_remove_documents_with_the_iti86_wsdl(conformance: Path, deployment: Deployment) -> None:
    documents = Documents(1)
    provide(official(conformance, deployment, documents, source(deployment)), EPIKRISE)
    client = soap_client(
        (conformance / "schemas/ipf-xds-wsdl/iti86.wsdl").as_uri(),
        transport=MtomTransport(http_headers=source(deployment)),
        plugins=[],
    )
    service = bind(
        client, f"{{{v.NS_RMD}}}DocumentRepository_Binding_Soap12", deployment.repository_endpoint
    )
    wanted = {
        "RepositoryUniqueId": DEVELOPMENT_REPOSITORY_UNIQUE_ID,
        "DocumentUniqueId": documents.unique_ids[0],
    }
    response = service.DocumentRepository_RemoveDocuments(DocumentRequest=[wanted])
    assert (response["status"], error_codes(response)) == (SUCCESS, [])
    again = service.DocumentRepository_RemoveDocuments(DocumentRequest=[wanted])
    assert error_codes(again) == [XdsErrorCode.DOCUMENT_UNIQUE_ID_ERROR.value]
    reader = official(conformance, deployment, documents, gp(deployment))
    retrieved = retrieve(reader, documents.unique_ids[0])
    assert error_codes(retrieved["RegistryResponse"]) == [
        XdsErrorCode.DOCUMENT_UNIQUE_ID_ERROR.value
    ]
