"""Exports: a FHIR R4 AuditEvent Bundle and DICOM PS3.15 audit messages with what they require."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from tests.support.attests import HPR_OF_GP
from tests.support.audit import (
    CLIENT_ORGANISATION,
    OUS,
    REPOSITORY_ID,
    document,
    keyring,
    read_event,
    sql_store,
    sqlite_engine,
)
from tests.support.people import GP, PATIENT
from trustframework.audit.export.documents import ExportFormat, write_export
from trustframework.audit.export.fhir import AuditSource
from trustframework.audit.record import AuditEvent, AuditRecord, Caller, Outcome
from trustframework.audit.sealing import AuditKeyring
from trustframework.audit.writer import AuditWriter
from trustframework.policy import Transaction

SOURCE = AuditSource(service="repository", site="urn:oid:2.16.578.1.12.4.6.1.2")
DCM = "http://dicom.nema.org/resources/ontology/DCM"


@pytest.fixture
def ring() -> AuditKeyring:
    return keyring()


@pytest.fixture
def records(tmp_path: Path, ring: AuditKeyring) -> list[AuditRecord]:
    store = sql_store(sqlite_engine(tmp_path), ring)
    writer = AuditWriter(store, ring)
    writer.write(read_event(documents=(document("1.2.3.1"), document("1.2.3.2"))))
    writer.write(read_event(outcome=Outcome.denied("practitioner_blocked_by_patient")))
    writer.write(read_event(purpose="BTG", transaction=Transaction.STORED_QUERY))
    return list(store.records())


def _export(records: list[AuditRecord], form: ExportFormat, ring: AuditKeyring | None) -> bytes:
    out = io.BytesIO()
    assert write_export(out, records, form=form, source=SOURCE, keyring=ring) == len(records)
    return out.getvalue()


def _agent(resource: dict[str, Any], code: str) -> dict[str, Any]:
    for agent in resource["agent"]:
        if code in {coding["code"] for coding in agent["type"]["coding"]}:
            return dict(agent)
    raise AssertionError(f"no agent of type {code}")


def test_fhir_bundle_of_audit_events(records: list[AuditRecord], ring: AuditKeyring) -> None:
    bundle = json.loads(_export(records, ExportFormat.FHIR, ring))
    assert bundle["resourceType"] == "Bundle"
    assert bundle["type"] == "collection"
    assert len(bundle["entry"]) == 3
    retrieve = bundle["entry"][0]["resource"]
    assert bundle["entry"][0]["fullUrl"] == f"urn:uuid:{retrieve['id']}"
    assert retrieve["resourceType"] == "AuditEvent"
    assert retrieve["type"] == {"system": DCM, "code": "110106", "display": "Export"}
    assert retrieve["subtype"][0]["code"] == "ITI-43"
    assert retrieve["action"] == "R"
    assert retrieve["outcome"] == "0"
    assert retrieve["recorded"].endswith("Z")
    assert retrieve["source"]["site"] == SOURCE.site
    assert retrieve["purposeOfEvent"][0]["coding"][0]["code"] == "TREAT"


def test_fhir_user_agent_follows_the_norwegian_pattern(
    records: list[AuditRecord], ring: AuditKeyring
) -> None:
    resource = json.loads(_export(records[:1], ExportFormat.FHIR, ring))["entry"][0]["resource"]
    user = _agent(resource, "UserOauthAgent")
    assert user["requestor"] is True
    assert user["who"]["identifier"] == {
        "system": "urn:oid:2.16.578.1.12.4.1.4.4",
        "value": HPR_OF_GP,
    }
    assert user["role"][0]["coding"][0]["code"] == "LE"
    other_ids = {
        e["valueIdentifier"]["type"]["coding"][0]["code"]: e["valueIdentifier"]["value"]
        for e in user["extension"]
    }
    assert other_ids == {"qualification": HPR_OF_GP, "national-identifier": GP}
    decision = user["purposeOfUse"][-1]["coding"][0]
    assert decision["userSelected"] is True
    assert user["policy"] == [
        "urn:ietf:params:oauth:jti:jti-1",
        "urn:dokdeling:audit:rule:personnel_read",
        "urn:dokdeling:audit:legal-basis:helsepersonelloven-45",
    ]
    organisation = _agent(resource, "PROV")
    assert organisation["who"]["identifier"]["value"] == "993467049"
    custodian = _agent(resource, "custodian")
    assert custodian["who"]["identifier"]["value"] == OUS.id
    assert _agent(resource, "110150")["who"]["identifier"]["value"] == "epj-client"
    patient, *documents = resource["entity"]
    assert patient["role"]["code"] == "1"
    assert patient["what"]["identifier"] == {
        "system": "urn:oid:2.16.578.1.12.4.1.4.1",
        "value": PATIENT,
    }
    assert [d["what"]["identifier"]["value"] for d in documents] == ["1.2.3.1", "1.2.3.2"]
    assert documents[0]["detail"] == [
        {"type": "Repository Unique Id", "valueString": REPOSITORY_ID}
    ]


def test_fhir_denial_and_break_the_glass(records: list[AuditRecord], ring: AuditKeyring) -> None:
    entries = json.loads(_export(records, ExportFormat.FHIR, ring))["entry"]
    denied, btg = entries[1]["resource"], entries[2]["resource"]
    assert denied["outcome"] == "8"
    assert denied["outcomeDesc"] == "denied: practitioner_blocked_by_patient"
    assert btg["type"]["code"] == "110112"
    assert btg["purposeOfEvent"][0]["coding"][0]["code"] == "BTG"


def test_without_the_key_the_export_has_no_national_id(records: list[AuditRecord]) -> None:
    assert GP.encode() not in _export(records, ExportFormat.FHIR, None)
    assert GP.encode() not in _export(records, ExportFormat.ATNA, None)


def test_atna_messages_have_the_required_elements(
    records: list[AuditRecord], ring: AuditKeyring
) -> None:
    root = etree.fromstring(_export(records, ExportFormat.ATNA, ring))
    assert root.tag == "AuditMessages"
    messages = root.findall("AuditMessage")
    assert len(messages) == 3
    first = messages[0]
    order = [child.tag for child in first]
    assert order[0] == "EventIdentification"
    assert order.index("AuditSourceIdentification") > max(
        i for i, tag in enumerate(order) if tag == "ActiveParticipant"
    )
    assert order[-1] == "ParticipantObjectIdentification"
    event = first.find("EventIdentification")
    assert event is not None
    assert (event.get("EventActionCode"), event.get("EventOutcomeIndicator")) == ("R", "0")
    assert event.xpath("string(EventID/@csd-code)") == "110106"
    assert event.xpath("string(EventTypeCode/@csd-code)") == "ITI-43"
    assert event.xpath("string(PurposeOfUse/@csd-code)") == "TREAT"
    (person,) = [
        p for p in first.findall("ActiveParticipant") if p.get("UserIsRequestor") == "true"
    ]
    assert (person.get("UserID"), person.get("AlternativeUserID")) == (HPR_OF_GP, GP)
    assert first.xpath("string(AuditSourceIdentification/@AuditSourceID)") == "dokdeling-repository"
    objects = first.findall("ParticipantObjectIdentification")
    assert objects[0].get("ParticipantObjectID") == f"{PATIENT}^^^&2.16.578.1.12.4.1.4.1&ISO"
    detail = objects[1].find("ParticipantObjectDetail")
    assert detail is not None
    assert base64.b64decode(detail.get("value", "")).decode() == REPOSITORY_ID
    denied = messages[1].find("EventIdentification")
    assert denied is not None
    assert denied.get("EventOutcomeIndicator") == "8"
    assert denied.findtext("EventOutcomeDescription") == "denied: practitioner_blocked_by_patient"


def test_records_of_a_system_caller_name_its_organisation(
    tmp_path: Path, ring: AuditKeyring
) -> None:
    store = sql_store(sqlite_engine(tmp_path), ring)
    event = AuditEvent(
        transaction=Transaction.PROVIDE_AND_REGISTER,
        outcome=Outcome.permitted("scope_granted"),
        caller=Caller(client_id="publisher", organisation=CLIENT_ORGANISATION),
        documents=(document("1.9"),),
    )
    (record,) = AuditWriter(store, ring).write(event)
    resource = json.loads(_export([record], ExportFormat.FHIR, ring))["entry"][0]["resource"]
    assert (resource["type"]["code"], resource["action"]) == ("110107", "C")
    assert _agent(resource, "PROV")["who"]["identifier"]["value"] == CLIENT_ORGANISATION
    assert all("UserOauthAgent" not in json.dumps(agent) for agent in resource["agent"])
