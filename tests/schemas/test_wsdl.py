from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import etree

from schemas import vocabulary as v
from schemas.wsdl import WsdlOperation, build_wsdl
from tests.support.soap_client import zeep_client

REGISTER = WsdlOperation(
    name="DocumentRegistry_RegisterDocumentSet-b",
    action=v.ACTION_REGISTER,
    request=etree.QName(v.NS_LCM, "SubmitObjectsRequest"),
    response=etree.QName(v.NS_RS, "RegistryResponse"),
)
QUERY = WsdlOperation(
    name="DocumentRegistry_RegistryStoredQuery",
    action=v.ACTION_STORED_QUERY,
    request=etree.QName(v.NS_QUERY, "AdhocQueryRequest"),
    response=etree.QName(v.NS_QUERY, "AdhocQueryResponse"),
)


def load(tmp_path: Path, data: bytes) -> Any:
    path = tmp_path / "service.wsdl"
    path.write_bytes(data)
    return zeep_client(path.as_uri())


def test_zeep_loads_the_operations_and_renders_wsa_and_payload(tmp_path: Path) -> None:
    address = "http://127.0.0.1:8010/xds/registry"
    client = load(tmp_path, build_wsdl("DocumentRegistry", address, [REGISTER, QUERY]))
    child = etree.Element(f"{{{v.NS_RIM}}}RegistryObjectList")
    message = client.create_message(
        client.service, REGISTER.name, _value_1=[child], _attr_1={"id": "ss1"}
    )
    assert message.tag == f"{{{v.NS_SOAP12}}}Envelope"
    assert message.findtext(f".//{{{v.NS_WSA}}}Action") == v.ACTION_REGISTER
    assert message.findtext(f".//{{{v.NS_WSA}}}To") == address
    payload = message.find(f".//{{{v.NS_SOAP12}}}Body/{{{v.NS_LCM}}}SubmitObjectsRequest")
    assert payload is not None
    assert payload.get("id") == "ss1"
    assert payload[0].tag == child.tag


def test_an_endpoint_without_operations_still_loads(tmp_path: Path) -> None:
    client = load(tmp_path, build_wsdl("DocumentRepository", "http://h/xds/repository", []))
    service = client.wsdl.services["DocumentRepository_Service"]
    assert list(service.ports["DocumentRepository_Port_Soap12"].binding._operations) == []
