"""The patient feed over HTTP (`POST /admin/patients`), the audit views and the WSDL the registry
serves beside its SOAP endpoint."""

from __future__ import annotations

from lxml import etree

from schemas import vocabulary as v
from schemas.xml import parse_xml
from tests.registry.http.conftest import OUS, Registry
from tests.support.submissions import PATIENT_NIN, valid_submission
from trustframework.audit.record import AccessDecision, Result
from trustframework.context import CLAIM_ORGNR_PARENT
from trustframework.devissuer import Persona
from trustframework.policy import Transaction

NIST_PATIENT = "8d3f0c2a9b1e4f57^^^&1.3.6.1.4.1.21367.2005.3.7&ISO"


def _feed(
    registry: Registry, body: object, token: str | None
) -> tuple[int, dict[str, str], object]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = registry.client.post("/admin/patients", json=body, headers=headers)
    return response.status_code, dict(response.headers), response.get_json()


def test_the_feed_adds_a_patient_once_and_audits_it(registry: Registry) -> None:
    admin = registry.token(scopes=("dokdeling/admin",))

    assert _feed(registry, {"patient_id": NIST_PATIENT}, admin)[0] == 201
    status, _, body = _feed(registry, {"patient_id": NIST_PATIENT}, admin)

    assert status == 200
    assert body == {"patient_id": NIST_PATIENT, "status": "known"}
    records = registry.records()
    assert [r.entry.transaction for r in records] == [Transaction.ADMIN] * 2
    assert records[0].entry.patient is not None
    assert records[0].entry.patient.id == "8d3f0c2a9b1e4f57"


def test_the_feed_refuses_what_it_cannot_use(registry: Registry) -> None:
    admin = registry.token(scopes=("dokdeling/admin",))
    bodies: list[object] = [
        {"patient_id": "no-authority"},
        {"wrong": 1},
        [],
        {"patient_id": f"{PATIENT_NIN[:-1]}0^^^&2.16.578.1.12.4.1.4.1&ISO"},  # check digit
    ]
    for body in bodies:
        status, headers, problem = _feed(registry, body, admin)
        assert status == 400, body
        assert headers["Content-Type"] == "application/problem+json"
        assert isinstance(problem, dict)
        assert problem["status"] == 400
    assert all(r.entry.outcome.result is Result.FAILURE for r in registry.records())


def test_the_feed_needs_the_admin_scope(registry: Registry) -> None:
    status, headers, problem = _feed(registry, {"patient_id": NIST_PATIENT}, None)
    assert status == 401
    assert headers["WWW-Authenticate"] == 'Bearer realm="dokdeling"'
    assert isinstance(problem, dict)
    assert problem["detail"].startswith("credentials_missing")

    publisher = registry.token()  # publish, update, delete: no admin
    status, _, problem = _feed(registry, {"patient_id": NIST_PATIENT}, publisher)
    assert status == 403
    assert isinstance(problem, dict)
    assert problem["detail"].startswith("insufficient_scope")
    assert [r.entry.outcome.decision for r in registry.records()] == [AccessDecision.DENY] * 2


def test_the_data_controllers_auditor_sees_the_registration(registry: Registry) -> None:
    registry.register(valid_submission())
    auditor = registry.token(
        Persona.PUBLISHER, scopes=("dokdeling/audit",), extra_claims={CLAIM_ORGNR_PARENT: OUS}
    )

    response = registry.client.get(
        "/audit/api/events", headers={"Authorization": f"Bearer {auditor}"}
    )

    assert response.status_code == 200
    bundle = response.get_json()
    subtypes = {
        coding["code"]
        for entry in bundle["entry"]
        for coding in entry["resource"].get("subtype", [])
    }
    assert "ITI-42" in subtypes


def test_the_wsdl_lists_the_five_transactions(registry: Registry) -> None:
    response = registry.client.get("/xds/registry?wsdl")
    wsdl = parse_xml(response.data)
    inputs = wsdl.iter(f"{{{v.NS_WSDL}}}input")
    actions = {action for i in inputs if (action := i.get(f"{{{v.NS_WSAW}}}Action"))}
    assert actions == {
        v.ACTION_REGISTER,
        v.ACTION_STORED_QUERY,
        v.ACTION_MULTI_PATIENT_QUERY,
        v.ACTION_UPDATE,
        v.ACTION_DELETE,
    }
    assert etree.QName(wsdl).localname == "definitions"
