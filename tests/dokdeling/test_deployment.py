"""A running deployment (the session `deployment` fixture) as real clients see it."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import zeep.exceptions

from schemas import vocabulary as v
from tests.support.deployment import Deployment
from tests.support.people import PATIENT
from tests.support.soap_client import Authorization, zeep_client
from trustframework.devissuer import DevIssuer, Persona, TokenRequest

pytestmark = pytest.mark.slow

FIND_DOCUMENTS = "urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d"


def official_service(
    conformance: Path, wsdl: str, binding: str, address: str, token: str | None = None
) -> Any:
    """The official IHE WSDL (with the ebRS schemas), bound to our address."""
    plugins = [Authorization(token)] if token is not None else []
    client = zeep_client((conformance / "schemas/ihe-xdsb/wsdl" / wsdl).as_uri(), plugins)
    return client.create_service(f"{{{v.NS_XDSB}}}{binding}", address)


def test_official_registry_wsdl_client_without_a_token_gets_the_401_fault(
    conformance: Path, deployment: Deployment
) -> None:
    service = official_service(
        conformance,
        "XDS.b_DocumentRegistry.wsdl",
        "DocumentRegistry_Binding_Soap12",
        deployment.registry_endpoint,
    )
    with pytest.raises(zeep.exceptions.Fault) as raised:
        service["DocumentRegistry_RegistryStoredQuery"](
            ResponseOption={"returnType": "LeafClass", "returnComposedObjects": True},
            AdhocQuery={"id": FIND_DOCUMENTS},
        )
    assert raised.value.message.startswith("credentials_missing")


def test_official_repository_wsdl_client_retrieves_from_the_repository(
    conformance: Path, deployment: Deployment
) -> None:
    def retrieve(token: str | None) -> Any:
        service = official_service(
            conformance,
            "XDS.b_DocumentRepository.wsdl",
            "DocumentRepository_Binding",
            deployment.repository_endpoint,
            token,
        )
        return service["DocumentRepository_RetrieveDocumentSet"](
            DocumentRequest=[{"RepositoryUniqueId": "1.2.3", "DocumentUniqueId": "1.2.3.4"}]
        )

    with pytest.raises(zeep.exceptions.Fault) as raised:
        retrieve(None)
    assert raised.value.message.startswith("credentials_missing")
    issuer = DevIssuer.from_data_dir(deployment.data_dir)
    response = retrieve(issuer.issue(TokenRequest(persona=Persona.GP, patient=PATIENT)))
    assert response["RegistryResponse"]["status"] == v.RESPONSE_FAILURE
    (error,) = response["RegistryResponse"]["RegistryErrorList"]["RegistryError"]
    assert error["errorCode"] == "XDSUnknownRepositoryId"


@pytest.mark.parametrize("service", ["registry", "repository"])
def test_served_wsdl_loads_in_zeep(deployment: Deployment, service: str) -> None:
    endpoint = getattr(deployment, f"{service}_endpoint")
    client = zeep_client(f"{endpoint}?wsdl")
    assert client.service._binding_options["address"] == endpoint


def test_metrics_add_up_every_gunicorn_worker(deployment: Deployment) -> None:
    for _ in range(4):
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(f"{deployment.registry_url}/no-such-page", timeout=10)
    with urllib.request.urlopen(f"{deployment.registry_url}/metrics", timeout=10) as response:
        text = response.read().decode()
    assert 'dokdeling_http_requests_total{method="GET",route="unmatched",status="404"} 4.0' in text
    assert 'process_resident_memory_bytes{pid="' in text
