"""The access guard at a service's SOAP edge: who may do what, and the record of every refusal.

Framework-free (no Flask): a service gives it the request's method, the URL as the client
addressed it and the headers; it answers with an `Admission` or raises `GuardFault`, a
`schemas.soap.SoapFault` carrying the HTTP status and headers of the refusal:

- 401 with `WWW-Authenticate` (RFC 6750 / RFC 9449) when the token or its DPoP proof fails;
- 403 whose reason starts with the rule that refused (`insufficient_scope`,
  `attestation_has_expired`, `patient_not_bound_to_attest`, `publisher_not_data_controller`, …);
- 503 when the verifier lacks a dependency (JWKS, replay cache) or the audit cannot be written.

Every refusal is written to the audit before the fault leaves; a refusal that cannot be audited
becomes the 503 audit fault. Usage (docs/trustframework.md §7):

    guard = Guard(authenticator=..., settings=trust, audit=audit.writer)
    admission = guard.admit(Transaction.STORED_QUERY, method=..., url=..., headers=...)
    decision = guard.decide_read(admission, patients=..., entries=..., blocked=...)
    guard.record(admission, Outcome.permitted(decision.rule_name), ...)
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import NoReturn, Protocol

from schemas.model import Cx
from schemas.soap import FaultCode, SoapFault
from trustframework.audit.events import access_event, data_controller_of, outcome_of, touched
from trustframework.audit.record import AuditEvent, Outcome, TouchedDocument, utc_now
from trustframework.audit.writer import AuditWriteFailed
from trustframework.context import AccessContext
from trustframework.failures import AccessFailure, Reason
from trustframework.judged import JudgedDocument
from trustframework.policy import (
    ACCESS_BASIS_HEADER,
    PATIENT_NIN_HEADER,
    Decision,
    Deny,
    Filter,
    Permit,
    RequestFacts,
    Transaction,
    decide,
)
from trustframework.settings import TrustSettings
from trustframework.tokens import Authenticator, HeaderInput
from trustframework.visibility import Rule

REQUEST_ID_HEADER = "X-Request-ID"
ON_BEHALF_OF_HEADER = "Dokdeling-On-Behalf-Of"
"""Sent by a Document Repository with its ITI-42: the organisation numbers of the source whose
ITI-41 it forwards (believed only from `TrustSettings.repository_clients`)."""
REQUEST_ID_LENGTH = 255  # the audit's request_id column
AUDIT_UNAVAILABLE = "audit_unavailable"


class AuditSink(Protocol):
    """Where the guard writes its records (`trustframework.audit.AuditWriter`); `write` stores
    every event given in one append, or raises `AuditWriteFailed` and stores none."""

    def write(self, event: AuditEvent, *more: AuditEvent) -> object: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class GuardFault(SoapFault):
    """A fault the guard raised after auditing the request (or failing to): the edge sends it
    as it is and writes no further record for the request."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Admission:
    """A request let through: its transaction, the verified caller and the request's facts."""

    transaction: Transaction
    context: AccessContext
    request_id: str
    decision: Permit | Filter
    """The policy's answer to the request alone (for reads: before the results are known)."""
    patient_nin_header: str | None = None
    access_basis_header: str | None = None
    on_behalf_of_header: str | None = None


def access_fault(failure: AccessFailure) -> GuardFault:
    """The SOAP Fault of a refusal: Sender (Receiver for 503) with the HTTP status of the reason,
    `WWW-Authenticate` when there is a challenge, and the reason first in the fault reason."""
    challenge = failure.www_authenticate()
    return GuardFault(
        code=FaultCode.RECEIVER if failure.status == 503 else FaultCode.SENDER,
        reason=f"{failure.reason.value}: {failure.detail}",
        detail=failure.reason.value,
        http_status=failure.status,
        http_headers=(("WWW-Authenticate", challenge),) if challenge else (),
    )


def audit_unavailable_fault(error: AuditWriteFailed) -> GuardFault:
    """The request's audit record could not be written, so nothing is returned (503)."""
    return GuardFault(
        code=FaultCode.RECEIVER,
        reason=f"{AUDIT_UNAVAILABLE}: the audit record could not be written, so the request "
        f"was not answered; try again later ({error})",
        detail=AUDIT_UNAVAILABLE,
        http_status=503,
    )


