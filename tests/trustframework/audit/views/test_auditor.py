"""The auditor's pages and FHIR API: only the own organisation's records, every look audited."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from lxml import etree

from tests.support.audit import HELSE_BERGEN, OUS
from tests.support.audit_app import AUDITOR, OPERATOR_ORGANISATION, AuditApp, create_audit_app
from tests.support.people import GP, OTHER_PATIENT, PATIENT
from trustframework.audit.record import AccessDecision
from trustframework.audit.store import RecordFilter
from trustframework.policy import Transaction


@pytest.fixture
def audit_app(tmp_path: Path) -> AuditApp:
    return create_audit_app(tmp_path)


@pytest.fixture
def client(audit_app: AuditApp) -> FlaskClient:
    return audit_app.app.test_client()


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _views(audit_app: AuditApp) -> list[AccessDecision]:
    where = RecordFilter(transactions=frozenset({Transaction.AUDIT_VIEW}))
    return [r.entry.outcome.decision for r in audit_app.audit.store.search(where, limit=100)]


def test_without_a_token_401_with_a_challenge(client: FlaskClient, audit_app: AuditApp) -> None:
    response = client.get("/audit/")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith('Bearer realm="dokdeling"')
    assert _views(audit_app) == [AccessDecision.DENY]


def test_without_the_audit_scope_403(client: FlaskClient, audit_app: AuditApp) -> None:
    response = client.get("/audit/api/events", headers=_bearer(audit_app.practitioner_token()))
    assert response.status_code == 403
    assert 'error="insufficient_scope"' in response.headers["WWW-Authenticate"]
    assert response.json is not None
    assert response.json["resourceType"] == "OperationOutcome"


def test_a_citizen_may_not_audit(client: FlaskClient, audit_app: AuditApp) -> None:
    response = client.get("/audit/", headers=_bearer(audit_app.citizen_token()))
    assert response.status_code == 403


def test_the_list_shows_the_own_organisations_records(
    client: FlaskClient, audit_app: AuditApp
) -> None:
    response = client.get("/audit/", headers=_bearer(audit_app.auditor_token()))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for unique_id in ("1.1.1", "1.1.2", "1.1.3", "1.1.4"):
        assert unique_id in page
    assert "2.1.1" not in page  # Helse Bergen's document
    assert "Avvist: practitioner_blocked_by_patient" in page
    assert "nødtilgang" in page
    assert GP not in page  # the national id only on the detail page, decrypted
    assert _views(audit_app) == [AccessDecision.PERMIT]


def test_security_headers(client: FlaskClient, audit_app: AuditApp) -> None:
    response = client.get("/audit/", headers=_bearer(audit_app.auditor_token()))
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "script-src" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert "<script" not in response.get_data(as_text=True)


def test_filters(client: FlaskClient, audit_app: AuditApp) -> None:
    headers = _bearer(audit_app.auditor_token())
    page = client.get(f"/audit/?patient={OTHER_PATIENT}", headers=headers).get_data(as_text=True)
    assert "1.1.2" in page
    assert "1.1.1" not in page
    by_hpr = client.get("/audit/?practitioner=9144900", headers=headers).get_data(as_text=True)
    assert "1.1.1" in by_hpr
    none_later = client.get("/audit/?from=2999-01-01", headers=headers).get_data(as_text=True)
    assert "Ingen hendelser passer søket" in none_later


def test_a_bad_filter_is_400_and_recorded(client: FlaskClient, audit_app: AuditApp) -> None:
    response = client.get("/audit/?practitioner=abc", headers=_bearer(audit_app.auditor_token()))
    assert response.status_code == 400
    assert "practitioner: an HPR number" in response.get_data(as_text=True)


def test_paging(client: FlaskClient, audit_app: AuditApp) -> None:
    headers = _bearer(audit_app.auditor_token())
    first = client.get("/audit/api/events?_count=2", headers=headers).json
    assert first is not None
    assert len(first["entry"]) == 2
    following = next(link["url"] for link in first["link"] if link["relation"] == "next")
    second = client.get(following, headers=headers).json
    assert second is not None
    ids = {e["resource"]["id"] for e in first["entry"]} & {
        e["resource"]["id"] for e in second["entry"]
    }
    assert ids == set()


def test_the_detail_page_shows_the_decrypted_attest(
    client: FlaskClient, audit_app: AuditApp
) -> None:
    headers = _bearer(audit_app.auditor_token())
    (record,) = audit_app.audit.store.search(RecordFilter(patient_id=OTHER_PATIENT), limit=1)
    page = client.get(f"/audit/records/{record.entry.record_id}", headers=headers).get_data(
        as_text=True
    )
    assert "Attest (dekryptert)" in page
    assert GP in page
    assert "6f1c2a0e-5b7d-4c39-9a1e-2f8b3c4d5e6f" in page  # decision_ref id


def test_another_organisations_record_is_not_found(
    client: FlaskClient, audit_app: AuditApp
) -> None:
    (record,) = audit_app.audit.store.search(RecordFilter(data_controller=HELSE_BERGEN.id), limit=1)
    response = client.get(
        f"/audit/records/{record.entry.record_id}", headers=_bearer(audit_app.auditor_token())
    )
    assert response.status_code == 404


def test_the_operator_sees_everything(client: FlaskClient, audit_app: AuditApp) -> None:
    token = audit_app.auditor_token(OPERATOR_ORGANISATION)
    page = client.get("/audit/", headers=_bearer(token)).get_data(as_text=True)
    assert "1.1.1" in page
    assert "2.1.1" in page


def test_fhir_api(client: FlaskClient, audit_app: AuditApp) -> None:
    headers = _bearer(audit_app.auditor_token(HELSE_BERGEN.id))
    response = client.get(
        f"/audit/api/events?patient={PATIENT}&organization={OUS.id}", headers=headers
    )
    assert response.status_code == 200
    assert response.mimetype == "application/fhir+json"
    bundle = response.json
    assert bundle is not None
    assert bundle["type"] == "searchset"
    (entry,) = bundle["entry"]
    assert entry["resource"]["entity"][1]["what"]["identifier"]["value"] == "2.1.1"
    assert bundle["total"] == 1


def test_exports(client: FlaskClient, audit_app: AuditApp) -> None:
    headers = _bearer(audit_app.auditor_token())
    fhir = client.get(f"/audit/export?format=fhir&patient={OTHER_PATIENT}", headers=headers)
    assert fhir.status_code == 200
    assert "attachment" in fhir.headers["Content-Disposition"]
    assert len(json.loads(fhir.get_data())["entry"]) == 1
    atna = client.get("/audit/export?format=atna", headers=headers)
    messages = etree.fromstring(atna.get_data()).findall("AuditMessage")
    assert len(messages) >= 4


def test_when_the_look_cannot_be_audited_nothing_is_shown(
    client: FlaskClient, audit_app: AuditApp
) -> None:
    with audit_app.audit.store.engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TRIGGER refuse BEFORE INSERT ON registry_audit_record "
            "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        )
    response = client.get("/audit/", headers=_bearer(audit_app.auditor_token()))
    assert response.status_code == 503
    assert "1.1.1" not in response.get_data(as_text=True)
    api = client.get("/audit/api/events", headers=_bearer(audit_app.auditor_token()))
    assert api.status_code == 503


def test_an_auditor_token_without_organisation(client: FlaskClient, audit_app: AuditApp) -> None:
    token = audit_app.token(AUDITOR, "dokdeling/audit")
    assert client.get("/audit/", headers=_bearer(token)).status_code == 403
