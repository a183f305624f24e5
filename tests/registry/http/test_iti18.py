"""ITI-18 through HTTP: reads by health personnel and citizens under the access policy, the
filtering of results (NORS, associations, ObjectRefs), query errors and the audit of every read."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from joserfc.jwk import ECKey

from schemas import vocabulary as v
from schemas.errors import ResponseStatus, Severity
from schemas.model import Cx, ReturnType
from tests.registry.http.conftest import Answer, Registry, for_patient, nors_submission
from tests.support.registry_app import registry_app
from tests.support.registry_requests import by_uuids, find_documents, stored_query
from tests.support.submissions import (
    OTHER_PATIENT_ID,
    PATIENT_ID,
    PATIENT_NIN,
    uuid_for,
    valid_submission,
)
from trustframework.audit.record import AccessDecision, Result
from trustframework.client import make_dpop_proof
from trustframework.devissuer import Persona
from trustframework.policy import NORS_COUNT_HEADER, Transaction

SHOWN = uuid_for("document-1")
SPERRET = uuid_for("document-2")
SUBMISSION_SET = uuid_for("submission-set")
GP_HPR = "9910001"


@pytest.fixture
def nors(registry: Registry) -> Registry:
    """The patient has two documents; the second is sperret (NORS)."""
    assert registry.register(nors_submission()).response_status is ResponseStatus.SUCCESS
    return registry


def _refusal(answer: Answer, status: int, reason: str) -> None:
    assert answer.status == status
    fault = answer.fault
    assert fault is not None, "expected a SOAP Fault"
    assert fault.reason.startswith(reason), fault.reason


def test_a_gp_reads_without_the_sperret_document_and_is_told_how_many(nors: Registry) -> None:
    answer = nors.read(find_documents(PATIENT_ID))

    assert answer.response_status is ResponseStatus.SUCCESS
    assert answer.ids("ExtrinsicObject") == {SHOWN}
    assert answer.headers[NORS_COUNT_HEADER] == "1"
    read = nors.records()[-1].entry
    assert read.transaction is Transaction.STORED_QUERY
    assert (read.outcome.decision, read.outcome.rule) == (AccessDecision.PERMIT, "personnel_read")
    assert read.legal_basis == "helsepersonelloven-45"
    assert read.document_ids == ("2.999.47.101",)
    assert read.patient is not None
    assert read.patient.id == PATIENT_NIN
    assert read.practitioner is not None
    assert read.practitioner.hpr_number == GP_HPR


def test_break_the_glass_shows_it_and_says_so_in_the_audit(nors: Registry) -> None:
    answer = nors.read(find_documents(PATIENT_ID), persona=Persona.BTG)

    assert answer.ids("ExtrinsicObject") == {SHOWN, SPERRET}
    assert answer.headers[NORS_COUNT_HEADER] == "0"
    read = nors.records()[-1].entry
    assert read.outcome.rule == "break_the_glass"
    assert read.nors_revealed == 1
    assert read.break_the_glass


def test_no_association_reveals_a_hidden_document(nors: Registry) -> None:
    associations = nors.read(by_uuids(v.QUERY_GET_ASSOCIATIONS, "$uuid", [SUBMISSION_SET])).objects(
        "Association"
    )
    assert [a.get("targetObject") for a in associations] == [SHOWN]

    contents = nors.read(
        by_uuids(
            v.QUERY_GET_SUBMISSION_SET_AND_CONTENTS, "$XDSSubmissionSetEntryUUID", [SUBMISSION_SET]
        )
    )
    assert contents.ids("RegistryPackage") == {SUBMISSION_SET}
    assert contents.ids("ExtrinsicObject") == {SHOWN}
    assert {a.get("targetObject") for a in contents.objects("Association")} == {SHOWN}

    references = nors.read(find_documents(PATIENT_ID, ReturnType.OBJECT_REF))
    assert references.ids("ObjectRef") == {SHOWN}
    assert references.headers[NORS_COUNT_HEADER] == "1"


def test_a_citizen_reads_own_documents_and_no_one_elses(nors: Registry) -> None:
    own = nors.read(find_documents(PATIENT_ID), persona=Persona.CITIZEN, patient=PATIENT_NIN)
    assert own.ids("ExtrinsicObject") == {SHOWN, SPERRET}  # the sperring is aimed at personnel

    other_citizen = OTHER_PATIENT_ID.split("^")[0]
    refused = nors.read(find_documents(PATIENT_ID), persona=Persona.CITIZEN, patient=other_citizen)
    _refusal(refused, 403, "citizen_reads_only_own_documents")
    assert nors.records()[-1].entry.outcome.rule == "citizen_reads_only_own_documents"


def test_a_practitioner_the_patient_blocked_reads_nothing(nors: Registry) -> None:
    nors.state.blocks.add(Cx.parse(PATIENT_ID), GP_HPR, now=datetime.now(UTC))

    answer = nors.read(find_documents(PATIENT_ID))

    _refusal(answer, 403, "practitioner_blocked_by_patient")
    assert not answer.objects("ExtrinsicObject")
    refusal = nors.records()[-1].entry
    assert refusal.outcome.decision is AccessDecision.DENY
    assert set(refusal.document_ids) == {"2.999.47.101", "2.999.47.102"}
    other = nors.read(find_documents(PATIENT_ID), persona=Persona.NURSING_HOME)
    assert other.ids("ExtrinsicObject") == {SHOWN}  # a colleague can act


@pytest.mark.parametrize(
    ("persona", "options", "reason"),
    [
        (Persona.PUBLISHER, {}, "read_requires_person"),
        (Persona.GP, {"toa": int(time.time()) - 2 * 3600}, "attestation_has_expired"),
        (Persona.GP, {"patient": OTHER_PATIENT_ID}, "patient_not_bound_to_attest"),
    ],
)
def test_reads_the_policy_refuses(
    nors: Registry, persona: Persona, options: dict[str, Any], reason: str
) -> None:
    answer = nors.read(find_documents(PATIENT_ID), persona=persona, **options)
    _refusal(answer, 403, reason)
    assert nors.records()[-1].entry.outcome.rule == reason


def test_the_patients_of_the_results_bind_queries_without_a_patient(nors: Registry) -> None:
    nors.register(for_patient(OTHER_PATIENT_ID))
    other_document = uuid_for("other-document")

    refused = nors.read(
        by_uuids(v.QUERY_GET_DOCUMENTS, "$XDSDocumentEntryEntryUUID", [other_document])
    )
    _refusal(refused, 403, "patient_not_bound_to_attest")

    allowed = nors.read(
        by_uuids(v.QUERY_GET_DOCUMENTS, "$XDSDocumentEntryEntryUUID", [other_document]),
        patient=OTHER_PATIENT_ID,
    )
    assert allowed.ids("ExtrinsicObject") == {other_document}


def test_a_dpop_bound_token_needs_its_proof(nors: Registry) -> None:
    key = ECKey.generate_key("P-256", private=True)
    token = nors.token(Persona.GP, patient=PATIENT_ID, dpop_jkt=key.thumbprint())
    as_bearer = nors.call(v.ACTION_STORED_QUERY, find_documents(PATIENT_ID), token)
    _refusal(as_bearer, 401, "dpop_bound_token_used_as_bearer")

    proof = make_dpop_proof(
        key, method="POST", url="http://localhost/xds/registry", access_token=token
    )
    answer = nors.call(
        v.ACTION_STORED_QUERY,
        find_documents(PATIENT_ID),
        headers={"Authorization": f"DPoP {token}", "DPoP": proof},
    )
    assert answer.ids("ExtrinsicObject") == {SHOWN}


def test_query_errors_are_failures_with_their_codes(nors: Registry) -> None:
    missing = nors.read(stored_query(v.QUERY_FIND_DOCUMENTS, {}))
    assert missing.response_status is ResponseStatus.FAILURE
    assert "XDSStoredQueryMissingParam" in missing.codes

    multi_patient = stored_query(
        v.QUERY_FIND_DOCUMENTS_FOR_MULTIPLE_PATIENTS,
        {"$XDSDocumentEntryPatientId": [f"('{PATIENT_ID}')"]},
    )
    wrong_transaction = nors.read(multi_patient)
    assert wrong_transaction.codes == ["XDSUnknownStoredQuery"]
    assert "ITI-51" in wrong_transaction.errors[0].context

    unknown = nors.read(stored_query("urn:uuid:00000000-0000-4000-8000-000000000000", {}))
    assert unknown.codes == ["XDSUnknownStoredQuery"]
    failure = nors.records()[-1].entry
    assert (failure.outcome.result, failure.outcome.error) == (
        Result.FAILURE,
        "XDSUnknownStoredQuery",
    )


def test_ignored_parameters_are_warnings(nors: Registry) -> None:
    query = stored_query(
        v.QUERY_FIND_DOCUMENTS,
        {
            "$XDSDocumentEntryPatientId": [f"'{PATIENT_ID}'"],
            "$XDSDocumentEntryStatus": [f"('{v.STATUS_APPROVED}')"],
            "$XDSDocumentEntryPracticeSettingCodeScheme": ["('x')"],
        },
    )
    answer = nors.read(query)

    assert answer.response_status is ResponseStatus.SUCCESS
    assert [e.severity for e in answer.errors] == [Severity.WARNING]
    assert "PracticeSettingCodeScheme" in answer.errors[0].context


def test_more_results_than_configured_is_too_many(tmp_path: Path) -> None:
    registry = Registry(registry_app(tmp_path, REGISTRY_MAX_RESULTS="1"))
    registry.register(valid_submission(2))

    answer = registry.read(find_documents(PATIENT_ID))

    assert answer.codes == ["XDSTooManyResults"]


def test_a_read_that_cannot_be_audited_returns_nothing(nors: Registry) -> None:
    with nors.state.runtime.engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE registry_audit_record"))

    answer = nors.read(find_documents(PATIENT_ID))

    _refusal(answer, 503, "audit_unavailable")
    assert not answer.objects("ExtrinsicObject")


def test_iti51_reads_one_patient_and_refuses_two(nors: Registry) -> None:
    def multi(*patients: str) -> Answer:
        quoted = ",".join(f"'{p}'" for p in patients)
        query = stored_query(
            v.QUERY_FIND_DOCUMENTS_FOR_MULTIPLE_PATIENTS,
            {
                "$XDSDocumentEntryPatientId": [f"({quoted})"],
                "$XDSDocumentEntryStatus": [f"('{v.STATUS_APPROVED}')"],
            },
        )
        return nors.read(query, action=v.ACTION_MULTI_PATIENT_QUERY)

    one = multi(PATIENT_ID)
    assert one.ids("ExtrinsicObject") == {SHOWN}
    assert nors.records()[-1].entry.transaction is Transaction.MULTI_PATIENT_QUERY
    _refusal(multi(PATIENT_ID, OTHER_PATIENT_ID), 403, "patient_not_bound_to_attest")


def test_an_entry_without_stored_access_facts_is_never_shown(nors: Registry) -> None:
    with nors.state.store.engine.begin() as connection:
        connection.execute(sa.text("UPDATE document_entries SET access_facts = NULL"))

    answer = nors.read(find_documents(PATIENT_ID))

    assert answer.response_status is ResponseStatus.FAILURE
    assert answer.codes == ["XDSRegistryError"]
    assert answer.ids("ExtrinsicObject") == set()
    assert nors.records()[-1].entry.outcome.result is Result.FAILURE
