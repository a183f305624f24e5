"""The source's access policy, from tokens the development issuer signs to decisions."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from schemas.model import Code, Cx, DocumentEntry, Timestamp
from tests.support.people import OTHER_PATIENT, OTHER_PERSON, PATIENT
from trustframework import codes
from trustframework.attest import ATTEST_CLAIM
from trustframework.context import CLAIM_HPR_NUMBER, CLAIM_PID, AccessContext
from trustframework.devissuer import DEV_ISSUER, DevIssuer, Persona, TokenRequest
from trustframework.failures import Reason
from trustframework.jwks import IssuerKeys, JwksSource
from trustframework.policy import (
    Decision,
    Deny,
    Filter,
    Permit,
    RequestFacts,
    Transaction,
    decide,
    patients_concerned,
)
from trustframework.replay import InMemoryReplayCache
from trustframework.settings import TrustSettings
from trustframework.tokens import Authenticator
from trustframework.visibility import LegalBasis, Rule

NOW = 1_780_000_000
MOMENT = datetime.fromtimestamp(NOW, UTC)
SETTINGS = TrustSettings(issuers=(DEV_ISSUER,), jwks=("unused",))
SCOPES = SETTINGS.scopes
PATIENT_CX = Cx.of(PATIENT, codes.FODSELSNUMMER)
KJ = SCOPES.read_documentreferences_kjernejournalforskriften


@pytest.fixture(scope="module")
def dev(tmp_path_factory: pytest.TempPathFactory) -> DevIssuer:
    return DevIssuer(tmp_path_factory.mktemp("dev-issuer"), clock=lambda: NOW)


def context(dev: DevIssuer, **request: object) -> AccessContext:
    """Issue a token with the development issuer and authenticate it."""
    settings = replace(SETTINGS, jwks=(str(dev.jwks_path),))
    dev.signing_key()
    authenticator = Authenticator(
        settings,
        keys=IssuerKeys({DEV_ISSUER: JwksSource(str(dev.jwks_path))}),
        replay_cache=InMemoryReplayCache(),
        clock=lambda: NOW,
    )
    token = dev.issue(TokenRequest(**request))  # type: ignore[arg-type]
    result = authenticator.authenticate("POST", "https://x/", {"Authorization": f"Bearer {token}"})
    assert isinstance(result, AccessContext), result
    return result


def entry(
    name: str,
    *,
    patient: Cx = PATIENT_CX,
    confidentiality: tuple[str, ...] = ("N",),
    class_code: str = "A00-1",
    age_days: int | None = 30,
    creation_age_days: int | None = None,
) -> DocumentEntry:
    def ago(days: int | None) -> Timestamp | None:
        return None if days is None else Timestamp.of(MOMENT - timedelta(days=days))

    return DocumentEntry(
        entry_uuid=f"urn:uuid:{name}",
        patient_id=patient,
        class_code=Code(class_code, codes.DOKUMENTTYPE),
        confidentiality_codes=tuple(Code(c, codes.CONFIDENTIALITY) for c in confidentiality),
        service_start_time=ago(age_days),
        creation_time=ago(creation_age_days),
    )


def facts(transaction: Transaction = Transaction.STORED_QUERY, **more: object) -> RequestFacts:
    values: dict[str, object] = {"patient": PATIENT_CX, **more}
    return RequestFacts(transaction=transaction, now=MOMENT, **values)  # type: ignore[arg-type]


def denied(decision: Decision) -> Reason:
    assert isinstance(decision, Deny), decision
    assert decision.failure().status == 403
    return decision.reason


NORMAL, SPERRET = entry("normal"), entry("sperret", confidentiality=("NORS",))


# --------------------------------------------------------------------------- positive flows
def test_gp_treat_sees_all_but_nors(dev: DevIssuer) -> None:
    gp = context(dev, persona=Persona.GP, patient=PATIENT)
    decision = decide(gp, facts(), [NORMAL, SPERRET], settings=SETTINGS)
    assert isinstance(decision, Filter)
    assert decision.visible == (NORMAL,)
    assert decision.nors_count == 1
    assert decision.rule is Rule.PERSONNEL_READ
    assert decision.purpose is codes.PurposeOfUse.TREAT
    assert decision.legal_basis is LegalBasis.HELSEPERSONELLOVEN_45
    assert not decision.break_the_glass


def test_gp_retrieve_bound_by_the_patient_header(dev: DevIssuer) -> None:
    gp = context(dev, persona=Persona.GP)
    request = facts(Transaction.RETRIEVE, patient=None, patient_nin_header=PATIENT)
    decision = decide(gp, request, [NORMAL], settings=SETTINGS)
    assert isinstance(decision, Permit)
    assert decision.nors_count == 0


def test_emergency_etreat_does_not_reveal_nors(dev: DevIssuer) -> None:
    doctor = context(dev, persona=Persona.EMERGENCY, patient=PATIENT)
    decision = decide(doctor, facts(), [NORMAL, SPERRET], settings=SETTINGS)
    assert isinstance(decision, Filter)
    assert decision.purpose is codes.PurposeOfUse.ETREAT
    assert decision.nors_count == 1


def test_nursing_home_coc(dev: DevIssuer) -> None:
    nurse = context(dev, persona=Persona.NURSING_HOME, patient=PATIENT)
    decision = decide(nurse, facts(), [NORMAL], settings=SETTINGS)
    assert isinstance(decision, Permit)
    assert decision.purpose is codes.PurposeOfUse.COC


def test_break_the_glass_reveals_nors_and_is_flagged(dev: DevIssuer) -> None:
    doctor = context(dev, persona=Persona.BTG, patient=PATIENT)
    decision = decide(doctor, facts(), [NORMAL, SPERRET], settings=SETTINGS)
    assert isinstance(decision, Permit)
    assert decision.rule is Rule.BREAK_THE_GLASS
    assert decision.break_the_glass
    assert decision.nors_revealed == 1


def test_citizen_sees_own_documents_minus_restricted(dev: DevIssuer) -> None:
    citizen = context(dev, persona=Persona.CITIZEN, patient=PATIENT)
    hidden = [entry(c, confidentiality=(c,)) for c in ("NORU", "NORN_FFL", "V")]
    decision = decide(citizen, facts(), [NORMAL, SPERRET, *hidden], settings=SETTINGS)
    assert isinstance(decision, Filter)
    assert decision.visible == (NORMAL, SPERRET)
    assert {h.rule for h in decision.hidden} == {Rule.RESTRICTED_FROM_CITIZEN}
    assert decision.nors_count == 0
    assert decision.rule is Rule.CITIZEN_OWN_DOCUMENTS


def test_publisher_publishes_and_deletes(dev: DevIssuer) -> None:
    publisher = context(dev, persona=Persona.PUBLISHER)
    for transaction in (Transaction.PROVIDE_AND_REGISTER, Transaction.DELETE_DOCUMENT_SET):
        decision = decide(publisher, facts(transaction, patient=None), settings=SETTINGS)
        assert isinstance(decision, Permit)
        assert decision.rule is Rule.SCOPE_GRANTED


def test_kjernejournalforskriften_windows(dev: DevIssuer) -> None:
    gp = context(dev, persona=Persona.GP, patient=PATIENT, scopes=(KJ,))
    shown = [
        entry("epikrise-old", class_code="A00-1", age_days=3650),
        entry("provesvar-recent", class_code="C00-1", age_days=200),
        entry("bilde-4y", class_code="E00-1", age_days=4 * 365),
        entry("brev-by-creation", class_code="I00-1", age_days=None, creation_age_days=20),
    ]
    window, uncovered = Rule.KJERNEJOURNAL_OUTSIDE_TIME_WINDOW, Rule.KJERNEJOURNAL_CLASS_NOT_COVERED
    gone = {
        entry("provesvar-old", class_code="C00-1", age_days=400): window,
        entry("organ-6y", class_code="D00-1", age_days=6 * 365): window,
        entry("no-time", class_code="C00-1", age_days=None): window,
        entry("journalnotat", class_code="B00-1"): uncovered,
    }
    decision = decide(gp, facts(access_basis_header="akutt"), [*shown, *gone], settings=SETTINGS)
    assert isinstance(decision, Filter)
    assert decision.visible == tuple(shown)
    assert {h.entry: h.rule for h in decision.hidden} == gone
    assert decision.legal_basis is LegalBasis.KJERNEJOURNALFORSKRIFTEN
    assert decision.access_basis is codes.AccessBasis.AKUTT
    assert decision.nors_count == 0


def test_helsepersonelloven_45_has_no_time_windows(dev: DevIssuer) -> None:
    gp = context(dev, persona=Persona.GP, patient=PATIENT)
    old = entry("journalnotat-old", class_code="B00-1", age_days=20 * 365)
    assert isinstance(decide(gp, facts(), [old], settings=SETTINGS), Permit)


def test_patients_concerned() -> None:
    other = entry("x", patient=Cx.of(OTHER_PATIENT, codes.FODSELSNUMMER))
    assert patients_concerned(PATIENT_CX, [NORMAL, other]) == {PATIENT_CX, other.patient_id}


# --------------------------------------------------------------------------- denials
def _without_authorization(ctx: AccessContext) -> AccessContext:
    assert ctx.attest is not None
    practitioner = replace(ctx.attest.practitioner, authorization=None)
    principal = replace(ctx.principal, hpr_number=None)
    attest = replace(ctx.attest, practitioner=replace(practitioner, hpr_nr=None))
    return replace(ctx, attest=attest, principal=principal)


def _with_purpose(ctx: AccessContext, code: str) -> AccessContext:
    assert ctx.attest is not None
    care = ctx.attest.care_relationship
    purpose = replace(care.purpose_of_use, code=code)
    attest = replace(ctx.attest, care_relationship=replace(care, purpose_of_use=purpose))
    return replace(ctx, attest=attest)


@pytest.mark.parametrize(
    ("token", "change", "request_facts", "documents", "reason"),
    [
        ({"persona": Persona.PUBLISHER}, None, facts(), [], Reason.READ_REQUIRES_PERSON),
        (
            {"persona": Persona.GP, "patient": PATIENT, "scopes": ("dokdeling/publish",)},
            None,
            facts(),
            [],
            Reason.INSUFFICIENT_SCOPE,
        ),
        (
            {
                "persona": Persona.GP,
                "patient": PATIENT,
                "scopes": ("dokdeling/read-documentreferences",),
            },
            None,
            facts(Transaction.RETRIEVE),
            [NORMAL],
            Reason.INSUFFICIENT_SCOPE,
        ),
        (
            {"persona": Persona.GP, "extra_claims": {ATTEST_CLAIM: None}},
            None,
            facts(),
            [],
            Reason.ATTEST_MISSING,
        ),
        (
            {"persona": Persona.GP, "patient": PATIENT, "toa": NOW - 3600 - 61},
            None,
            facts(),
            [],
            Reason.ATTESTATION_HAS_EXPIRED,
        ),
        (
            {"persona": Persona.GP, "patient": PATIENT, "toa": NOW + 61},
            None,
            facts(),
            [],
            Reason.ATTESTATION_TIME_IN_FUTURE,
        ),
        (
            {"persona": Persona.GP, "patient": PATIENT, "extra_claims": {CLAIM_PID: OTHER_PERSON}},
            None,
            facts(),
            [],
            Reason.PRACTITIONER_NOT_AUTHENTICATED_PERSON,
        ),
        (
            {"persona": Persona.GP, "patient": PATIENT},
            _without_authorization,
            facts(),
            [],
            Reason.PRACTITIONER_WITHOUT_HPR_AUTHORIZATION,
        ),
        (
            {"persona": Persona.GP, "patient": PATIENT, "extra_claims": {CLAIM_HPR_NUMBER: "1"}},
            None,
            facts(),
            [],
            Reason.PRACTITIONER_HPR_MISMATCH,
        ),
        (
            {"persona": Persona.GP, "patient": PATIENT},
            lambda ctx: _with_purpose(ctx, "PATRQT"),
            facts(),
            [],
            Reason.PURPOSE_OF_USE_NOT_PERMITTED,
        ),
        (
            {"persona": Persona.GP, "patient": PATIENT, "scopes": (KJ,)},
            None,
            facts(),
            [],
            Reason.ACCESS_BASIS_MISSING,
        ),
        (
            {"persona": Persona.GP, "patient": PATIENT, "scopes": (KJ,)},
            None,
            facts(access_basis_header="KANSKJE"),
            [],
            Reason.ACCESS_BASIS_INVALID,
        ),
        ({"persona": Persona.GP}, None, facts(), [], Reason.PATIENT_NOT_BOUND_TO_ATTEST),
        (
            {"persona": Persona.GP, "patient": OTHER_PATIENT},
            None,
            facts(),
            [],
            Reason.PATIENT_NOT_BOUND_TO_ATTEST,
        ),
        (
            {"persona": Persona.GP, "patient": PATIENT},
            None,
            facts(patient_nin_header=OTHER_PATIENT),
            [],
            Reason.PATIENT_NOT_BOUND_TO_ATTEST,
        ),
        (
            {"persona": Persona.GP},
            None,
            facts(Transaction.RETRIEVE, patient=None, patient_nin_header=PATIENT),
            [entry("theirs", patient=Cx.of(OTHER_PATIENT, codes.FODSELSNUMMER))],
            Reason.PATIENT_NOT_BOUND_TO_ATTEST,
        ),
        (
            {"persona": Persona.GP},
            None,
            facts(patient=Cx.of(PATIENT, "1.2.3.4"), patient_nin_header=PATIENT),
            [],
            Reason.PATIENT_NOT_BOUND_TO_ATTEST,
        ),
        (
            {"persona": Persona.GP, "patient": PATIENT},
            None,
            facts(blocked_hpr_numbers=frozenset({"9910001"})),
            [NORMAL],
            Reason.PRACTITIONER_BLOCKED_BY_PATIENT,
        ),
        (
            {"persona": Persona.BTG, "patient": PATIENT},
            None,
            facts(blocked_hpr_numbers=frozenset({"9910002"})),
            [NORMAL],
            Reason.PRACTITIONER_BLOCKED_BY_PATIENT,
        ),
        (
            {"persona": Persona.CITIZEN, "patient": PATIENT},
            None,
            facts(patient=Cx.of(OTHER_PATIENT, codes.FODSELSNUMMER)),
            [],
            Reason.CITIZEN_READS_ONLY_OWN_DOCUMENTS,
        ),
        (
            {"persona": Persona.CITIZEN, "patient": PATIENT},
            None,
            facts(patient=None),
            [entry("theirs", patient=Cx.of(OTHER_PATIENT, codes.FODSELSNUMMER))],
            Reason.CITIZEN_READS_ONLY_OWN_DOCUMENTS,
        ),
        (
            {"persona": Persona.CITIZEN, "patient": PATIENT},
            None,
            facts(Transaction.PROVIDE_AND_REGISTER),
            [],
            Reason.CITIZEN_TRANSACTION_NOT_PERMITTED,
        ),
        (
            {"persona": Persona.GP, "patient": PATIENT},
            None,
            facts(Transaction.CITIZEN_ACCESS_LOG),
            [],
            Reason.INSUFFICIENT_SCOPE,
        ),
        (
            {"persona": Persona.PUBLISHER},
            None,
            facts(Transaction.AUDIT_VIEW),
            [],
            Reason.INSUFFICIENT_SCOPE,
        ),
    ],
)
def test_denials(
    dev: DevIssuer,
    *,
    token: dict[str, object],
    change: object,
    request_facts: RequestFacts,
    documents: list[DocumentEntry],
    reason: Reason,
) -> None:
    ctx = context(dev, **token)
    if callable(change):
        ctx = change(ctx)
    assert denied(decide(ctx, request_facts, documents, settings=SETTINGS)) is reason


def test_insufficient_scope_carries_the_oauth_challenge(dev: DevIssuer) -> None:
    publisher = context(dev, persona=Persona.PUBLISHER)
    decision = decide(publisher, facts(Transaction.ADMIN), settings=SETTINGS)
    assert isinstance(decision, Deny)
    assert decision.rule_name == "insufficient_scope"
    challenge = decision.failure().www_authenticate()
    assert challenge is not None
    assert 'error="insufficient_scope"' in challenge


def test_scope_names_are_configurable(dev: DevIssuer) -> None:
    settings = replace(SETTINGS, scopes=SCOPES.overridden({"publish": "nhn:phr-repo/mhd/create"}))
    publisher = context(dev, persona=Persona.PUBLISHER, scopes=("nhn:phr-repo/mhd/create",))
    request = facts(Transaction.REGISTER, patient=None)
    assert isinstance(decide(publisher, request, settings=settings), Permit)
    assert denied(decide(publisher, request, settings=SETTINGS)) is Reason.INSUFFICIENT_SCOPE
