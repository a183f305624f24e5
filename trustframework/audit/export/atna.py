"""Audit records as DICOM audit messages (PS3.15 A.5, the ATNA format of IHE ITI-20).

Elements in schema order: EventIdentification (EventID, EventTypeCode, EventOutcomeDescription,
PurposeOfUse), ActiveParticipant (the person, the organisations, the client, this service),
AuditSourceIdentification, ParticipantObjectIdentification (the patient, each document with its
repository).
"""

from __future__ import annotations

import base64
from typing import Final

from lxml import etree

from trustframework import codes
from trustframework.audit.chain import canonical_time
from trustframework.audit.export import vocabulary as v
from trustframework.audit.export.fhir import AuditSource
from trustframework.audit.record import AccessDecision, AuditEntry, AuditRecord, Code, Result

ROLE_CLASS_OID: Final = "2.16.840.1.113883.5.110"
ATNA_OUTCOME_SUCCESS: Final = "0"
ATNA_OUTCOME_SERIOUS_FAILURE: Final = "8"


def _coded(parent: etree._Element, tag: str, code: str, system: str, text: str | None) -> None:
    element = etree.SubElement(parent, tag)
    element.set("csd-code", code)
    element.set("codeSystemName", system)
    if text:
        element.set("originalText", text)


def _code(parent: etree._Element, tag: str, code: Code) -> None:
    _coded(parent, tag, code.code, codes.oid_of(code.system), code.text)


def _participant(
    message: etree._Element,
    user_id: str,
    *,
    requestor: bool,
    role: tuple[str, str, str | None] | None = None,
    name: str | None = None,
) -> etree._Element:
    participant = etree.SubElement(message, "ActiveParticipant")
    participant.set("UserID", user_id)
    if name:
        participant.set("UserName", name)
    participant.set("UserIsRequestor", "true" if requestor else "false")
    if role is not None:
        _coded(participant, "RoleIDCode", *role)
    return participant


def _event(message: etree._Element, entry: AuditEntry) -> None:
    event = v.EVENT_TYPES[entry.transaction]
    identification = etree.SubElement(message, "EventIdentification")
    identification.set("EventActionCode", event.action)
    identification.set("EventDateTime", canonical_time(entry.recorded_at))
    outcome = entry.outcome
    failed = outcome.decision is AccessDecision.DENY or outcome.result is Result.FAILURE
    identification.set(
        "EventOutcomeIndicator", ATNA_OUTCOME_SERIOUS_FAILURE if failed else ATNA_OUTCOME_SUCCESS
    )
    _coded(identification, "EventID", event.event_id, "DCM", event.event_name)
    if event.title is not None:
        _coded(
            identification,
            "EventTypeCode",
            entry.transaction.value,
            v.IHE_TRANSACTIONS,
            event.title,
        )
    if failed:
        description = etree.SubElement(identification, "EventOutcomeDescription")
        denied = outcome.decision is AccessDecision.DENY
        description.text = f"denied: {outcome.rule}" if denied else f"failed: {outcome.error}"
    care = entry.care
    if care is not None:
        for purpose in (care.purpose_of_use, care.purpose_of_use_details):
            if purpose is not None:
                _code(identification, "PurposeOfUse", purpose)


def _people(message: etree._Element, entry: AuditEntry, national_id: str | None) -> None:
    p = entry.practitioner
    if p is not None and (p.hpr_number or national_id):
        person = _participant(
            message, p.hpr_number or str(national_id), requestor=True, name=p.name
        )
        if national_id is not None:
            person.set("AlternativeUserID", national_id)
        if p.authorization is not None:
            _code(person, "RoleIDCode", p.authorization)
    care = entry.care
    organisations = [
        (care.legal_entity if care else None, "PROV"),
        (care.point_of_care if care else None, "SDLOC"),
        (care.department if care else None, "SDLOC"),
    ]
    for party, role in organisations:
        if party is not None:
            role_code = (role, ROLE_CLASS_OID, None)
            _participant(message, party.id, requestor=False, role=role_code, name=party.name)
    if entry.data_controller is not None:
        custodian = ("custodian", v.PROVENANCE_PARTICIPANT, "Custodian")
        controller = entry.data_controller
        _participant(message, controller.id, requestor=False, role=custodian, name=controller.name)


def _objects(message: etree._Element, entry: AuditEntry) -> None:
    if entry.patient is not None:
        patient = etree.SubElement(message, "ParticipantObjectIdentification")
        cx = f"{entry.patient.id}^^^&{codes.oid_of(entry.patient.authority)}&ISO"
        patient.set("ParticipantObjectID", cx)
        patient.set("ParticipantObjectTypeCode", "1")
        patient.set("ParticipantObjectTypeCodeRole", "1")
        _coded(patient, "ParticipantObjectIDTypeCode", "2", v.RFC_3881, "Patient Number")
    for unique_id in entry.document_ids:
        document = etree.SubElement(message, "ParticipantObjectIdentification")
        document.set("ParticipantObjectID", unique_id)
        document.set("ParticipantObjectTypeCode", "2")
        document.set("ParticipantObjectTypeCodeRole", "3")
        _coded(document, "ParticipantObjectIDTypeCode", "9", v.RFC_3881, "Report Number")
        if entry.repository_id:
            detail = etree.SubElement(document, "ParticipantObjectDetail")
            detail.set("type", v.REPOSITORY_DETAIL)
            detail.set("value", base64.b64encode(entry.repository_id.encode()).decode("ascii"))


def audit_message(
    record: AuditRecord, source: AuditSource, *, national_id: str | None = None
) -> etree._Element:
    """The `<AuditMessage>` of `record`."""
    entry = record.entry
    message = etree.Element("AuditMessage")
    _event(message, entry)
    _people(message, entry, national_id)
    if entry.client_id:
        source_role = ("110153", "DCM", "Source Role ID")
        _participant(message, entry.client_id, requestor=False, role=source_role)
    service_role = ("110152", "DCM", "Destination Role ID")
    _participant(message, f"dokdeling-{source.service}", requestor=False, role=service_role)
    audit_source = etree.SubElement(message, "AuditSourceIdentification")
    audit_source.set("AuditEnterpriseSiteID", source.site)
    audit_source.set("AuditSourceID", f"dokdeling-{source.service}")
    _coded(audit_source, "AuditSourceTypeCode", "4", v.RFC_3881, "Application Server")
    _objects(message, entry)
    return message


def audit_message_bytes(
    record: AuditRecord, source: AuditSource, *, national_id: str | None = None
) -> bytes:
    message = audit_message(record, source, national_id=national_id)
    return bytes(etree.tostring(message, xml_declaration=True, encoding="UTF-8"))
