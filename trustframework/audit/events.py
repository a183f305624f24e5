"""Audit events from what the trust framework and the XDS model already hold.

The services call these at their HTTP edge: `access_event` turns the verified `AccessContext`
(or the `AccessFailure`), the policy's decision and the DocumentEntries concerned into the
`AuditEvent` the writer stores.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from schemas.model import Cx, Xon
from trustframework import codes
from trustframework.audit.record import (
    AuditEvent,
    Caller,
    Outcome,
    Party,
    PatientRef,
    TouchedDocument,
)
from trustframework.context import AccessContext
from trustframework.failures import AccessFailure
from trustframework.judged import JudgedDocument
from trustframework.policy import Decision, Deny, Transaction

_NINE_DIGITS = re.compile(r"\d{9}")
NAME_LENGTH = 255  # the widths of the audit's name and patient columns: a request's longer
IDENTIFIER_LENGTH = 64  # values are cut to fit, so they cannot make the record unwritable


def _organisation_number(institution: Xon) -> str | None:
    """XON component 10 when it is an organisation number: nine digits, under Enhetsregisteret
    or no assigning authority (`Parma^^^^^^^^^1.2.3` names no Norwegian organisation)."""
    number = institution.identifier
    authority = institution.assigning_authority.universal_id
    if authority and codes.oid_of(authority) != codes.ENHETSREGISTERET:
        return None
    return number if _NINE_DIGITS.fullmatch(number) else None


def data_controller_of(entry: JudgedDocument) -> Party | None:
    """The document's data controller: the first author institution with an organisation
    number (the author's legal entity is the *dataansvarlig* for what it wrote)."""
    for author in entry.authors:
        for institution in author.institutions:
            number = _organisation_number(institution)
            if number is not None:
                name = institution.organization_name[:NAME_LENGTH] or None
                return Party(id=number, name=name)
    return None


def touched(entries: Iterable[JudgedDocument]) -> tuple[TouchedDocument, ...]:
    return tuple(
        TouchedDocument(
            unique_id=entry.unique_id,
            repository_id=entry.repository_unique_id,
            data_controller=data_controller_of(entry),
        )
        for entry in entries
    )


def patient_ref(patient: Cx | None) -> PatientRef | None:
    if patient is None:
        return None
    return PatientRef(
        id=patient.id_number[:IDENTIFIER_LENGTH],
        authority=patient.authority_oid[:IDENTIFIER_LENGTH],
    )


def caller_of(context: AccessContext | None) -> Caller:
    if context is None:
        return Caller()
    p = context.principal
    return Caller(
        client_id=p.client_id,
        organisation=p.orgnr_parent,
        token_id=context.token_id,
        person_id=p.pid,
        person_name=p.name,
        hpr_number=p.hpr_number,
    )


def outcome_of(decision: Decision | AccessFailure) -> Outcome:
    """Permit/Filter: permitted by its rule; Deny or an authentication failure: denied."""
    if isinstance(decision, AccessFailure | Deny):
        return Outcome.denied(decision.reason.value)
    return Outcome.permitted(decision.rule_name)


def access_event(
    *,
    transaction: Transaction,
    access: AccessContext | AccessFailure,
    outcome: Outcome,
    decision: Decision | None = None,
    patient: Cx | None = None,
    documents: Iterable[TouchedDocument] = (),
    request_id: str | None = None,
    data_controller: Party | None = None,
) -> AuditEvent:
    """The event of one request. `outcome` is usually `outcome_of(decision or failure)`, or
    `Outcome.failed(...)` when a permitted transaction then failed."""
    context = access if isinstance(access, AccessContext) else None
    granted = decision if decision is not None and not isinstance(decision, Deny) else None
    return AuditEvent(
        transaction=transaction,
        outcome=outcome,
        caller=caller_of(context),
        attest=context.attest if context is not None else None,
        patient=patient_ref(patient),
        documents=tuple(documents),
        request_id=request_id,
        legal_basis=granted.legal_basis.value if granted and granted.legal_basis else None,
        access_basis=granted.access_basis.value if granted and granted.access_basis else None,
        nors_revealed=granted.nors_revealed if granted is not None else 0,
        data_controller=data_controller,
    )
