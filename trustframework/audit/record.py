"""The audit record: who did what to which documents, why, and with what outcome.

Three shapes, each frozen:

- `AuditEvent`: what a service reports about one transaction (the attest as parsed, the documents
  it touched with their data controllers). The writer turns it into entries.
- `AuditEntry`: one entry per transaction and data controller, sealed: every field in plain text
  except the attest (and any national id), which is encrypted (`SealedAttest`).
- `AuditRecord`: an entry with its place in the service's hash chain (`ChainLink`).

One transaction whose documents belong to several data controllers gives one entry per
controller, so each controller's records name only its own documents (docs/audit.md).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from trustframework import codes
from trustframework.attest import Attest, CodedValue, Identifier
from trustframework.policy import Transaction


class AccessDecision(StrEnum):
    """The access policy's answer."""

    PERMIT = "permit"
    DENY = "deny"


class Result(StrEnum):
    """Whether the transaction, once permitted, did what was asked."""

    SUCCESS = "success"
    FAILURE = "failure"


@dataclass(frozen=True, slots=True, kw_only=True)
class Party:
    """An organisation or department: its number (Enhetsregisteret, RESH or local) and name."""

    id: str
    name: str | None = None

    @classmethod
    def of(cls, identifier: Identifier | None) -> Party | None:
        return None if identifier is None else cls(id=identifier.id, name=identifier.name)


@dataclass(frozen=True, slots=True, kw_only=True)
class Code:
    """A code with its system (`urn:oid:…` or a URI) and text."""

    code: str
    system: str
    text: str | None = None

    @classmethod
    def of(cls, value: CodedValue | None) -> Code | None:
        if value is None:
            return None
        return cls(code=value.code, system=value.system, text=value.text)


