"""The source's access policy: `decide(context, request, documents, settings)`, a pure function.

Given a verified AccessContext, the facts of the request (transaction, patient, headers, the
patient's blocks, the time) and the DocumentEntries concerned, it answers

- `Permit(rule, …)`: go ahead, nothing is hidden;
- `Filter(rule, visible, hidden, …)`: go ahead with `visible` only; `nors_count` is the value of
  the `NHN-SecurityLabel-Nors-Count` response header;
- `Deny(reason, detail)`: HTTP 403 with a SOAP Fault naming `reason`.

Each decision names the rule that decided; the rules and their order are in the table of
docs/trustframework.md §3. When no rule applies, the answer is Deny(`no_rule_applies`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from enum import StrEnum
from typing import Any

from schemas.model import Cx
from trustframework import codes
from trustframework.attest import Attest
from trustframework.context import AccessContext, Role
from trustframework.failures import AccessFailure, Reason
from trustframework.judged import JudgedDocument
from trustframework.settings import Scopes, TrustSettings
from trustframework.visibility import (
    Hidden,
    LegalBasis,
    Rule,
    hidden_from_citizen,
    hidden_from_personnel,
)

ATTEST_MAX_AGE_SECONDS = 60 * 60  # ATT-58: an attest is valid for 60 minutes from `toa`
PATIENT_NIN_HEADER = "nhn-patient-nin"
ACCESS_BASIS_HEADER = "nhn-access-basis"
NORS_COUNT_HEADER = "NHN-SecurityLabel-Nors-Count"  # response: NORS entries hidden from the reader


class Transaction(StrEnum):
    """What the request does, as far as access control cares."""

    PROVIDE_AND_REGISTER = "ITI-41"
    REGISTER = "ITI-42"
    STORED_QUERY = "ITI-18"
    MULTI_PATIENT_QUERY = "ITI-51"
    RETRIEVE = "ITI-43"
    UPDATE = "ITI-57"
    DELETE_DOCUMENT_SET = "ITI-62"
    REMOVE_DOCUMENTS = "ITI-86"
    AUDIT_VIEW = "audit-view"
    ADMIN = "admin"
    CITIZEN_ACCESS_LOG = "citizen-access-log"

    @property
    def reads_documents(self) -> bool:
        return self in (
            Transaction.STORED_QUERY,
            Transaction.MULTI_PATIENT_QUERY,
            Transaction.RETRIEVE,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestFacts:
    """What the edge knows about the request besides the token.

    `patient` is the patient the request names (ITI-18 `$XDSDocumentEntryPatientId`), if any;
    `blocked_hpr_numbers` are the HPR numbers the patients concerned have blocked
    (`BlockStore.blocked_hpr_numbers(patients_concerned(...))`).
    """

    transaction: Transaction
    now: datetime
    patient: Cx | None = None
    patient_nin_header: str | None = None
    access_basis_header: str | None = None
    blocked_hpr_numbers: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True, kw_only=True)
class _Granted:
    rule: Rule
    purpose: codes.PurposeOfUse | None = None
    legal_basis: LegalBasis | None = None
    access_basis: codes.AccessBasis | None = None
    break_the_glass: bool = False
    nors_revealed: int = 0  # NORS entries shown because of break-the-glass (for the audit)

    @property
    def rule_name(self) -> str:
        return self.rule.value


@dataclass(frozen=True, slots=True, kw_only=True)
class Permit(_Granted):
    """Allowed, and nothing hidden."""

    @property
    def nors_count(self) -> int:
        return 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Filter(_Granted):
    """Allowed for `visible` only; `hidden` says which entries went and by which rule."""

    visible: tuple[JudgedDocument, ...]
    hidden: tuple[Hidden, ...]

    @property
    def nors_count(self) -> int:
        """The `NHN-SecurityLabel-Nors-Count` header value: entries hidden as NORS."""
        return sum(1 for h in self.hidden if h.rule is Rule.NORS_HIDDEN_FROM_PERSONNEL)


@dataclass(frozen=True, slots=True, kw_only=True)
class Deny:
    """Refused (HTTP 403): `reason` is the rule that refused."""

    reason: Reason
    detail: str

    @property
    def rule_name(self) -> str:
        return self.reason.value

    def failure(self) -> AccessFailure:
        return AccessFailure(reason=self.reason, detail=self.detail)


Decision = Permit | Filter | Deny


class _Denied(Exception):
    def __init__(self, reason: Reason, detail: str) -> None:
        super().__init__(detail)
        self.deny = Deny(reason=reason, detail=detail)


@dataclass(frozen=True, slots=True)
class PatientBinding:
    """The patient a read is bound to: a number, and its authority when the attest names it."""

    number: str
    authority: str | None = None

    def binds(self, patient: Cx | None) -> bool:
        if patient is None or patient.id_number != self.number:
            return False
        if self.authority is None:
            return patient.authority_oid in codes.NATIONAL_PERSON_IDS
        return patient.authority_oid == self.authority


def decide(
    context: AccessContext,
    request: RequestFacts,
    documents: Sequence[JudgedDocument] = (),
    *,
    settings: TrustSettings,
) -> Decision:
    """The source's decision on this request (pure: no clock, no I/O)."""
    try:
        if not request.transaction.reads_documents:
            return _other_transaction(context, request.transaction, settings.scopes)
        if context.principal.role is Role.CITIZEN:
            return _citizen_read(context, request, documents, settings.scopes)
        if context.principal.role is Role.PERSONNEL:
            return _personnel_read(context, request, documents, settings)
        raise _Denied(Reason.READ_REQUIRES_PERSON, "documents are read by a person")
    except _Denied as denied:
        return denied.deny