class Guard:
    """Authenticates, decides and audits refusals for one service; shared by its threads."""

    def __init__(
        self,
        *,
        authenticator: Authenticator,
        settings: TrustSettings,
        audit: AuditSink,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.authenticator = authenticator
        self.settings = settings
        self.audit = audit
        self.clock = clock

    def admit(
        self, transaction: Transaction, *, method: str, url: str, headers: HeaderInput
    ) -> Admission:
        """The verified caller, allowed `transaction` by its scope (and, for reads, its attest
        and patient binding as far as the request alone shows); GuardFault otherwise."""
        pairs = tuple(headers.items() if isinstance(headers, Mapping) else headers)
        request_id = (_header(pairs, REQUEST_ID_HEADER) or str(uuid.uuid4()))[:REQUEST_ID_LENGTH]
        access = self.authenticator.authenticate(method, url, pairs)
        if isinstance(access, AccessFailure):
            self.write(
                access_event(
                    transaction=transaction,
                    access=access,
                    outcome=outcome_of(access),
                    request_id=request_id,
                )
            )
            raise access_fault(access)
        admission = Admission(
            transaction=transaction,
            context=access,
            request_id=request_id,
            decision=Permit(rule=Rule.SCOPE_GRANTED),
            patient_nin_header=_header(pairs, PATIENT_NIN_HEADER),
            access_basis_header=_header(pairs, ACCESS_BASIS_HEADER),
            on_behalf_of_header=_header(pairs, ON_BEHALF_OF_HEADER),
        )
        decision = decide(access, self.facts(admission), settings=self.settings)
        if isinstance(decision, Deny):
            self.refuse(admission, decision)
        return replace(admission, decision=decision)

    def facts(
        self,
        admission: Admission,
        *,
        patient: Cx | None = None,
        blocked: frozenset[str] = frozenset(),
    ) -> RequestFacts:
        return RequestFacts(
            transaction=admission.transaction,
            now=self.clock(),
            patient=patient,
            patient_nin_header=admission.patient_nin_header,
            access_basis_header=admission.access_basis_header,
            blocked_hpr_numbers=blocked,
        )

    def decide_read(
        self,
        admission: Admission,
        *,
        patients: Collection[Cx],
        entries: Sequence[JudgedDocument] = (),
        blocked: frozenset[str] = frozenset(),
    ) -> Permit | Filter:
        """The policy's answer for reading `entries` of `patients` (every patient the request
        names or its results belong to; a read is bound to one). Deny: audited GuardFault."""
        ordered = sorted(patients, key=Cx.render)
        for other in ordered[1:]:
            self._granted(admission, other, entries, blocked)
        return self._granted(admission, ordered[0] if ordered else None, entries, blocked)

    def _granted(
        self,
        admission: Admission,
        patient: Cx | None,
        entries: Sequence[JudgedDocument],
        blocked: frozenset[str],
    ) -> Permit | Filter:
        decision = decide(
            admission.context,
            self.facts(admission, patient=patient, blocked=blocked),
            entries,
            settings=self.settings,
        )
        if isinstance(decision, Deny):
            self.refuse(admission, decision, patient=patient, documents=touched(entries))
        return decision

    def check_publisher(self, admission: Admission, entries: Iterable[JudgedDocument]) -> None:
        """A publisher writes only documents its own organisation controls: every entry whose
        data controller is known (`data_controller_of`: the author institution's organisation
        number) must be one of `publishing_organisations`. Deny: audited fault."""
        own = self.publishing_organisations(admission)
        for entry in entries:
            controller = data_controller_of(entry)
            if controller is not None and controller.id not in own:
                acting = ", ".join(sorted(own)) or "no organisation"
                detail = (
                    f"document {entry.unique_id} is controlled by organisation "
                    f"{controller.id}; this client acts for {acting}"
                )
                deny = Deny(reason=Reason.PUBLISHER_NOT_DATA_CONTROLLER, detail=detail)
                self.refuse(admission, deny, patient=entry.patient_id, documents=touched([entry]))

    def publishing_organisations(self, admission: Admission) -> frozenset[str]:
        """The organisations whose documents the request may write: the token's `orgnr_parent`
        and `orgnr_child`. A Document Repository registering (ITI-42 with a system token of a
        client in `repository_clients`) writes for the source whose ITI-41 it admitted: the
        organisations it names in `Dokdeling-On-Behalf-Of`, none when it names none."""
        principal = admission.context.principal
        forwarded = (
            admission.transaction is Transaction.REGISTER
            and not principal.is_person
            and principal.client_id in self.settings.repository_clients
        )
        if forwarded:
            named = (admission.on_behalf_of_header or "").split(",")
            return frozenset(org.strip() for org in named if org.strip())
        return frozenset(org for org in (principal.orgnr_parent, principal.orgnr_child) if org)

    def refuse(
        self,
        admission: Admission,
        deny: Deny,
        *,
        patient: Cx | None = None,
        documents: Iterable[TouchedDocument] = (),
    ) -> NoReturn:
        """Audit the refusal, then raise its fault (403, or the audit's 503)."""
        self.write(self.event(admission, outcome_of(deny), patient=patient, documents=documents))
        raise access_fault(deny.failure())

    def event(
        self,
        admission: Admission,
        outcome: Outcome,
        *,
        decision: Decision | None = None,
        patient: Cx | None = None,
        documents: Iterable[TouchedDocument] = (),
    ) -> AuditEvent:
        """The audit event of an admitted request."""
        return access_event(
            transaction=admission.transaction,
            access=admission.context,
            outcome=outcome,
            decision=decision,
            patient=patient,
            documents=documents,
            request_id=admission.request_id,
        )

    def record(
        self,
        admission: Admission,
        outcome: Outcome,
        *,
        decision: Decision | None = None,
        patient: Cx | None = None,
        documents: Iterable[TouchedDocument] = (),
    ) -> None:
        """Write the record of an admitted request before its answer leaves (GuardFault 503
        when it cannot be written: then nothing may be answered)."""
        self.write(
            self.event(admission, outcome, decision=decision, patient=patient, documents=documents)
        )

    def write(self, event: AuditEvent, *more: AuditEvent) -> None:
        """Write these events (built with `event`) as one append before the answer leaves:
        all of them, or none and the 503 GuardFault."""
        try:
            self.audit.write(event, *more)
        except AuditWriteFailed as error:
            raise audit_unavailable_fault(error) from error


def _header(pairs: Sequence[tuple[str, str]], name: str) -> str | None:
    wanted = name.lower()
    return next((value for key, value in pairs if key.lower() == wanted), None)
