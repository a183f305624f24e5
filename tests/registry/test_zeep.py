"""A real SOAP client: zeep, loaded with the official IHE `XDS.b_DocumentRegistry.wsdl` of the
corpus and pointed at the running registry (`dokdeling run`), registers a submission (ITI-42) and
finds it (ITI-18), with development-issuer tokens in the Authorization header (a zeep plugin).

zeep takes the operations, their SOAP 1.2 binding and WS-Addressing actions from the official
WSDL, sends, and reads the answers into its types. Where zeep cannot model ebRIM
(tests/support/soap_client.py: substitution groups, ClassificationType), plugins bridge the wire.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from schemas import vocabulary as v
from tests.support.deployment import Deployment
from tests.support.registry_requests import submission_element
from tests.support.soap_client import Submitted, official_client
from tests.support.submissions import PATIENT_ID, valid_submission
from trustframework.context import CLAIM_ORGNR_PARENT
from trustframework.devissuer import DevIssuer, Persona, TokenRequest

pytestmark = pytest.mark.slow

WSDL = "XDS.b_DocumentRegistry.wsdl"
BINDING = f"{{{v.NS_XDSB}}}DocumentRegistry_Binding_Soap12"
OUS = "993467049"  # the author institution of the test submission: its data controller


def _service(conformance: Path, deployment: Deployment, token: str, *plugins: Any) -> Any:
    client = official_client(conformance, WSDL, token, *plugins)
    return client.create_service(BINDING, deployment.registry_endpoint)


def _slot(name: str, value: str) -> dict[str, Any]:
    """A rim:Slot as zeep builds it (ValueListType is a repeated sequence: `_value_1`)."""
    return {"name": name, "ValueList": {"_value_1": [{"Value": value}]}}


def _unique_ids(objects: Any) -> set[str]:
    return {
        identifier.value
        for obj in objects
        for identifier in obj.ExternalIdentifier or []
        if identifier.identificationScheme == v.DE_UNIQUE_ID
    }


def test_zeep_registers_and_finds_with_the_official_wsdl(
    conformance: Path, deployment: Deployment
) -> None:
    issuer = DevIssuer.from_data_dir(deployment.data_dir)
    publisher = issuer.issue(
        TokenRequest(persona=Persona.PUBLISHER, extra_claims={CLAIM_ORGNR_PARENT: OUS})
    )
    object_list = submission_element(valid_submission()).find(f"{{{v.NS_RIM}}}RegistryObjectList")
    assert object_list is not None
    objects = list(object_list)
    register = _service(conformance, deployment, publisher, Submitted(objects))

    registered = register["DocumentRegistry_RegisterDocumentSet-b"](RegistryObjectList={})

    assert registered.status == v.RESPONSE_SUCCESS
    assert registered.RegistryErrorList is None
    submitted = {
        obj.get("value")
        for element in objects
        for obj in element.iter(f"{{{v.NS_RIM}}}ExternalIdentifier")
        if obj.get("identificationScheme") == v.DE_UNIQUE_ID
    }
    gp = issuer.issue(TokenRequest(persona=Persona.GP, patient=PATIENT_ID))
    reader = _service(conformance, deployment, gp)

    found = reader["DocumentRegistry_RegistryStoredQuery"](
        ResponseOption={"returnType": "LeafClass", "returnComposedObjects": True},
        AdhocQuery={
            "id": v.QUERY_FIND_DOCUMENTS,
            "Slot": [
                _slot("$XDSDocumentEntryPatientId", f"'{PATIENT_ID}'"),
                _slot("$XDSDocumentEntryStatus", f"('{v.STATUS_APPROVED}')"),
            ],
        },
    )

    assert found.status == v.RESPONSE_SUCCESS
    entries = found.RegistryObjectList.Identifiable
    assert {type(entry).__name__ for entry in entries} == {"ExtrinsicObjectType"}
    assert submitted <= _unique_ids(entries)
    assert all(entry.status == v.STATUS_APPROVED for entry in entries)
