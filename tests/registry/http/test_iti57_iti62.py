"""ITI-57 and ITI-62 through HTTP: who may change and remove what, errors, and the audit."""

from __future__ import annotations

from lxml import etree

from schemas import vocabulary as v
from schemas.errors import ResponseStatus
from schemas.queries import IdentifierKind, ObjectSelector
from tests.registry.http.conftest import Registry
from tests.support.registry_requests import remove_objects, submission_element
from tests.support.submissions import (
    PATIENT_ID,
    has_member,
    update_submission,
    uuid_for,
    valid_submission,
)
from trustframework.audit.record import Result
from trustframework.context import CLAIM_ORGNR_PARENT
from trustframework.devissuer import Persona
from trustframework.policy import Transaction

DOCUMENT = uuid_for("document-1")
SUBMISSION_SET = uuid_for("submission-set")
MEMBERSHIP = has_member(SUBMISSION_SET, DOCUMENT, v.SUBMISSION_SET_STATUS_ORIGINAL).id
HELSE_BERGEN = "983974724"


def _update(previous_version: str = "1") -> etree._Element:
    """A new version of document-1 (same lid and uniqueId) in a SubmissionSet of its own."""
    return submission_element(update_submission(previous_version), keep=("2.999.47.101",))


def _update_token(registry: Registry, organisation: str | None = None) -> str:
    claims = {CLAIM_ORGNR_PARENT: organisation} if organisation else {}
    return registry.token(extra_claims=claims) if claims else registry.token()


def _versions(registry: Registry) -> int:
    selector = ObjectSelector(IdentifierKind.LOGICAL_ID, (DOCUMENT,))
    return len(registry.state.store.get_document_entries(selector, limit=10))


def test_a_publisher_updates_its_document(registry: Registry) -> None:
    registry.register(valid_submission())

    answer = registry.call(v.ACTION_UPDATE, _update(), _update_token(registry))

    assert answer.response_status is ResponseStatus.SUCCESS
    assert _versions(registry) == 2
    update = registry.records()[-1].entry
    assert update.transaction is Transaction.UPDATE
    assert update.outcome.result is Result.SUCCESS
    assert update.document_ids == ("2.999.47.101",)


def test_updates_are_refused_to_others_and_checked_as_updates(registry: Registry) -> None:
    registry.register(valid_submission())
    update = _update()

    bergen = registry.call(v.ACTION_UPDATE, update, _update_token(registry, HELSE_BERGEN))
    assert bergen.status == 403
    assert bergen.fault is not None
    assert bergen.fault.reason.startswith("publisher_not_data_controller")

    reader = registry.call(v.ACTION_UPDATE, update, registry.token(Persona.GP, patient=PATIENT_ID))
    assert reader.status == 403

    stale = registry.call(v.ACTION_UPDATE, _update("7"), _update_token(registry))
    assert stale.codes == ["XDSMetadataVersionError"]
    assert _versions(registry) == 1


def test_a_publisher_deletes_its_document(registry: Registry) -> None:
    registry.register(valid_submission())

    answer = registry.call(
        v.ACTION_DELETE, remove_objects([MEMBERSHIP, DOCUMENT, SUBMISSION_SET]), registry.token()
    )

    assert answer.response_status is ResponseStatus.SUCCESS
    assert _versions(registry) == 0
    removal = registry.records()[-1].entry
    assert removal.transaction is Transaction.DELETE_DOCUMENT_SET
    assert removal.document_ids == ("2.999.47.101",)


def test_deletions_are_refused_to_others_and_follow_the_rules(registry: Registry) -> None:
    registry.register(valid_submission())

    bergen = registry.call(
        v.ACTION_DELETE, remove_objects([DOCUMENT]), _update_token(registry, HELSE_BERGEN)
    )
    assert bergen.status == 403

    referenced = registry.call(v.ACTION_DELETE, remove_objects([DOCUMENT]), registry.token())
    assert referenced.codes == ["ReferencesExistException"]

    unknown = uuid_for("never-registered")
    unresolved = registry.call(v.ACTION_DELETE, remove_objects([unknown]), registry.token())
    assert unresolved.codes == ["UnresolvedReferenceException"]
    assert _versions(registry) == 1
