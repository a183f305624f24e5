"""The citizen's access log: who read my documents, and never a practitioner's national id."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.support.audit import HELSE_BERGEN, OUS
from tests.support.audit_app import AUDITOR, AuditApp, create_audit_app
from tests.support.people import GP, OTHER_PATIENT, PATIENT
from trustframework.audit.store import RecordFilter
from trustframework.policy import Transaction


@pytest.fixture
def audit_app(tmp_path: Path) -> AuditApp:
    return create_audit_app(tmp_path)


@pytest.fixture
def client(audit_app: AuditApp) -> FlaskClient:
    return audit_app.app.test_client()


def _get(client: FlaskClient, token: str) -> tuple[int, bytes]:
    response = client.get("/citizen/api/access-log", headers={"Authorization": f"Bearer {token}"})
    return response.status_code, response.get_data()


def test_the_citizen_sees_who_read_their_documents(
    client: FlaskClient, audit_app: AuditApp
) -> None:
    response = client.get(
        "/citizen/api/access-log", headers={"Authorization": f"Bearer {audit_app.citizen_token()}"}
    )
    assert response.status_code == 200
    assert response.json is not None
    entries = response.json["entries"]
    documents = sorted(d for e in entries for d in e["documents"])
    assert documents == ["1.1.1", "1.1.3", "2.1.1"]  # not the refused read, not the other patient
    first = next(e for e in entries if "2.1.1" in e["documents"])
    assert first["practitioner"] == {
        "name": "Magnar Koman",
        "hpr_number": "9144900",
        "authorization": {"code": "LE", "text": "Lege"},
    }
    assert first["organisation"] == {"id": "993467049", "name": "OSLO UNIVERSITETSSYKEHUS HF"}
    assert first["purpose"] == {"code": "TREAT", "text": "Behandling"}
    assert first["data_controller"] == {"id": HELSE_BERGEN.id, "name": HELSE_BERGEN.name}
    assert first["time"].endswith("Z")
    assert any(e["break_the_glass"] for e in entries)
    assert {e["data_controller"]["id"] for e in entries} == {OUS.id, HELSE_BERGEN.id}


def test_no_national_id_of_a_practitioner_in_the_body(
    client: FlaskClient, audit_app: AuditApp
) -> None:
    status, body = _get(client, audit_app.citizen_token(PATIENT))
    assert status == 200
    assert GP.encode() not in body
    assert AUDITOR.encode() not in body


def test_another_citizen_sees_only_their_own(client: FlaskClient, audit_app: AuditApp) -> None:
    response = client.get(
        "/citizen/api/access-log",
        headers={"Authorization": f"Bearer {audit_app.citizen_token(OTHER_PATIENT)}"},
    )
    assert response.json is not None
    assert [e["documents"] for e in response.json["entries"]] == [["1.1.2"]]


def test_the_look_is_audited(client: FlaskClient, audit_app: AuditApp) -> None:
    _get(client, audit_app.citizen_token(PATIENT))
    where = RecordFilter(transactions=frozenset({Transaction.CITIZEN_ACCESS_LOG}))
    (record,) = audit_app.audit.store.search(where, limit=5)
    assert record.entry.patient is not None
    assert record.entry.patient.id == PATIENT
    assert record.entry.practitioner is None


def test_refusals(client: FlaskClient, audit_app: AuditApp) -> None:
    unauthenticated = client.get("/citizen/api/access-log")
    assert unauthenticated.status_code == 401
    assert "WWW-Authenticate" in unauthenticated.headers
    status, body = _get(client, audit_app.auditor_token())
    assert status == 403
    assert b"insufficient_scope" in body
