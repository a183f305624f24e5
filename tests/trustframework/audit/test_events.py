"""Audit events from the trust framework's own results: a token the development issuer signs,
the policy's decision, and DocumentEntries with their author institutions."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from schemas.model import Author, Xon
from tests.support.audit import keyring, sql_store, sqlite_engine
from tests.support.xds_samples import PATIENT, document_entry
from trustframework.audit.events import access_event, data_controller_of, outcome_of, touched
from trustframework.audit.record import AccessDecision, Party
from trustframework.audit.writer import AuditWriter
from trustframework.context import AccessContext
from trustframework.devissuer import DEV_ISSUER, DevIssuer, Persona, TokenRequest
from trustframework.failures import AccessFailure, Reason
from trustframework.jwks import IssuerKeys, JwksSource
from trustframework.policy import RequestFacts, Transaction, decide
from trustframework.replay import InMemoryReplayCache
from trustframework.settings import TrustSettings
from trustframework.tokens import Authenticator

NOW = 1_780_000_000
TESTSYKEHUSET = Party(id="974633574", name="Testsykehuset HF")


@pytest.fixture
def gp_context(tmp_path: Path) -> AccessContext:
    dev = DevIssuer(tmp_path, clock=lambda: NOW)
    dev.signing_key()
    settings = TrustSettings(issuers=(DEV_ISSUER,), jwks=(str(dev.jwks_path),))
    authenticator = Authenticator(
        settings,
        keys=IssuerKeys({DEV_ISSUER: JwksSource(str(dev.jwks_path))}),
        replay_cache=InMemoryReplayCache(),
        clock=lambda: NOW,
    )
    token = dev.issue(TokenRequest(persona=Persona.GP, patient=PATIENT.render()))
    result = authenticator.authenticate("POST", "https://x/", {"Authorization": f"Bearer {token}"})
    assert isinstance(result, AccessContext), result
    return result


def test_the_data_controller_is_the_author_institution() -> None:
    entry = document_entry()
    assert data_controller_of(entry) == TESTSYKEHUSET
    no_number = replace(entry, authors=(Author(institutions=(Xon.parse("Legekontoret"),)),))
    assert data_controller_of(no_number) is None


def test_a_permitted_retrieve(gp_context: AccessContext, tmp_path: Path) -> None:
    entries = [document_entry()]
    facts = RequestFacts(
        transaction=Transaction.RETRIEVE, now=datetime.fromtimestamp(NOW, UTC), patient=PATIENT
    )
    settings = TrustSettings(issuers=(DEV_ISSUER,), jwks=("unused",))
    decision = decide(gp_context, facts, entries, settings=settings)
    event = access_event(
        transaction=Transaction.RETRIEVE,
        access=gp_context,
        outcome=outcome_of(decision),
        decision=decision,
        patient=PATIENT,
        documents=touched(entries),
        request_id="r-1",
    )
    ring = keyring()
    (record,) = AuditWriter(sql_store(sqlite_engine(tmp_path), ring), ring).write(event)
    entry = record.entry
    assert entry.outcome.decision is AccessDecision.PERMIT
    assert entry.outcome.rule == "personnel_read"
    assert entry.legal_basis == "helsepersonelloven-45"
    assert entry.data_controller == TESTSYKEHUSET
    assert entry.document_ids == (document_entry().unique_id,)
    assert entry.patient is not None
    assert (entry.patient.id, entry.patient.authority) == (PATIENT.id_number, PATIENT.authority_oid)
    assert entry.practitioner is not None
    assert entry.practitioner.hpr_number == gp_context.principal.hpr_number
    assert entry.token_id == gp_context.token_id
    assert entry.organisation == gp_context.principal.orgnr_parent
    sealed = ring.unseal("registry", entry.record_id, entry.sealed)
    assert sealed["person"]["id"] == gp_context.principal.pid


def test_an_authentication_failure_is_a_denial_without_caller() -> None:
    failure = AccessFailure(reason=Reason.TOKEN_EXPIRED, detail="expired")
    event = access_event(
        transaction=Transaction.STORED_QUERY, access=failure, outcome=outcome_of(failure)
    )
    assert event.outcome.rule == "token_expired"
    assert event.caller.client_id is None
    assert event.attest is None
