"""What changes with the transaction: repository attributes, updates, query responses."""

from __future__ import annotations

from dataclasses import replace

from schemas import vocabulary as v
from schemas.ebrim.rim import RimObjectList
from schemas.validation import IHE_STRICT, NORWAY, Rule, Transaction, validate_submission
from tests.support.submissions import (
    association,
    code,
    dropping_slot,
    has_member,
    replace_object,
    slot,
    submission_set,
    update_submission,
    uuid_for,
    valid_submission,
    with_classifications,
    with_objects,
    without_slot,
)

DOC = uuid_for("document-1")
SS = uuid_for("submission-set")
REGISTERED_DOC = uuid_for("registered-document")
REGISTERED_FOLDER = uuid_for("registered-folder")


def _rules(objects: RimObjectList, transaction: Transaction) -> set[Rule]:
    return set(validate_submission(objects, transaction, NORWAY).rules)


def _without_repository_attributes() -> RimObjectList:
    objects = valid_submission()
    for name in (v.SLOT_HASH, v.SLOT_SIZE, v.SLOT_REPOSITORY_UNIQUE_ID):
        objects = replace_object(objects, DOC, dropping_slot(name))
    return objects


def test_provide_and_register_leaves_hash_size_and_repository_to_the_repository() -> None:
    objects = _without_repository_attributes()
    assert _rules(objects, Transaction.PROVIDE_AND_REGISTER) == set()
    assert _rules(objects, Transaction.REGISTER) == {
        Rule.DE_HASH_MISSING,
        Rule.DE_SIZE_MISSING,
        Rule.DE_REPOSITORY_UNIQUE_ID_MISSING,
    }


def test_an_on_demand_entry_has_no_hash_or_size() -> None:
    objects = replace_object(
        valid_submission(),
        DOC,
        lambda o: without_slot(
            without_slot(replace(o, object_type=v.OBJECT_TYPE_ON_DEMAND_DOCUMENT), v.SLOT_HASH),
            v.SLOT_SIZE,
        ),
    )
    assert _rules(objects, Transaction.REGISTER) == set()


def test_replacing_and_appending_documents_in_the_registry() -> None:
    replacement = association(v.ASSOC_REPLACE, DOC, REGISTERED_DOC)
    documented = with_classifications(
        replacement,
        code(replacement.id, v.ASSOCIATION_DOCUMENTATION, "Correction", "1.2.3", "Correction"),
    )
    objects = with_objects(
        valid_submission(), documented, association(v.ASSOC_APPEND, DOC, uuid_for("other"))
    )
    assert _rules(objects, Transaction.REGISTER) == set()


def test_adding_a_new_document_to_an_existing_folder() -> None:
    """NIST 12001: a Folder-DocumentEntry HasMember, itself a member of the SubmissionSet."""
    folder_member = has_member(REGISTERED_FOLDER, DOC)
    objects = with_objects(valid_submission(), folder_member, has_member(SS, folder_member.id))
    assert _rules(objects, Transaction.REGISTER) == set()


def test_referencing_a_registered_document() -> None:
    reference = has_member(SS, REGISTERED_DOC, v.SUBMISSION_SET_STATUS_REFERENCE)
    assert _rules(with_objects(valid_submission(), reference), Transaction.REGISTER) == set()


def test_metadata_update_with_a_status_change() -> None:
    change = association(
        v.ASSOC_UPDATE_AVAILABILITY_STATUS,
        SS,
        REGISTERED_DOC,
        slot(v.SLOT_ORIGINAL_STATUS, v.STATUS_APPROVED),
        slot(v.SLOT_NEW_STATUS, v.STATUS_DEPRECATED),
    )
    assert _rules(with_objects(update_submission(), change), Transaction.UPDATE) == set()
    # in a new submission the same association is refused
    assert Rule.ASSOCIATION_UPDATE_ONLY in _rules(
        with_objects(valid_submission(), change), Transaction.REGISTER
    )


def test_an_update_is_not_a_new_submission() -> None:
    """The lid of an ITI-57 version names the object it replaces; ITI-42 would refuse it."""
    assert _rules(update_submission(), Transaction.UPDATE) == set()
    assert _rules(update_submission(), Transaction.REGISTER) == {Rule.LID_MISMATCH}
    assert Rule.UPDATE_LID_MISSING in _rules(valid_submission(), Transaction.UPDATE)


def test_query_responses_hold_many_submission_sets_and_no_submission_set_status() -> None:
    second = submission_set(uuid_for("other-submission-set"))
    member = has_member(SS, DOC)  # a registry may leave out SubmissionSetStatus
    objects = replace(valid_submission(), objects=(*valid_submission().objects[:2], member, second))
    assert _rules(objects, Transaction.QUERY_RESPONSE) == set()
    # a reference to an object outside the response is normal there
    outside = has_member(SS, "Document99", v.SUBMISSION_SET_STATUS_ORIGINAL)
    assert _rules(with_objects(objects, outside), Transaction.QUERY_RESPONSE) == set()
    # but the objects themselves must be complete registry objects
    incomplete = replace_object(objects, DOC, lambda o: without_slot(o, v.SLOT_HASH))
    assert _rules(incomplete, Transaction.QUERY_RESPONSE) == {Rule.DE_HASH_MISSING}


def test_findings_name_the_object_and_run_in_a_stable_order() -> None:
    objects = replace_object(
        valid_submission(),
        DOC,
        lambda o: without_slot(
            without_slot(replace(o, mime_type=None), v.SLOT_CREATION_TIME), v.SLOT_LANGUAGE_CODE
        ),
    )
    report = validate_submission(objects, Transaction.REGISTER, IHE_STRICT)
    assert [f.rule for f in report.findings] == [
        Rule.DE_MIME_TYPE_MISSING,
        Rule.DE_CREATION_TIME_MISSING,
        Rule.DE_LANGUAGE_CODE_MISSING,
    ]
    assert all(f.location == DOC for f in report.findings)
    assert report.findings[0].message == f"DocumentEntry {DOC!r} has no mimeType"
    assert report.transaction is Transaction.REGISTER
    assert report.profile == "ihe-strict"
