"""The shared guard against real tokens (development issuer), the real policy and a real audit."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from schemas.model import Author, Cx, Xon
from schemas.soap import FaultCode
from tests.support.audit import keyring, sql_store, sqlite_engine
from tests.support.xds_samples import PATIENT, document_entry
from trustframework.audit.record import AccessDecision, AuditRecord, Outcome
from trustframework.audit.storage.sql_store import SqlAuditStore
from trustframework.audit.writer import AuditWriter
from trustframework.devissuer import DEV_ISSUER, DevIssuer, Persona, TokenRequest
from trustframework.guard import Admission, Guard, GuardFault
from trustframework.jwks import IssuerKeys, JwksSource
from trustframework.policy import Filter, Permit, Transaction
from trustframework.replay import InMemoryReplayCache
from trustframework.settings import TrustSettings
from trustframework.tokens import Authenticator

URL = "https://registry.example.org/xds/registry"
OTHER_PATIENT = Cx.of("02839010020", "2.16.578.1.12.4.1.4.1")
PUBLISHER_ORG = "999100009"


class Setup:
    def __init__(self, folder: Path) -> None:
        self.issuer = DevIssuer(folder / "dev-issuer")
        self.issuer.signing_key()
        self.settings = TrustSettings(issuers=(DEV_ISSUER,), jwks=(str(self.issuer.jwks_path),))
        authenticator = Authenticator(
            self.settings,
            keys=IssuerKeys({DEV_ISSUER: JwksSource(str(self.issuer.jwks_path))}),
            replay_cache=InMemoryReplayCache(),
        )
        self.engine = sqlite_engine(folder)
        self.store: SqlAuditStore = sql_store(self.engine, keyring())
        self.guard = Guard(
            authenticator=authenticator,
            settings=self.settings,
            audit=AuditWriter(self.store, self.store.keyring),
        )

    def token(self, persona: Persona, **options: object) -> dict[str, str]:
        request = TokenRequest(persona=persona, **options)  # type: ignore[arg-type]
        return {"Authorization": f"Bearer {self.issuer.issue(request)}"}

    def admit(self, transaction: Transaction, headers: dict[str, str]) -> Admission:
        return self.guard.admit(transaction, method="POST", url=URL, headers=headers)

    def records(self) -> list[AuditRecord]:
        return list(self.store.records())


@pytest.fixture
def setup(tmp_path: Path) -> Setup:
    return Setup(tmp_path)


def refused(setup: Setup, transaction: Transaction, headers: dict[str, str]) -> GuardFault:
    with pytest.raises(GuardFault) as raised:
        setup.admit(transaction, headers)
    return raised.value


def test_no_token_is_401_with_a_challenge_and_audited(setup: Setup) -> None:
    fault = refused(setup, Transaction.STORED_QUERY, {"X-Request-ID": "req-7"})

    assert fault.http_status == 401
    assert dict(fault.http_headers) == {"WWW-Authenticate": 'Bearer realm="dokdeling"'}
    assert fault.reason.startswith("credentials_missing: ")
    assert fault.code is FaultCode.SENDER
    (record,) = setup.records()
    assert record.entry.outcome.decision is AccessDecision.DENY
    assert record.entry.outcome.rule == "credentials_missing"
    assert record.entry.request_id == "req-7"
    assert record.entry.transaction is Transaction.STORED_QUERY


def test_a_bad_signature_is_invalid_token(setup: Setup) -> None:
    token = setup.token(Persona.PUBLISHER)["Authorization"]
    fault = refused(setup, Transaction.REGISTER, {"Authorization": token[:-4] + "AAAA"})
    assert fault.http_status == 401
    challenge = dict(fault.http_headers)["WWW-Authenticate"]
    assert 'error="invalid_token"' in challenge
    assert 'error_description="invalid_signature"' in challenge


def test_a_publisher_is_admitted_to_register_and_a_gp_is_not(setup: Setup) -> None:
    admission = setup.admit(Transaction.REGISTER, setup.token(Persona.PUBLISHER))
    assert admission.context.principal.orgnr_parent == PUBLISHER_ORG
    assert setup.records() == []  # an admission is recorded by the transaction, once it ends

    fault = refused(setup, Transaction.REGISTER, setup.token(Persona.GP, patient=PATIENT.render()))
    assert fault.http_status == 403
    assert fault.reason.startswith("insufficient_scope: ")
    assert 'error="insufficient_scope"' in dict(fault.http_headers)["WWW-Authenticate"]
    assert [r.entry.outcome.rule for r in setup.records()] == ["insufficient_scope"]


@pytest.mark.parametrize(
    ("persona", "options", "reason"),
    [
        (Persona.PUBLISHER, {}, "read_requires_person"),
        (Persona.GP, {"toa": int(time.time()) - 2 * 3600}, "attestation_has_expired"),
        (Persona.GP, {}, "patient_not_bound_to_attest"),
    ],
)
def test_reads_are_refused_by_the_rule_that_refuses(
    setup: Setup, persona: Persona, options: dict[str, object], reason: str
) -> None:
    fault = refused(setup, Transaction.STORED_QUERY, setup.token(persona, **options))
    assert fault.http_status == 403
    assert fault.reason.startswith(f"{reason}: ")
    assert fault.detail == reason
    assert [r.entry.outcome.rule for r in setup.records()] == [reason]


def test_a_read_is_decided_for_its_patients_and_blocks(setup: Setup) -> None:
    headers = setup.token(Persona.GP, patient=PATIENT.render())
    admission = setup.admit(Transaction.STORED_QUERY, headers)
    entry = document_entry()

    decision = setup.guard.decide_read(admission, patients={PATIENT}, entries=[entry])
    assert isinstance(decision, Permit)

    with pytest.raises(GuardFault) as other:
        setup.guard.decide_read(admission, patients={PATIENT, OTHER_PATIENT}, entries=[entry])
    assert other.value.reason.startswith("patient_not_bound_to_attest")

    with pytest.raises(GuardFault) as blocked:
        setup.guard.decide_read(
            admission, patients={PATIENT}, entries=[entry], blocked=frozenset({"9910001"})
        )
    assert blocked.value.reason.startswith("practitioner_blocked_by_patient")
    rules = [r.entry.outcome.rule for r in setup.records()]
    assert rules == ["patient_not_bound_to_attest", "practitioner_blocked_by_patient"]
    assert setup.records()[-1].entry.document_ids == (entry.unique_id,)


def test_nors_entries_are_filtered_for_personnel(setup: Setup) -> None:
    admission = setup.admit(
        Transaction.STORED_QUERY, setup.token(Persona.GP, patient=PATIENT.render())
    )
    entry = document_entry()
    nors = replace(
        entry,
        entry_uuid="urn:uuid:00000000-0000-4000-8000-000000000001",
        confidentiality_codes=(replace(entry.confidentiality_codes[0], code="NORS"),),
    )
    decision = setup.guard.decide_read(admission, patients={PATIENT}, entries=[entry, nors])
    assert isinstance(decision, Filter)
    assert decision.visible == (entry,)
    assert decision.nors_count == 1


def test_a_publisher_publishes_only_what_its_organisation_controls(setup: Setup) -> None:
    admission = setup.admit(Transaction.REGISTER, setup.token(Persona.PUBLISHER))
    entry = document_entry()  # author institution Testsykehuset HF, 974633574

    with pytest.raises(GuardFault) as raised:
        setup.guard.check_publisher(admission, [entry])
    assert raised.value.http_status == 403
    assert raised.value.reason.startswith("publisher_not_data_controller: ")
    assert "974633574" in raised.value.reason
    assert PUBLISHER_ORG in raised.value.reason
    (record,) = setup.records()
    assert record.entry.data_controller is not None
    assert record.entry.data_controller.id == "974633574"  # the controller sees the attempt

    own = Xon.parse(f"Publisher HF^^^^^&2.16.578.1.12.4.1.4.101&ISO^^^^{PUBLISHER_ORG}")
    setup.guard.check_publisher(admission, [replace(entry, authors=(Author(institutions=(own,)),))])
    nist = Xon.parse("Parma Community^^^^^^^^^1.2.3")  # names no data controller
    setup.guard.check_publisher(
        admission, [replace(entry, authors=(Author(institutions=(nist,)),))]
    )
    assert len(setup.records()) == 1


def test_a_record_that_cannot_be_written_is_a_503_fault(setup: Setup) -> None:
    admission = setup.admit(Transaction.REGISTER, setup.token(Persona.PUBLISHER))
    with setup.engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE registry_audit_record"))

    with pytest.raises(GuardFault) as raised:
        setup.guard.record(admission, Outcome.permitted("scope_granted"))
    assert raised.value.http_status == 503
    assert raised.value.code is FaultCode.RECEIVER
    assert raised.value.reason.startswith("audit_unavailable: ")

    refused_without_audit = setup.token(Persona.GP, patient=PATIENT.render())
    with pytest.raises(GuardFault) as refusal:
        setup.admit(Transaction.REGISTER, refused_without_audit)
    assert refusal.value.http_status == 503  # a refusal that cannot be audited is not sent


def test_the_admission_carries_the_request_facts(setup: Setup) -> None:
    headers = setup.token(Persona.GP)
    headers |= {"nhn-patient-nin": PATIENT.id_number, "x-request-id": "abc"}
    admission = setup.admit(Transaction.STORED_QUERY, headers)
    assert admission.patient_nin_header == PATIENT.id_number
    assert admission.request_id == "abc"
    facts = setup.guard.facts(admission, patient=PATIENT)
    assert facts.patient == PATIENT
    assert facts.now <= datetime.now(UTC)


REPOSITORY_CLIENT = "repository-client"
CONTROLLER = "974633574"  # the author institution of tests.support.xds_samples


def repository_token(setup: Setup, **headers: str) -> dict[str, str]:
    claims = {"client_id": REPOSITORY_CLIENT, "helseid://claims/client/claims/orgnr_parent": "1"}
    return setup.token(Persona.PUBLISHER, extra_claims=claims) | headers


def test_a_trusted_repository_registers_for_the_source_it_names(setup: Setup) -> None:
    setup.guard.settings = replace(
        setup.settings, repository_clients=frozenset({REPOSITORY_CLIENT})
    )
    on_behalf = {"Dokdeling-On-Behalf-Of": f"999100009, {CONTROLLER}"}
    admission = setup.admit(Transaction.REGISTER, repository_token(setup, **on_behalf))
    assert setup.guard.publishing_organisations(admission) == {"999100009", CONTROLLER}
    setup.guard.check_publisher(admission, [document_entry()])
    assert setup.records() == []

    naming_nobody = setup.admit(Transaction.REGISTER, repository_token(setup))
    with pytest.raises(GuardFault) as raised:
        setup.guard.check_publisher(naming_nobody, [document_entry()])
    assert "this client acts for no organisation" in raised.value.reason


@pytest.mark.parametrize(
    ("transaction", "trusted"),
    [(Transaction.UPDATE, {REPOSITORY_CLIENT}), (Transaction.REGISTER, set())],
)
def test_only_a_trusted_repositorys_registration_speaks_for_another(
    setup: Setup, transaction: Transaction, trusted: set[str]
) -> None:
    setup.guard.settings = replace(setup.settings, repository_clients=frozenset(trusted))
    on_behalf = {"Dokdeling-On-Behalf-Of": CONTROLLER}
    admission = setup.admit(transaction, repository_token(setup, **on_behalf))
    assert setup.guard.publishing_organisations(admission) == {"1"}
    with pytest.raises(GuardFault) as raised:
        setup.guard.check_publisher(admission, [document_entry()])
    assert raised.value.reason.startswith("publisher_not_data_controller: ")


def test_several_events_are_written_as_one_append(setup: Setup) -> None:
    admission = setup.admit(Transaction.REGISTER, setup.token(Persona.PUBLISHER))
    setup.guard.write(
        setup.guard.event(admission, Outcome.permitted("scope_granted")),
        setup.guard.event(admission, Outcome.denied("nors_hidden_from_personnel")),
    )
    first, second = setup.records()
    assert (first.seq + 1, second.entry.outcome.decision) == (second.seq, AccessDecision.DENY)
