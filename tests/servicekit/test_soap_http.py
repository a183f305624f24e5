"""A service app serving one SOAP transaction: dispatch, metrics per action, WSDL."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from lxml import etree

from schemas import vocabulary as v
from schemas.endpoint import Handler, SoapRequest, SoapResponse
from schemas.soap import FaultCode, SoapFault, build_request, read_envelope, sender_fault
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
        if request.envelope.body.get("fail") == "auth":
            challenge = ("WWW-Authenticate", 'Bearer realm="dokdeling"')
            raise SoapFault(
                code=FaultCode.SENDER, reason="no", http_status=401, http_headers=(challenge,)
            )
        if request.envelope.body.get("fail"):
            raise sender_fault("asked to fail")
        payload = etree.Element(f"{{{v.NS_RS}}}RegistryResponse", status=state.answer)
        payload.set("method", request.http.method)
        payload.set("url", request.http.url)
        payload.set("authorization", request.http.header("authorization") or "")
        return SoapResponse(action=ECHO.response_action, payload=payload)

    return handle


ECHO_TRANSACTION = SoapTransaction[EchoState](operation=ECHO, handler=echo_handler)


def echo_app(tmp_path: Path, trusted_proxies: int = 0) -> Flask:
    env = EnvReader({"DOKDELING_DATA_DIR": str(tmp_path)})
    setup = ServiceSetup(
        service="registry",  # any service with migrations; the SOAP edge is what is tested
        database_url=f"sqlite:///{tmp_path / 'echo.sqlite'}",
        broker=BrokerSettings.from_env(env, tmp_path),
        xml_limits=xml_limits_from_env(env),
        trusted_proxies=trusted_proxies,
    )
    return create_service_app(
        setup,
        make_state=lambda _runtime: EchoState(answer=v.RESPONSE_SUCCESS),
        soap=SoapEdge(path="/xds/echo", wsdl_name="Echo", transactions=(ECHO_TRANSACTION,)),
    )


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    return echo_app(tmp_path)


def post(app: Flask, fail: bool = False) -> tuple[int, etree._Element]:
    payload = etree.Element(ECHO.request.text, fail="yes" if fail else "")
    response = app.test_client().post(
        "/xds/echo", data=build_request(ECHO.action, payload), content_type="application/soap+xml"
    )
    return response.status_code, read_envelope(parse_xml(response.data)).body


def test_handlers_see_the_http_request_and_faults_carry_headers(app: Flask) -> None:
    client = app.test_client()
    request = build_request(ECHO.action, etree.Element(ECHO.request.text))
    headers = {"Authorization": "Bearer abc"}
    response = client.post(
        "/xds/echo?x=1", data=request, content_type="application/soap+xml", headers=headers
    )
    body = read_envelope(parse_xml(response.data)).body
    assert (body.get("method"), body.get("authorization")) == ("POST", "Bearer abc")
    assert body.get("url") == "http://localhost/xds/echo?x=1"

    refused = build_request(ECHO.action, etree.Element(ECHO.request.text, fail="auth"))
    response = client.post("/xds/echo", data=refused, content_type="application/soap+xml")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="dokdeling"'


def test_behind_trusted_proxies_handlers_see_the_external_url(tmp_path: Path) -> None:
    forwarded = {
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "xds.example.org",
        "X-Forwarded-Port": "443",
        "X-Forwarded-Prefix": "/nhn",
    }
    request = build_request(ECHO.action, etree.Element(ECHO.request.text))
    for proxies, expected in (
        (0, "http://localhost/xds/echo"),
        (1, "https://xds.example.org/nhn/xds/echo"),
    ):
        client = echo_app(tmp_path / str(proxies), proxies).test_client()
        response = client.post(
            "/xds/echo", data=request, content_type="application/soap+xml", headers=forwarded
        )
        assert read_envelope(parse_xml(response.data)).body.get("url") == expected


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