def patients_concerned(patient: Cx | None, documents: Iterable[JudgedDocument]) -> frozenset[Cx]:
    """The patients whose blocks apply: the one the request names and those of the entries."""
    found = {entry.patient_id for entry in documents if entry.patient_id is not None}
    if patient is not None:
        found.add(patient)
    return frozenset(found)


def _required_scope(transaction: Transaction, scopes: Scopes) -> str:
    scope = {
        Transaction.PROVIDE_AND_REGISTER: scopes.publish,
        Transaction.REGISTER: scopes.publish,
        Transaction.UPDATE: scopes.update,
        Transaction.DELETE_DOCUMENT_SET: scopes.delete,
        Transaction.REMOVE_DOCUMENTS: scopes.delete,
        Transaction.AUDIT_VIEW: scopes.audit,
        Transaction.ADMIN: scopes.admin,
        Transaction.CITIZEN_ACCESS_LOG: scopes.citizen,
    }.get(transaction)
    if scope is None:
        raise _Denied(Reason.NO_RULE_APPLIES, f"no rule covers {transaction.value}")
    return scope


def _other_transaction(context: AccessContext, transaction: Transaction, scopes: Scopes) -> Permit:
    access_log = transaction is Transaction.CITIZEN_ACCESS_LOG
    if access_log and not context.is_citizen:
        raise _Denied(Reason.INSUFFICIENT_SCOPE, "the access log is shown to the citizen only")
    if context.is_citizen and not access_log:
        message = f"a citizen may not use {transaction.value}"
        raise _Denied(Reason.CITIZEN_TRANSACTION_NOT_PERMITTED, message)
    scope = _required_scope(transaction, scopes)
    if not context.has_scope(scope):
        raise _Denied(Reason.INSUFFICIENT_SCOPE, f"{transaction.value} needs scope {scope}")
    return Permit(rule=Rule.SCOPE_GRANTED)


def _citizen_read(
    context: AccessContext,
    request: RequestFacts,
    documents: Sequence[JudgedDocument],
    scopes: Scopes,
) -> Decision:
    if not context.has_scope(scopes.citizen):
        raise _Denied(Reason.INSUFFICIENT_SCOPE, f"a citizen reads with scope {scopes.citizen}")
    own = PatientBinding(str(context.principal.pid))
    if request.patient is not None and not own.binds(request.patient):
        raise _Denied(Reason.CITIZEN_READS_ONLY_OWN_DOCUMENTS, "the request names another patient")
    if any(not own.binds(entry.patient_id) for entry in documents):
        raise _Denied(Reason.CITIZEN_READS_ONLY_OWN_DOCUMENTS, "an entry is another patient's")
    hidden = tuple(h for entry in documents if (h := hidden_from_citizen(entry)) is not None)
    return _granted(Rule.CITIZEN_OWN_DOCUMENTS, documents, hidden)


def _personnel_read(
    context: AccessContext,
    request: RequestFacts,
    documents: Sequence[JudgedDocument],
    settings: TrustSettings,
) -> Decision:
    basis = _legal_basis(context, request.transaction, settings.scopes)
    attest = _fresh_attest(context, request.now, settings.clock_skew_seconds)
    hpr = _practitioner_hpr(context, attest)
    purpose = attest.care_relationship.purpose
    if purpose is None:
        code = attest.care_relationship.purpose_of_use.code
        raise _Denied(Reason.PURPOSE_OF_USE_NOT_PERMITTED, f"purpose of use {code!r}")
    access_basis = None
    if basis is LegalBasis.KJERNEJOURNALFORSKRIFTEN:
        access_basis = _access_basis(request.access_basis_header)
    _check_binding(_binding(attest, request.patient_nin_header), request, documents)
    if hpr in request.blocked_hpr_numbers:
        raise _Denied(Reason.PRACTITIONER_BLOCKED_BY_PATIENT, f"HPR {hpr} is blocked")
    btg = purpose is codes.PurposeOfUse.BTG
    hidden, revealed = hidden_from_personnel(documents, basis, btg, request.now)
    permit = Permit(
        rule=Rule.BREAK_THE_GLASS if btg else Rule.PERSONNEL_READ,
        purpose=purpose,
        legal_basis=basis,
        access_basis=access_basis,
        break_the_glass=btg,
        nors_revealed=revealed,
    )
    return _with_hidden(permit, documents, hidden)


