"""Audit records as FHIR R4 AuditEvent resources, and a Bundle of them.

The mapping follows IHE Basic Audit Log Patterns (BALP): the OAuth user pattern
(`IUAaccessToken.fsh`), the Norwegian comprehensive pattern (`Norway.fsh`: HPR number and national
id as `otherId` qualification / national-identifier, the local purpose with `userSelected` on
`agent[user].purposeOfUse`) and `AuthZ.fsh` for denials (outcome 8 with `outcomeDesc`).
docs/audit.md has the table, and where we depart from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from trustframework import codes
from trustframework.audit.chain import canonical_time
from trustframework.audit.export import vocabulary as v
from trustframework.audit.record import (
    AccessDecision,
    AuditEntry,
    AuditRecord,
    Code,
    Party,
    Result,
)

JSON = dict[str, Any]
FHIR_JSON = "application/fhir+json"


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditSource:
    """Who recorded the events: the service and the site (home community or host)."""

    service: str
    site: str


def _coding(system: str, code: str, display: str | None = None) -> JSON:
    coding = {"system": system, "code": code}
    return coding | ({"display": display} if display else {})


def _concept(code: Code) -> JSON:
    concept: JSON = {"coding": [_coding(v.urn_oid(code.system), code.code, code.text)]}
    return concept | ({"text": code.text} if code.text else {})


def _org_reference(party: Party, system: str = codes.ENHETSREGISTERET) -> JSON:
    reference: JSON = {"identifier": {"system": codes.urn_of(system), "value": party.id}}
    return reference | ({"display": party.name} if party.name else {})


def _other_id(kind: str, system: str, value: str) -> JSON:
    identifier = {"type": {"coding": [_coding(v.BALP_NORWAY_ID_TYPES, kind)]}}
    return {
        "url": v.BALP_OTHER_ID,
        "valueIdentifier": identifier | {"system": codes.urn_of(system), "value": value},
    }


def _policies(entry: AuditEntry) -> list[str]:
    named = {
        "rule": entry.outcome.rule,
        "legal-basis": entry.legal_basis,
        "access-basis": entry.access_basis,
    }
    policies = [f"{v.POLICY_PREFIX}{kind}:{value}" for kind, value in named.items() if value]
    return [v.JTI_PREFIX + entry.token_id, *policies] if entry.token_id else policies


def _user_purposes(entry: AuditEntry) -> list[JSON]:
    care = entry.care
    if care is None:
        return []
    purposes = [_concept(care.purpose_of_use_details)] if care.purpose_of_use_details else []
    if care.decision_id is not None:
        decision = _coding(v.NHN_DECISION_REF, care.decision_id)
        if care.decision_user_selected is not None:
            decision["userSelected"] = care.decision_user_selected
        purposes.append({"coding": [decision]})
    return purposes


def _user_agent(entry: AuditEntry, national_id: str | None) -> JSON | None:
    p = entry.practitioner
    if p is None and national_id is None:
        return None
    participation = "AUT" if entry.transaction in v.WRITES else "IRCP"
    agent: JSON = {
        "type": {
            "coding": [
                _coding(v.BALP_USER_AGENT_TYPES, "UserOauthAgent"),
                _coding(v.PARTICIPATION_TYPE, participation),
            ]
        },
        "who": {},
        "requestor": True,
    }
    extensions = []
    if p is not None and p.hpr_number:
        agent["who"]["identifier"] = {
            "system": codes.urn_of(codes.HPR_NUMMER),
            "value": p.hpr_number,
        }
        extensions.append(_other_id("qualification", codes.HPR_NUMMER, p.hpr_number))
    if national_id is not None:
        extensions.append(_other_id("national-identifier", codes.FODSELSNUMMER, national_id))
    if p is not None and p.name:
        agent["who"]["display"] = agent["name"] = p.name
    if p is not None and p.authorization is not None:
        agent["role"] = [_concept(p.authorization)]
    if purposes := _user_purposes(entry):
        agent["purposeOfUse"] = purposes
    if policies := _policies(entry):
        agent["policy"] = policies
    return agent | ({"extension": extensions} if extensions else {})


def _party_agent(
    party: Party, system: str, code: str, *, kind: str = codes.ENHETSREGISTERET
) -> JSON:
    return {
        "type": {"coding": [_coding(system, code)]},
        "who": _org_reference(party, kind),
        "requestor": False,
    }


def _agents(entry: AuditEntry, national_id: str | None) -> list[JSON]:
    care = entry.care
    agents = [a for a in (_user_agent(entry, national_id),) if a is not None]
    organisation = care.legal_entity if care and care.legal_entity else None
    if organisation is None and entry.organisation:
        organisation = Party(id=entry.organisation)
    if organisation is not None:
        agents.append(_party_agent(organisation, v.ROLE_CLASS, "PROV"))
    if care is not None and care.point_of_care is not None:
        agents.append(_party_agent(care.point_of_care, v.ROLE_CLASS, "SDLOC"))
    if care is not None and care.department is not None:
        agents.append(_party_agent(care.department, v.ROLE_CLASS, "SDLOC", kind=codes.RESH))
    if entry.client_id:
        agents.append(
            {
                "type": {"coding": [_coding(v.DCM, "110150", "Application")]},
                "who": {"identifier": {"value": entry.client_id}},
                "requestor": False,
            }
        )
    if entry.data_controller is not None:
        agents.append(_party_agent(entry.data_controller, v.PROVENANCE_PARTICIPANT, "custodian"))
    return agents


def _entities(entry: AuditEntry) -> list[JSON]:
    entities: list[JSON] = []
    if entry.patient is not None:
        identifier = {"system": v.urn_oid(entry.patient.authority), "value": entry.patient.id}
        entities.append(
            {
                "what": {"identifier": identifier},
                "type": _coding(v.AUDIT_ENTITY_TYPE, "1", "Person"),
                "role": _coding(v.OBJECT_ROLE, "1", "Patient"),
            }
        )
    for unique_id in entry.document_ids:
        document: JSON = {
            "what": {"identifier": {"value": unique_id}},
            "type": _coding(v.AUDIT_ENTITY_TYPE, "2", "System Object"),
            "role": _coding(v.OBJECT_ROLE, "3", "Report"),
        }
        if entry.repository_id:
            document["detail"] = [{"type": v.REPOSITORY_DETAIL, "valueString": entry.repository_id}]
        entities.append(document)
    return entities


def _outcome(entry: AuditEntry) -> tuple[str, str | None]:
    outcome = entry.outcome
    if outcome.decision is AccessDecision.DENY:
        return "8", f"denied: {outcome.rule}"
    if outcome.result is Result.FAILURE:
        return "8", f"failed: {outcome.error}"
    return "0", None


def _purposes_of_event(entry: AuditEntry) -> list[JSON]:
    care = entry.care
    if care is None:
        return []
    found = [care.purpose_of_use, care.healthcare_service]
    return [_concept(code) for code in found if code is not None]


def audit_event(
    record: AuditRecord, source: AuditSource, *, national_id: str | None = None
) -> JSON:
    """The AuditEvent of `record` (its id is the record id). `national_id`, when the caller has
    unsealed it, is added as the Norwegian national-identifier otherId."""
    entry, event = record.entry, v.EVENT_TYPES[record.entry.transaction]
    resource: JSON = {
        "resourceType": "AuditEvent",
        "id": entry.record_id,
        "extension": [_chain_extension(record)],
        "type": _coding(v.DCM, event.event_id, event.event_name),
        "action": event.action,
        "recorded": canonical_time(entry.recorded_at),
    }
    if event.title is not None:
        resource["subtype"] = [_coding(v.IHE_EVENT_TYPE, entry.transaction.value, event.title)]
    outcome, description = _outcome(entry)
    resource["outcome"] = outcome
    if description is not None:
        resource["outcomeDesc"] = description
    if purposes := _purposes_of_event(entry):
        resource["purposeOfEvent"] = purposes
    resource["agent"] = _agents(entry, national_id)
    resource["source"] = {
        "site": source.site,
        "observer": {"display": f"dokdeling {source.service}"},
        "type": [_coding(v.SECURITY_SOURCE_TYPE, "4", "Application Server")],
    }
    if entities := _entities(entry):
        resource["entity"] = entities
    return resource


def _chain_extension(record: AuditRecord) -> JSON:
    """The record's place in the source's chain, so a receiver holds an external anchor."""
    parts = {
        "service": record.service,
        "seq": str(record.seq),
        "prevHash": record.link.prev_hash,
        "recordHash": record.link.record_hash,
    }
    return {
        "url": v.CHAIN_EXTENSION,
        "extension": [{"url": name, "valueString": value} for name, value in parts.items()],
    }


def bundle(resources: Iterable[JSON], *, bundle_type: str = "collection") -> JSON:
    """A Bundle of AuditEvents (`collection` for exports, `searchset` for the search API)."""
    entries = [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources]
    result: JSON = {
        "resourceType": "Bundle",
        "type": bundle_type,
        "timestamp": canonical_time(datetime.now(UTC)),
    }
    if bundle_type == "searchset":
        result["total"] = len(entries)
    return result | {"entry": entries}
