"""The repository's access rules over HTTP: the secured app (development-issuer tokens, its own
audit), a real worker registering at a registry stand-in, and every rule of ITI-41, ITI-43 and
ITI-86 with its audit record.

The patient has three documents (an epikrise, a sperret (NORS) one, and an old laboratory result
the citizen may not see yet (NORU)); another patient has one. The source is Oslo
universitetssykehus (993467049), their author institution.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
import sqlalchemy as sa
from click.testing import CliRunner

from dokdeling.cli import main
from repository.state import repository_state
from schemas import vocabulary as v
from schemas.ebrim.rim import RimClassification, RimObject, RimObjectList
from schemas.errors import ResponseStatus, XdsErrorCode
from schemas.model.common import international
from servicekit.runtime import runtime_of
from tests.support import submissions as s
from tests.support.fake_registry import FakeRegistry
from tests.support.repository import document_unique_id, entry_id, provided_for, registered
from tests.support.repository_deployment import RepositoryDeployment
from tests.support.repository_http import Answer, RepositoryHttp
from trustframework.audit.record import AccessDecision, AuditRecord, Result
from trustframework.context import CLAIM_ORGNR_PARENT
from trustframework.devissuer import Persona
from trustframework.policy import NORS_COUNT_HEADER, Transaction
from trustframework.settings import Scopes

OUS = "993467049"
PATIENT = s.PATIENT_ID
OTHER = s.OTHER_PATIENT_ID
EPIKRISE, SPERRET, NOTAT, OTHERS = (document_unique_id(n) for n in (1, 2, 3, 4))
CONTENTS = {EPIKRISE: b"epikrise", SPERRET: b"sperret notat", NOTAT: b"provesvar fra 2000"}
GP_HPR = "9910001"
SCOPES = Scopes.with_prefix()


@dataclass
class Rig:
    deployment: RepositoryDeployment
    http: RepositoryHttp
    registry: FakeRegistry

    def token(self, persona: Persona = Persona.GP, **request: Any) -> dict[str, str]:
        if persona in (Persona.GP, Persona.EMERGENCY, Persona.BTG):
            request.setdefault("patient", PATIENT)
        if persona is Persona.CITIZEN:
            request.setdefault("patient", s.PATIENT_NIN)
        return self.deployment.bearer(persona, **request)

    def source(self, organisation: str = OUS, **request: Any) -> dict[str, str]:
        """A publishing system of `organisation`."""
        claims = {CLAIM_ORGNR_PARENT: organisation}
        return self.deployment.bearer(Persona.PUBLISHER, extra_claims=claims, **request)

    def records(self) -> list[AuditRecord]:
        return list(repository_state(self.deployment.app).audit.store.records())

    def since(self, seq: int) -> list[AuditRecord]:
        return [record for record in self.records() if record.seq > seq]

    def last_seq(self) -> int:
        records = self.records()
        return records[-1].seq if records else 0


def patient_documents() -> RimObjectList:
    """Three documents of the patient: normal, NORS, and a NORU prøvesvar (C00-1) from 2000."""
    objects = provided_for(PATIENT, 3)
    objects = s.with_confidentiality(objects, entry_id(2), "NORS", "Sperret")
    objects = s.with_confidentiality(objects, entry_id(3), "NORU", "Utsatt innsyn")

    def recoded(code: str, display: str) -> Callable[[RimClassification], RimClassification]:
        return lambda c: replace(c, node_representation=code, name=international(display))

    def old_lab_result(entry: RimObject) -> RimObject:
        entry = s.change_classifications(entry, v.DE_CLASS_CODE, recoded("C00-1", "Prøvesvar"))
        entry = s.change_classifications(
            entry, v.DE_TYPE_CODE, recoded("C01-2", "Medisinsk biokjemi")
        )
        entry = s.with_slot(entry, v.SLOT_CREATION_TIME, "20000102")
        return s.with_slot(entry, v.SLOT_SERVICE_START_TIME, "20000101")

    return s.replace_object(objects, entry_id(3), old_lab_result)


@pytest.fixture(scope="module")
def rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rig]:
    registry = FakeRegistry().start()
    deployment = RepositoryDeployment(tmp_path_factory.mktemp("repository"), registry)
    try:
        deployment.start_worker()
        http = RepositoryHttp(deployment.serve(), deployment.settings.repository_unique_id)
        running = Rig(deployment, http, registry)
        provided = http.provide(patient_documents(), list(CONTENTS.values()), running.source())
        assert provided.response_status is ResponseStatus.SUCCESS, provided.errors
        others = http.provide(provided_for(OTHER, first=4), [b"annen pasient"], running.source())
        assert others.response_status is ResponseStatus.SUCCESS, others.errors
        yield running
    finally:
        deployment.stop()
        registry.stop()


def refused(answer: Answer, status: int, reason: str) -> None:
    assert answer.status == status
    fault = answer.fault
    assert fault is not None, "expected a SOAP Fault"
    assert fault.reason.startswith(f"{reason}: "), fault.reason


def unknown(answer: Answer, unique_id: str, repository_unique_id: str) -> None:
    """The document is answered exactly as one the repository does not hold."""
    (error,) = (e for e in answer.errors if e.location == unique_id)
    assert error.code == XdsErrorCode.DOCUMENT_UNIQUE_ID_ERROR.value
    assert error.context == f"Document {unique_id} is not in repository {repository_unique_id}"


# --------------------------------------------------------------------------- ITI-43
def test_a_gp_gets_the_documents_but_not_the_sperret_one(rig: Rig) -> None:
    before = rig.last_seq()
    answer = rig.http.retrieve([EPIKRISE, SPERRET, NOTAT], rig.token())

    assert answer.response_status is ResponseStatus.PARTIAL_SUCCESS
    assert answer.documents == {EPIKRISE: CONTENTS[EPIKRISE], NOTAT: CONTENTS[NOTAT]}
    unknown(answer, SPERRET, rig.http.repository_unique_id)
    assert CONTENTS[SPERRET] not in answer.body
    assert answer.headers[NORS_COUNT_HEADER] == "1"
    read, withheld = rig.since(before)
    assert read.entry.transaction is Transaction.RETRIEVE
    assert (read.entry.outcome.decision, read.entry.outcome.rule) == (
        AccessDecision.PERMIT,
        "personnel_read",
    )
    assert read.entry.document_ids == (EPIKRISE, NOTAT)
    assert read.entry.data_controller is not None
    assert read.entry.data_controller.id == OUS
    assert read.entry.practitioner is not None
    assert read.entry.practitioner.hpr_number == GP_HPR
    assert (withheld.entry.outcome.decision, withheld.entry.outcome.rule) == (
        AccessDecision.DENY,
        "nors_hidden_from_personnel",
    )
    assert withheld.entry.document_ids == (SPERRET,)
    assert withheld.entry.data_controller == read.entry.data_controller


def test_break_the_glass_reveals_the_sperret_document(rig: Rig) -> None:
    before = rig.last_seq()
    answer = rig.http.retrieve([SPERRET], rig.token(Persona.BTG))
    assert answer.response_status is ResponseStatus.SUCCESS
    assert answer.documents == {SPERRET: CONTENTS[SPERRET]}
    assert answer.headers[NORS_COUNT_HEADER] == "0"
    (read,) = rig.since(before)
    assert (read.entry.outcome.rule, read.entry.nors_revealed) == ("break_the_glass", 1)
    assert read.entry.break_the_glass


def test_the_citizen_gets_the_sperret_document_but_not_the_noru_one(rig: Rig) -> None:
    before = rig.last_seq()
    answer = rig.http.retrieve([EPIKRISE, SPERRET, NOTAT], rig.token(Persona.CITIZEN))
    assert answer.response_status is ResponseStatus.PARTIAL_SUCCESS
    assert set(answer.documents) == {EPIKRISE, SPERRET}
    unknown(answer, NOTAT, rig.http.repository_unique_id)
    read, withheld = rig.since(before)
    assert read.entry.outcome.rule == "citizen_own_documents"
    assert (withheld.entry.outcome.rule, withheld.entry.document_ids) == (
        "restricted_from_citizen",
        (NOTAT,),
    )


def test_another_patients_document_is_answered_as_unknown(rig: Rig) -> None:
    before = rig.last_seq()
    answer = rig.http.retrieve([OTHERS], rig.token())
    assert answer.response_status is ResponseStatus.FAILURE
    assert answer.documents == {}
    unknown(answer, OTHERS, rig.http.repository_unique_id)
    failed, withheld = rig.since(before)
    assert (failed.entry.outcome.result, failed.entry.outcome.error) == (
        Result.FAILURE,
        XdsErrorCode.DOCUMENT_UNIQUE_ID_ERROR.value,
    )
    assert (withheld.entry.outcome.rule, withheld.entry.document_ids) == (
        "patient_not_bound_to_attest",
        (OTHERS,),
    )
    assert withheld.entry.patient is not None
    assert withheld.entry.patient.id == OTHER.split("^")[0]


def test_a_practitioner_the_patient_blocked_gets_none_of_the_patients_documents(rig: Rig) -> None:
    blocked = CliRunner().invoke(
        main, ["blocks", "add", "--patient", OTHER, "--hpr", GP_HPR], env=rig.deployment.environ
    )
    assert blocked.exit_code == 0, blocked.output
    before = rig.last_seq()
    answer = rig.http.retrieve([OTHERS], rig.token(patient=OTHER))
    refused(answer, 403, "practitioner_blocked_by_patient")
    (denied,) = rig.since(before)
    assert denied.entry.outcome.rule == "practitioner_blocked_by_patient"
    assert denied.entry.document_ids == (OTHERS,)

    colleague = rig.http.retrieve([OTHERS], rig.token(Persona.EMERGENCY, patient=OTHER))
    assert colleague.documents == {OTHERS: b"annen pasient"}


def test_kjernejournalforskriften_shows_only_what_its_windows_cover(rig: Rig) -> None:
    token = rig.token(
        scopes=(SCOPES.read_documentreferences_kjernejournalforskriften, SCOPES.read_document)
    )
    answer = rig.http.retrieve([EPIKRISE, NOTAT], token | {"nhn-access-basis": "AKUTT"})
    assert set(answer.documents) == {EPIKRISE}
    unknown(answer, NOTAT, rig.http.repository_unique_id)
    read = [r for r in rig.records() if r.entry.document_ids == (NOTAT,)][-1]
    assert read.entry.outcome.rule == "kjernejournalforskriften_outside_time_window"


def test_the_patient_may_be_bound_by_the_nin_header(rig: Rig) -> None:
    token = rig.deployment.bearer(Persona.GP)  # an attest naming no patient
    answer = rig.http.retrieve([EPIKRISE], token | {"nhn-patient-nin": s.PATIENT_NIN})
    assert answer.documents == {EPIKRISE: CONTENTS[EPIKRISE]}


@pytest.mark.parametrize(
    ("headers", "status", "reason"),
    [
        (lambda rig: {}, 401, "credentials_missing"),
        (lambda rig: rig.source(), 403, "read_requires_person"),
        (
            lambda rig: rig.token(scopes=(SCOPES.read_documentreferences,)),
            403,
            "insufficient_scope",
        ),
        (
            lambda rig: rig.token(toa=int((datetime.now(UTC) - timedelta(hours=2)).timestamp())),
            403,
            "attestation_has_expired",
        ),
        (lambda rig: rig.deployment.bearer(Persona.GP), 403, "patient_not_bound_to_attest"),
    ],
)
def test_retrieve_refusals_name_their_rule_and_are_audited(
    rig: Rig, headers: Any, status: int, reason: str
) -> None:
    before = rig.last_seq()
    answer = rig.http.retrieve([EPIKRISE], headers(rig))
    refused(answer, status, reason)
    assert CONTENTS[EPIKRISE] not in answer.body
    if status == 401:
        assert answer.headers["WWW-Authenticate"] == 'Bearer realm="dokdeling"'
    (record,) = rig.since(before)
    assert (record.entry.transaction, record.entry.outcome.rule) == (Transaction.RETRIEVE, reason)
    assert record.entry.outcome.decision is AccessDecision.DENY


def test_the_data_controller_and_the_citizen_see_the_reads_here(rig: Rig) -> None:
    rig.http.retrieve([EPIKRISE], rig.token())
    base = rig.http.url.removesuffix("/xds/repository")
    auditor = rig.deployment.bearer(
        Persona.GP, scopes=(SCOPES.audit,), extra_claims={CLAIM_ORGNR_PARENT: OUS}
    )
    events = requests.get(
        f"{base}/audit/api/events", params={"patient": s.PATIENT_NIN}, headers=auditor, timeout=30
    )
    assert events.status_code == 200
    documents = {
        entity["what"]["identifier"]["value"]
        for resource in (item["resource"] for item in events.json()["entry"])
        for entity in resource.get("entity", ())
    }
    assert {EPIKRISE, SPERRET} <= documents  # what was read, and what was refused

    log = requests.get(
        f"{base}/citizen/api/access-log", headers=rig.token(Persona.CITIZEN), timeout=30
    )
    assert log.status_code == 200
    read = [e for e in log.json()["entries"] if EPIKRISE in e["documents"]]
    assert read[0]["practitioner"]["hpr_number"] == GP_HPR
    assert read[0]["data_controller"]["id"] == OUS


# --------------------------------------------------------------------------- ITI-41
def test_a_source_publishes_what_its_organisation_controls(rig: Rig) -> None:
    before = rig.last_seq()
    objects = provided_for(PATIENT, first=5)
    answer = rig.http.provide(objects, [b"ny epikrise"], rig.source() | {"X-Request-ID": "pnr-5"})
    assert answer.response_status is ResponseStatus.SUCCESS
    (record,) = rig.since(before)
    assert (record.entry.transaction, record.entry.outcome.rule) == (
        Transaction.PROVIDE_AND_REGISTER,
        "scope_granted",
    )
    assert record.entry.document_ids == (document_unique_id(5),)
    assert record.entry.repository_id == rig.http.repository_unique_id
    assert (record.entry.request_id, record.entry.organisation) == ("pnr-5", OUS)
    sent = rig.registry.headers[-1]
    assert (sent["Dokdeling-On-Behalf-Of"], sent["X-Request-Id"]) == (OUS, "pnr-5")


def test_a_source_may_not_publish_another_organisations_documents(rig: Rig) -> None:
    before, received = rig.last_seq(), len(rig.registry.received)
    answer = rig.http.provide(provided_for(PATIENT, first=6), [b"x"], rig.source("999100009"))
    refused(answer, 403, "publisher_not_data_controller")
    assert registered(rig.deployment.services.store, document_unique_id(6)) is None
    assert rig.deployment.services.store.live_documents([document_unique_id(6)]) == {}
    assert len(rig.registry.received) == received
    (record,) = rig.since(before)
    assert record.entry.outcome.rule == "publisher_not_data_controller"
    assert record.entry.data_controller is not None
    assert record.entry.data_controller.id == OUS  # the controller sees the attempt


@pytest.mark.parametrize(
    ("headers", "status", "reason"),
    [
        (lambda rig: {}, 401, "credentials_missing"),
        (lambda rig: rig.token(), 403, "insufficient_scope"),
        (lambda rig: rig.token(Persona.CITIZEN), 403, "citizen_transaction_not_permitted"),
    ],
)
def test_provide_refusals_name_their_rule(rig: Rig, headers: Any, status: int, reason: str) -> None:
    answer = rig.http.provide(provided_for(PATIENT, first=7), [b"x"], headers(rig))
    refused(answer, status, reason)
    assert rig.deployment.services.store.live_documents([document_unique_id(7)]) == {}


# --------------------------------------------------------------------------- ITI-86
def test_removing_needs_the_delete_scope_and_the_documents_controller(rig: Rig) -> None:
    provided = rig.http.provide(provided_for(PATIENT, first=8), [b"fjernes"], rig.source())
    assert provided.response_status is ResponseStatus.SUCCESS
    gone = document_unique_id(8)
    refused(rig.http.remove([gone], rig.token()), 403, "insufficient_scope")
    publish_only = rig.source(scopes=(SCOPES.publish,))
    refused(rig.http.remove([gone], publish_only), 403, "insufficient_scope")
    refused(rig.http.remove([gone], rig.source("999100009")), 403, "publisher_not_data_controller")
    assert registered(rig.deployment.services.store, gone) is not None

    before = rig.last_seq()
    answer = rig.http.remove([gone], rig.source())
    assert answer.response_status is ResponseStatus.SUCCESS
    assert registered(rig.deployment.services.store, gone) is None
    (record,) = rig.since(before)
    assert (record.entry.transaction, record.entry.document_ids) == (
        Transaction.REMOVE_DOCUMENTS,
        (gone,),
    )
    again = rig.http.remove([gone], rig.source())
    assert again.codes == [XdsErrorCode.DOCUMENT_UNIQUE_ID_ERROR.value]
    assert rig.since(before)[-1].entry.outcome.result is Result.FAILURE


# --------------------------------------------------------------------------- no record, no data
def test_without_its_audit_record_nothing_is_sent_and_nothing_removed(tmp_path: Path) -> None:
    registry = FakeRegistry().start()
    deployment = RepositoryDeployment(tmp_path, registry)
    try:
        deployment.start_worker()
        rig = Rig(
            deployment,
            RepositoryHttp(deployment.serve(), deployment.settings.repository_unique_id),
            registry,
        )
        provided = rig.http.provide(provided_for(PATIENT), [b"epikrise"], rig.source())
        assert provided.response_status is ResponseStatus.SUCCESS
        with runtime_of(deployment.app).engine.begin() as connection:
            connection.execute(sa.text("DROP TABLE repository_audit_record"))

        answer = rig.http.retrieve([EPIKRISE], rig.token())
        refused(answer, 503, "audit_unavailable")
        assert b"epikrise" not in answer.body
        refused(rig.http.remove([EPIKRISE], rig.source()), 503, "audit_unavailable")
        assert registered(deployment.services.store, EPIKRISE) is not None  # rolled back
    finally:
        deployment.stop()
        registry.stop()
