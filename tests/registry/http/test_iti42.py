"""ITI-42 through HTTP: registration, every kind of refusal and error, and its audit record."""

from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa
from lxml import etree

from schemas import vocabulary as v
from schemas.ebrim.rim import RimClassification, RimObjectList
from schemas.errors import ResponseStatus, Severity
from schemas.queries import IdentifierKind, ObjectSelector
from tests.registry.http.conftest import OUS, Registry, for_patient
from tests.support.submissions import (
    AUTHOR_PERSON,
    PATIENT_ID,
    association,
    author,
    change_classifications,
    document_entry,
    dropping_slot,
    has_member,
    replace_object,
    slot,
    submission_set,
    uuid_for,
    valid_submission,
    with_classifications,
    without_classifications,
)
from trustframework.audit.record import AccessDecision, Result
from trustframework.context import CLAIM_ORGNR_PARENT
from trustframework.devissuer import Persona
from trustframework.policy import Transaction

DOCUMENT = uuid_for("document-1")
NIST_PATIENT = "4c8a2f1e^^^&1.3.6.1.4.1.21367.2005.3.7&ISO"
HELSE_BERGEN = "983974724"


def _stored(registry: Registry, *uuids: str) -> int:
    selector = ObjectSelector(IdentifierKind.ENTRY_UUID, uuids)
    return len(registry.state.store.get_document_entries(selector, limit=10))


def test_a_publisher_registers_and_the_registration_is_audited(registry: Registry) -> None:
    answer = registry.register(valid_submission())

    assert answer.status == 200
    assert answer.response_status is ResponseStatus.SUCCESS
    assert answer.errors == ()
    assert _stored(registry, DOCUMENT) == 1
    (record,) = registry.records()
    entry = record.entry
    assert entry.transaction is Transaction.REGISTER
    assert (entry.outcome.decision, entry.outcome.result) == (AccessDecision.PERMIT, Result.SUCCESS)
    assert entry.outcome.rule == "scope_granted"
    assert entry.data_controller is not None
    assert entry.data_controller.id == OUS
    assert entry.patient is not None
    assert PATIENT_ID.startswith(entry.patient.id)
    assert entry.document_ids == ("2.999.47.101",)
    assert entry.organisation == OUS


def test_invalid_metadata_fails_with_every_error_and_stores_nothing(registry: Registry) -> None:
    broken = replace_object(valid_submission(), DOCUMENT, dropping_slot(v.SLOT_CREATION_TIME))

    answer = registry.register(broken)

    assert answer.status == 200
    assert answer.response_status is ResponseStatus.FAILURE
    assert answer.codes == ["XDSRegistryMetadataError"]
    assert "creationTime" in answer.errors[0].context
    assert _stored(registry, DOCUMENT) == 0
    (record,) = registry.records()
    assert record.entry.outcome.result is Result.FAILURE
    assert record.entry.outcome.error == "XDSRegistryMetadataError"


def test_warnings_come_back_with_success(registry: Registry) -> None:
    def foreign(classification: RimClassification) -> RimClassification:
        return replace(classification, slots=(slot(v.SLOT_CODING_SCHEME, "1.3.6.1.4.1.21367"),))

    objects = replace_object(
        valid_submission(),
        DOCUMENT,
        lambda entry: change_classifications(entry, v.DE_CLASS_CODE, foreign),
    )

    answer = registry.register(objects)

    assert answer.response_status is ResponseStatus.SUCCESS
    assert answer.errors
    assert {e.severity for e in answer.errors} == {Severity.WARNING}


def test_an_unknown_patient_until_the_feed_knows_it(registry: Registry) -> None:
    assert registry.register(for_patient(NIST_PATIENT)).codes == ["XDSUnknownPatientId"]

    fed = registry.client.post(
        "/admin/patients",
        json={"patient_id": NIST_PATIENT},
        headers={"Authorization": f"Bearer {registry.token(scopes=('dokdeling/admin',))}"},
    )
    assert fed.status_code == 201

    assert registry.register(for_patient(NIST_PATIENT)).response_status is ResponseStatus.SUCCESS