@dataclass(frozen=True, slots=True, kw_only=True)
class PatientRef:
    """The patient concerned: an id under its assigning authority's OID."""

    id: str
    authority: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Practitioner:
    """The health professional in plain text: HPR number, name and authorization, never the
    national id (that is only inside the sealed attest, ATT-7/ATT-8)."""

    hpr_number: str | None = None
    name: str | None = None
    authorization: Code | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CareContext:
    """Where and why, from the attest: the parts the trust framework wants in the access log
    (ATT-16/20/34/42/46/47)."""

    legal_entity: Party | None = None
    point_of_care: Party | None = None
    department: Party | None = None
    healthcare_service: Code | None = None
    purpose_of_use: Code | None = None
    purpose_of_use_details: Code | None = None
    decision_id: str | None = None
    decision_user_selected: bool | None = None

    @property
    def break_the_glass(self) -> bool:
        purpose = self.purpose_of_use
        return (
            purpose is not None
            and purpose.code == codes.PurposeOfUse.BTG
            and codes.oid_of(purpose.system) == codes.PURPOSE_OF_USE
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class TouchedDocument:
    """A document the transaction read, wrote or refused, and who controls its data: the
    author institution's organisation number (XON component 10)."""

    unique_id: str
    repository_id: str | None = None
    data_controller: Party | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    decision: AccessDecision
    result: Result
    rule: str | None = None
    """The policy rule that permitted (`personnel_read`, `break_the_glass`) or the reason that
    denied (`practitioner_blocked_by_patient`)."""
    error: str | None = None
    """Why a permitted transaction failed (an XDS error code or a short text)."""

    @classmethod
    def permitted(cls, rule: str | None = None) -> Outcome:
        return cls(decision=AccessDecision.PERMIT, result=Result.SUCCESS, rule=rule)

    @classmethod
    def denied(cls, reason: str) -> Outcome:
        return cls(decision=AccessDecision.DENY, result=Result.FAILURE, rule=reason)

    @classmethod
    def failed(cls, error: str, rule: str | None = None) -> Outcome:
        return cls(decision=AccessDecision.PERMIT, result=Result.FAILURE, rule=rule, error=error)


@dataclass(frozen=True, slots=True, kw_only=True)
class Caller:
    """Who called, as the access token says: client, its organisation, and (for a person) the
    national id, which is sealed with the attest and never stored in plain text."""

    client_id: str | None = None
    organisation: str | None = None
    """`helseid://claims/client/claims/orgnr_parent`: the organisation of the calling client."""
    token_id: str | None = None
    """The access token's `jti`."""
    person_id: str | None = None
    person_name: str | None = None
    hpr_number: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditEvent:
    """One transaction as the service reports it, before sealing and chaining."""

    transaction: Transaction
    outcome: Outcome
    caller: Caller
    attest: Attest | None = None
    patient: PatientRef | None = None
    documents: tuple[TouchedDocument, ...] = ()
    request_id: str | None = None
    legal_basis: str | None = None
    """The law a personnel read rests on (`helsepersonelloven-45`, `kjernejournalforskriften`)."""
    access_basis: str | None = None
    """Under kjernejournalforskriften: AKUTT, SAMTYKKE or UNNTAK (`nhn-access-basis`)."""
    nors_revealed: int = 0
    """Sperrede (NORS) documents shown because of break-the-glass."""
    data_controller: Party | None = None
    """Whose data an event without documents concerns (an auditor's look at its own records)."""
    recorded_at: datetime | None = None
    """When it happened; the writer's clock (UTC) when None."""

    def sealed_content(self) -> dict[str, Any]:
        """What is encrypted: the whole attest claim and the caller's national id."""
        person = None
        if self.caller.person_id is not None:
            person = {"id": self.caller.person_id, "name": self.caller.person_name}
        attest = _claim_of(self.attest) if self.attest is not None else None
        return {"attest": attest, "person": person}

    def practitioner(self) -> Practitioner | None:
        """From the attest; without one, the HPR number and name of the token, if any."""
        if self.attest is None:
            if self.caller.hpr_number is None:
                return None
            return Practitioner(hpr_number=self.caller.hpr_number, name=self.caller.person_name)
        p = self.attest.practitioner
        return Practitioner(
            hpr_number=p.hpr_nr.id if p.hpr_nr is not None else None,
            name=p.identifier.name or self.caller.person_name,
            authorization=Code.of(p.authorization),
        )

    def care(self) -> CareContext | None:
        if self.attest is None:
            return None
        p, c = self.attest.practitioner, self.attest.care_relationship
        return CareContext(
            legal_entity=Party.of(p.legal_entity),
            point_of_care=Party.of(p.point_of_care),
            department=Party.of(p.department),
            healthcare_service=Code.of(c.healthcare_service),
            purpose_of_use=Code.of(c.purpose_of_use),
            purpose_of_use_details=Code.of(c.purpose_of_use_details),
            decision_id=c.decision_ref.id,
            decision_user_selected=c.decision_ref.user_selected,
        )

    def by_data_controller(self) -> list[tuple[Party | None, tuple[TouchedDocument, ...]]]:
        """The documents grouped by data controller, in first-seen order; one empty group when
        the transaction touched no document."""
        groups: dict[str | None, list[TouchedDocument]] = {}
        controllers: dict[str | None, Party | None] = {}
        for document in self.documents:
            key = document.data_controller.id if document.data_controller else None
            groups.setdefault(key, []).append(document)
            controllers.setdefault(key, document.data_controller)
        if not groups:
            return [(self.data_controller, ())]
        return [(controllers[key], tuple(docs)) for key, docs in groups.items()]


@dataclass(frozen=True, slots=True, kw_only=True)
class SealedAttest:
    """The attest (and caller's national id) encrypted with AES-GCM under `key_id`."""

    key_id: str
    nonce: bytes
    ciphertext: bytes


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditEntry:
    """One record's content: plain-text fields plus the sealed attest."""

    record_id: str
    """A UUID: the record's identity (AES-GCM associated data, FHIR AuditEvent id)."""
    recorded_at: datetime
    transaction: Transaction
    outcome: Outcome
    request_id: str | None
    client_id: str | None
    organisation: str | None
    token_id: str | None
    legal_basis: str | None
    access_basis: str | None
    nors_revealed: int
    practitioner: Practitioner | None
    care: CareContext | None
    patient: PatientRef | None
    document_ids: tuple[str, ...]
    repository_id: str | None
    data_controller: Party | None
    sealed: SealedAttest

    @property
    def break_the_glass(self) -> bool:
        return self.care is not None and self.care.break_the_glass


@dataclass(frozen=True, slots=True, kw_only=True)
class ChainLink:
    """A record's place in its service's chain (docs/audit.md, "Hash chain")."""

    seq: int
    prev_hash: str
    record_hash: str
    record_mac: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditRecord:
    """A stored audit record: its entry and its chain link."""

    service: str
    entry: AuditEntry
    link: ChainLink

    @property
    def seq(self) -> int:
        return self.link.seq


@functools.lru_cache(maxsize=1024)
def _claim_of(attest: Attest) -> dict[str, Any]:
    """The attest's claim form, kept for the attest's lifetime of reuse: one token's attest is
    sealed into every record of its requests (read-only: the dict is never changed)."""
    return attest.to_claim()


def utc_now() -> datetime:
    return datetime.now(UTC)