def _legal_basis(context: AccessContext, transaction: Transaction, scopes: Scopes) -> LegalBasis:
    """Helsepersonelloven § 45 when the token has its list scope, else kjernejournalforskriften."""
    if transaction is Transaction.RETRIEVE and not context.has_scope(scopes.read_document):
        raise _Denied(Reason.INSUFFICIENT_SCOPE, f"ITI-43 needs scope {scopes.read_document}")
    if context.has_scope(scopes.read_documentreferences):
        return LegalBasis.HELSEPERSONELLOVEN_45
    if context.has_scope(scopes.read_documentreferences_kjernejournalforskriften):
        return LegalBasis.KJERNEJOURNALFORSKRIFTEN
    message = (
        f"a read needs scope {scopes.read_documentreferences} or "
        f"{scopes.read_documentreferences_kjernejournalforskriften}"
    )
    raise _Denied(Reason.INSUFFICIENT_SCOPE, message)


def _fresh_attest(context: AccessContext, now: datetime, skew: int) -> Attest:
    attest = context.attest
    if attest is None:
        raise _Denied(Reason.ATTEST_MISSING, "a read by health personnel needs an attest")
    age = (now - attest.toa).total_seconds()
    if age > ATTEST_MAX_AGE_SECONDS + skew:
        raise _Denied(Reason.ATTESTATION_HAS_EXPIRED, f"toa is {int(age)} s old (max 3600)")
    if age < -skew:
        raise _Denied(Reason.ATTESTATION_TIME_IN_FUTURE, "toa is in the future")
    return attest


def _practitioner_hpr(context: AccessContext, attest: Attest) -> str:
    """The practitioner's HPR number, after checking the attest speaks for the token's person."""
    practitioner = attest.practitioner
    if practitioner.identifier.id != context.principal.pid:
        message = "the attest's practitioner is not the authenticated person"
        raise _Denied(Reason.PRACTITIONER_NOT_AUTHENTICATED_PERSON, message)
    token_hpr = context.principal.hpr_number
    attest_hpr = practitioner.hpr_nr.id if practitioner.hpr_nr is not None else None
    if token_hpr and attest_hpr and token_hpr != attest_hpr:
        raise _Denied(Reason.PRACTITIONER_HPR_MISMATCH, "token and attest name other HPR numbers")
    hpr = token_hpr or attest_hpr
    if hpr is None or practitioner.authorization is None:
        message = "health personnel read with an HPR number and authorization"
        raise _Denied(Reason.PRACTITIONER_WITHOUT_HPR_AUTHORIZATION, message)
    return hpr


def _access_basis(header: str | None) -> codes.AccessBasis:
    if header is None or not header.strip():
        raise _Denied(Reason.ACCESS_BASIS_MISSING, f"{ACCESS_BASIS_HEADER} is required")
    try:
        return codes.AccessBasis(header.strip().upper())
    except ValueError:
        allowed = "|".join(codes.AccessBasis)
        message = f"{ACCESS_BASIS_HEADER} must be {allowed}"
        raise _Denied(Reason.ACCESS_BASIS_INVALID, message) from None


def _binding(attest: Attest, nin_header: str | None) -> PatientBinding:
    identifier = attest.patient_identifier
    header = nin_header.strip() if nin_header else None
    if identifier is not None:
        if header and header != identifier.id:
            message = f"{PATIENT_NIN_HEADER} names another patient than the attest"
            raise _Denied(Reason.PATIENT_NOT_BOUND_TO_ATTEST, message)
        return PatientBinding(identifier.id, identifier.oid)
    if header:
        return PatientBinding(header)
    message = f"neither the attest nor {PATIENT_NIN_HEADER} names the patient"
    raise _Denied(Reason.PATIENT_NOT_BOUND_TO_ATTEST, message)


def _check_binding(
    binding: PatientBinding, request: RequestFacts, documents: Sequence[JudgedDocument]
) -> None:
    if request.patient is not None and not binding.binds(request.patient):
        message = f"the request's patient is not the bound patient {binding.number}"
        raise _Denied(Reason.PATIENT_NOT_BOUND_TO_ATTEST, message)
    for entry in documents:
        if not binding.binds(entry.patient_id):
            message = f"entry {entry.entry_uuid} belongs to another patient than the bound one"
            raise _Denied(Reason.PATIENT_NOT_BOUND_TO_ATTEST, message)


def _granted(
    rule: Rule, documents: Sequence[JudgedDocument], hidden: tuple[Hidden, ...]
) -> Decision:
    return _with_hidden(Permit(rule=rule), documents, hidden)


def _with_hidden(
    permit: Permit, documents: Sequence[JudgedDocument], hidden: tuple[Hidden, ...]
) -> Decision:
    """The permit as it stands when nothing is hidden, else a Filter with the same facts."""
    if not hidden:
        return permit
    gone = {id(h.entry) for h in hidden}
    visible = tuple(entry for entry in documents if id(entry) not in gone)
    facts: dict[str, Any] = {f.name: getattr(permit, f.name) for f in fields(_Granted)}
    return Filter(visible=visible, hidden=hidden, **facts)