def test_without_a_token_it_is_401_and_audited(registry: Registry) -> None:
    answer = registry.call(v.ACTION_REGISTER, etree.Element(f"{{{v.NS_LCM}}}SubmitObjectsRequest"))

    assert answer.status == 401
    assert answer.headers["WWW-Authenticate"] == 'Bearer realm="dokdeling"'
    fault = answer.fault
    assert fault is not None
    assert fault.reason.startswith("credentials_missing")
    (record,) = registry.records()
    assert record.entry.outcome.decision is AccessDecision.DENY
    assert record.entry.outcome.rule == "credentials_missing"


def test_a_reader_may_not_register(registry: Registry) -> None:
    gp = registry.token(Persona.GP, patient=PATIENT_ID)
    answer = registry.register(valid_submission(), gp)

    assert answer.status == 403
    assert answer.fault is not None
    assert answer.fault.reason.startswith("insufficient_scope")
    assert 'error="insufficient_scope"' in answer.headers["WWW-Authenticate"]
    assert _stored(registry, DOCUMENT) == 0


def test_a_publisher_registers_only_what_its_organisation_controls(registry: Registry) -> None:
    other = registry.token(extra_claims={CLAIM_ORGNR_PARENT: HELSE_BERGEN})

    answer = registry.register(valid_submission(), other)

    assert answer.status == 403
    assert answer.fault is not None
    assert answer.fault.reason.startswith("publisher_not_data_controller")
    assert _stored(registry, DOCUMENT) == 0
    (record,) = registry.records()
    assert record.entry.outcome.rule == "publisher_not_data_controller"
    assert record.entry.data_controller is not None
    assert record.entry.data_controller.id == OUS  # the controller sees the attempt


def _bergen_replacement(target: str) -> RimObjectList:
    """Helse Bergen's own document that replaces `target`."""
    institution = f"HELSE BERGEN HF^^^^^&2.16.578.1.12.4.1.4.101&ISO^^^^{HELSE_BERGEN}"
    entry_id = uuid_for("bergen-document")
    bergen_author = author(
        entry_id,
        v.DE_AUTHOR,
        slot(v.SLOT_AUTHOR_PERSON, AUTHOR_PERSON),
        slot(v.SLOT_AUTHOR_INSTITUTION, institution),
    )
    entry = with_classifications(
        without_classifications(document_entry(entry_id, number=7), v.DE_AUTHOR), bergen_author
    )
    ss = without_classifications(submission_set(uuid_for("bergen-set")), v.SS_AUTHOR)
    return RimObjectList(
        objects=(
            ss,
            entry,
            has_member(ss.id, entry.id, v.SUBMISSION_SET_STATUS_ORIGINAL),
            association(v.ASSOC_REPLACE, entry.id, target),
        )
    )


def test_replacing_another_organisations_document_is_refused(registry: Registry) -> None:
    registry.register(valid_submission())
    bergen = registry.token(extra_claims={CLAIM_ORGNR_PARENT: HELSE_BERGEN})

    answer = registry.register(_bergen_replacement(DOCUMENT), bergen, renew=True)

    assert answer.status == 403
    assert answer.fault is not None
    assert f"controlled by organisation {OUS}" in answer.fault.reason


def test_a_malformed_body_is_a_sender_fault_audited_as_a_failure(registry: Registry) -> None:
    answer = registry.call(
        v.ACTION_REGISTER, etree.Element(f"{{{v.NS_LCM}}}Nonsense"), registry.token()
    )

    assert answer.status == 400
    assert answer.fault is not None
    (record,) = registry.records()
    assert record.entry.outcome.result is Result.FAILURE
    assert record.entry.outcome.error is not None
    assert "SubmitObjectsRequest" in record.entry.outcome.error


def test_a_registration_that_cannot_be_audited_is_not_stored(registry: Registry) -> None:
    with registry.state.runtime.engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE registry_audit_record"))

    answer = registry.register(valid_submission())

    assert answer.status == 503
    assert answer.fault is not None
    assert answer.fault.reason.startswith("audit_unavailable")
    assert _stored(registry, DOCUMENT) == 0
