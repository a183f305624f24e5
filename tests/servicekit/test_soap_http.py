"""A service app serving one SOAP transaction: dispatch, metrics per action, WSDL."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from lxml import etree

from schemas import vocabulary as v
from schemas.endpoint import Handler, SoapRequest, SoapResponse
from schemas.soap import build_request, read_envelope, sender_fault
from schemas.wsdl import WsdlOperation
from schemas.xml import parse_xml
from servicekit.app import ServiceSetup, create_service_app
from servicekit.config import BrokerSettings, EnvReader, xml_limits_from_env
from servicekit.soap_http import SoapEdge, SoapTransaction, handler_mapping
from tests.support.soap_client import zeep_client

ECHO = WsdlOperation(
    name="Echo",
    action="urn:dokdeling:test:Echo",
    request=etree.QName(v.NS_LCM, "SubmitObjectsRequest"),
    response=etree.QName(v.NS_RS, "RegistryResponse"),
)


@dataclass(frozen=True)
class EchoState:
    answer: str


def echo_handler(state: EchoState) -> Handler:
    def handle(request: SoapRequest) -> SoapResponse:
        if request.envelope.body.get("fail"):
            raise sender_fault("asked to fail")
        payload = etree.Element(f"{{{v.NS_RS}}}RegistryResponse", status=state.answer)
        return SoapResponse(action=ECHO.response_action, payload=payload)

    return handle


ECHO_TRANSACTION = SoapTransaction[EchoState](operation=ECHO, handler=echo_handler)


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    env = EnvReader({"DOKDELING_DATA_DIR": str(tmp_path)})
    setup = ServiceSetup(
        service="registry",  # any service with migrations; the SOAP edge is what is tested
        database_url=f"sqlite:///{tmp_path / 'echo.sqlite'}",
        broker=BrokerSettings.from_env(env, tmp_path),
        xml_limits=xml_limits_from_env(env),
    )
    return create_service_app(
        setup,
        make_state=lambda _runtime: EchoState(answer=v.RESPONSE_SUCCESS),
        soap=SoapEdge(path="/xds/echo", wsdl_name="Echo", transactions=(ECHO_TRANSACTION,)),
    )


def post(app: Flask, fail: bool = False) -> tuple[int, etree._Element]:
    payload = etree.Element(ECHO.request.text, fail="yes" if fail else "")
    response = app.test_client().post(
        "/xds/echo", data=build_request(ECHO.action, payload), content_type="application/soap+xml"
    )
    return response.status_code, read_envelope(parse_xml(response.data)).body


def test_a_registered_transaction_answers_and_is_counted_by_action(app: Flask) -> None:
    status, body = post(app)
    assert status == 200
    assert body.get("status") == v.RESPONSE_SUCCESS
    assert post(app, fail=True)[0] == 400
    metrics = app.test_client().get("/metrics").get_data(as_text=True)
    requests = f'dokdeling_soap_requests_total{{action="{ECHO.action}"'
    assert f'{requests},outcome="success"}} 1.0' in metrics
    assert f'{requests},outcome="fault"}} 1.0' in metrics
    duration_count = f'dokdeling_soap_request_duration_seconds_count{{action="{ECHO.action}"}}'
    assert f"{duration_count} 2.0" in metrics


def test_the_wsdl_publishes_the_registered_operation(app: Flask, tmp_path: Path) -> None:
    response = app.test_client().get("/xds/echo?wsdl")
    assert response.status_code == 200
    wsdl = tmp_path / "echo.wsdl"
    wsdl.write_bytes(response.data)
    client = zeep_client(wsdl.as_uri())
    port = client.wsdl.services["Echo_Service"].ports["Echo_Port_Soap12"]
    assert list(port.binding._operations) == ["Echo"]
    assert port.binding_options["address"] == "http://localhost/xds/echo"


def test_two_transactions_cannot_claim_one_action() -> None:
    with pytest.raises(ValueError, match="two SOAP transactions claim"):
        handler_mapping([ECHO_TRANSACTION, ECHO_TRANSACTION], EchoState(answer="x"))
