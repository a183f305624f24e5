"""Folders and document relationships at registration (guide §2: 11992, 11993, 11999-12002,
12323, 12326; §8.4)."""

from __future__ import annotations

import pytest

from registry.entries import ObjectKind
from registry.services import RegistryOptions, register_document_set
from registry.storage import SqlRegistryStore
from schemas import vocabulary as v
from schemas.errors import XdsErrorCode, XdsFailure
from schemas.model import Association, AvailabilityStatus, Timestamp
from tests.registry.conftest import ManualClock
from tests.registry.lookups import (
    association,
    document,
    error_codes,
    folder,
    folder_contents,
    kinds,
    submission_set_contents,
)
from tests.support.registry_metadata import (
    OTHER_NORWEGIAN_PATIENT,
    MetadataFactory,
    document_in_new_folder,
    replacement_of,
    single_document,
    submission,
)


def _register_document(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> str:
    metadata, _ = single_document(factory)
    return register_document_set(store, metadata, options=options).assigned_ids["Document01"]


def _register_empty_folder(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> str:
    metadata = submission(
        factory.submission_set(),
        factory.folder(),
        factory.has_member("SubmissionSet01", "Folder01", status=None),
    )
    return register_document_set(store, metadata, options=options).assigned_ids["Folder01"]


def _add_to_folder(
    factory: MetadataFactory, folder_uuid: str, document_id: str
) -> list[Association]:
    """A Folder → DocumentEntry HasMember and the SubmissionSet's HasMember to it."""
    link = factory.folder_membership(folder_uuid, document_id)
    return [link, factory.has_member("SubmissionSet01", link.entry_uuid, status=None)]


def test_empty_folder(
    store: SqlRegistryStore, options: RegistryOptions, nist: MetadataFactory
) -> None:
    """11999: SSwithOneFol."""
    metadata = submission(
        nist.submission_set(),
        nist.folder(),
        nist.has_member("SubmissionSet01", "Folder01", status=None),
    )
    outcome = register_document_set(store, metadata, options=options)

    contents = submission_set_contents(store, options, outcome.assigned_ids["SubmissionSet01"])
    assert kinds(contents) == {
        ObjectKind.SUBMISSION_SET: 1,
        ObjectKind.FOLDER: 1,
        ObjectKind.ASSOCIATION: 1,
    }


def test_folder_with_a_document(
    store: SqlRegistryStore, options: RegistryOptions, nist: MetadataFactory
) -> None:
    """12000: SSwithOneDocOneFol, and the folder's contents hold its one membership."""
    outcome = register_document_set(store, document_in_new_folder(nist), options=options)
    ids = outcome.assigned_ids

    assert kinds(submission_set_contents(store, options, ids["SubmissionSet01"])) == {
        ObjectKind.SUBMISSION_SET: 1,
        ObjectKind.DOCUMENT_ENTRY: 1,
        ObjectKind.FOLDER: 1,
        ObjectKind.ASSOCIATION: 4,
    }
    assert kinds(folder_contents(store, options, ids["Folder01"])) == {
        ObjectKind.FOLDER: 1,
        ObjectKind.DOCUMENT_ENTRY: 1,
        ObjectKind.ASSOCIATION: 1,
    }


def test_new_document_added_to_a_registered_folder(
    store: SqlRegistryStore,
    options: RegistryOptions,
    nist: MetadataFactory,
    clock: ManualClock,
) -> None:
    """12001 and 12323 add_to_folder: the folder gains the member and a later lastUpdateTime."""
    folder_uuid = _register_empty_folder(store, options, nist)
    created = folder(store, options, folder_uuid).last_update_time
    clock.advance(60)
    metadata = submission(
        nist.submission_set(),
        nist.document_entry(),
        nist.has_member("SubmissionSet01", "Document01"),
        *_add_to_folder(nist, folder_uuid, "Document01"),
    )
    register_document_set(store, metadata, options=options)

    contents = folder_contents(store, options, folder_uuid)
    assert kinds(contents) == {
        ObjectKind.FOLDER: 1,
        ObjectKind.DOCUMENT_ENTRY: 1,
        ObjectKind.ASSOCIATION: 1,
    }
    updated = folder(store, options, folder_uuid).last_update_time
    assert created is not None
    assert updated is not None
    assert updated.padded > created.padded


def test_registered_document_added_to_a_new_folder(
    store: SqlRegistryStore, options: RegistryOptions, nist: MetadataFactory
) -> None:
    """12326: a Folder → DocumentEntry HasMember to a DocumentEntry submitted earlier."""
    registered = _register_document(store, options, nist)
    metadata = submission(
        nist.submission_set(),
        nist.folder(),
        nist.has_member("SubmissionSet01", "Folder01", status=None),
        *_add_to_folder(nist, "Folder01", registered),
    )
    outcome = register_document_set(store, metadata, options=options)

    contents = folder_contents(store, options, outcome.assigned_ids["Folder01"])
    assert [o.entry_uuid for o in contents if o.kind is ObjectKind.DOCUMENT_ENTRY] == [registered]


def test_document_of_another_patient_cannot_join_a_folder(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    """12002: the folder stays empty."""
    folder_uuid = _register_empty_folder(store, options, factory)
    other = MetadataFactory(patient=OTHER_NORWEGIAN_PATIENT)
    metadata = submission(
        other.submission_set(),
        other.document_entry(),
        other.has_member("SubmissionSet01", "Document01"),
        *_add_to_folder(other, folder_uuid, "Document01"),
    )

    with pytest.raises(XdsFailure) as failure:
        register_document_set(store, metadata, options=options)

    assert error_codes(failure) == [XdsErrorCode.PATIENT_ID_DOES_NOT_MATCH]
    assert kinds(folder_contents(store, options, folder_uuid)) == {ObjectKind.FOLDER: 1}


def test_registry_sets_last_update_time_of_a_new_folder(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    """12323 no_time / has_time: the submitted value (1999) is overwritten with now."""
    folder_uuid = _register_empty_folder(store, options, factory)

    assert folder(store, options, folder_uuid).last_update_time == Timestamp("20240612103000")


def test_replacement_deprecates_the_original_and_joins_its_folders(
    store: SqlRegistryStore, options: RegistryOptions, nist: MetadataFactory
) -> None:
    """11992 and 12323 rplc: even within the same second, lastUpdateTime increases."""
    first = register_document_set(store, document_in_new_folder(nist), options=options)
    original, folder_uuid = first.assigned_ids["Document01"], first.assigned_ids["Folder01"]
    before = folder(store, options, folder_uuid).last_update_time

    outcome = register_document_set(store, replacement_of(nist, original), options=options)

    replacement = outcome.assigned_ids["Document01"]
    assert outcome.deprecated == (original,)
    assert document(store, options, original).status is AvailabilityStatus.DEPRECATED
    assert document(store, options, replacement).status is AvailabilityStatus.APPROVED
    members = folder_contents(store, options, folder_uuid)
    assert {o.entry_uuid for o in members if o.kind is ObjectKind.DOCUMENT_ENTRY} == {
        original,
        replacement,
    }
    after = folder(store, options, folder_uuid).last_update_time
    assert before is not None
    assert after is not None
    assert after.padded > before.padded
    linked = [association(o) for o in store.get_associations([replacement], limit=10)]
    assert sorted((a.association_type, a.source) for a in linked) == sorted(
        [
            (v.ASSOC_HAS_MEMBER, outcome.assigned_ids["SubmissionSet01"]),
            (v.ASSOC_REPLACE, replacement),
            (v.ASSOC_HAS_MEMBER, folder_uuid),
        ]
    )
    folder_link = next(a for a in linked if a.source == folder_uuid)
    made = store.get_associations([folder_link.entry_uuid], limit=10)
    assert [association(o).source for o in made] == [outcome.assigned_ids["SubmissionSet01"]]


def test_transform_and_replace_deprecates_but_transform_does_not(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    transformed = _register_document(store, options, factory)
    register_document_set(
        store, replacement_of(factory, transformed, v.ASSOC_TRANSFORM), options=options
    )
    assert document(store, options, transformed).status is AvailabilityStatus.APPROVED

    register_document_set(
        store, replacement_of(factory, transformed, v.ASSOC_TRANSFORM_REPLACE), options=options
    )
    assert document(store, options, transformed).status is AvailabilityStatus.DEPRECATED


def test_appending_to_a_replaced_document_fails(
    store: SqlRegistryStore, options: RegistryOptions, nist: MetadataFactory
) -> None:
    """11993: APND on the original works, APND on the replaced copy fails; the APND child stays."""
    original = _register_document(store, options, nist)
    copy = _register_document(store, options, nist)
    register_document_set(store, replacement_of(nist, copy), options=options)
    appended = register_document_set(
        store, replacement_of(nist, original, v.ASSOC_APPEND), options=options
    ).assigned_ids["Document01"]

    with pytest.raises(XdsFailure) as failure:
        register_document_set(store, replacement_of(nist, copy, v.ASSOC_APPEND), options=options)

    assert error_codes(failure) == [XdsErrorCode.REGISTRY_DEPRECATED_DOCUMENT_ERROR]
    assert copy in failure.value.errors[0].context
    register_document_set(store, replacement_of(nist, original), options=options)
    assert document(store, options, appended).status is AvailabilityStatus.APPROVED


def test_relationship_to_a_missing_document_names_it(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    missing = "urn:uuid:3b1d2a70-8d0e-4a8f-a6c4-000000000404"

    with pytest.raises(XdsFailure) as failure:
        register_document_set(store, replacement_of(factory, missing), options=options)

    assert error_codes(failure) == [XdsErrorCode.REGISTRY_ERROR]
    assert missing in failure.value.errors[0].context


def test_relationship_across_patients_is_refused(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    target = _register_document(store, options, MetadataFactory(patient=OTHER_NORWEGIAN_PATIENT))

    with pytest.raises(XdsFailure) as failure:
        register_document_set(store, replacement_of(factory, target), options=options)

    assert error_codes(failure) == [XdsErrorCode.PATIENT_ID_DOES_NOT_MATCH]
    assert document(store, options, target).status is AvailabilityStatus.APPROVED


def test_a_document_is_replaced_once_per_submission(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    target = _register_document(store, options, factory)
    metadata = submission(
        factory.submission_set(),
        factory.document_entry("Document01"),
        factory.document_entry("Document02"),
        factory.has_member("SubmissionSet01", "Document01"),
        factory.has_member("SubmissionSet01", "Document02"),
        factory.association(v.ASSOC_REPLACE, "Document01", target),
        factory.association(v.ASSOC_REPLACE, "Document02", target),
    )

    with pytest.raises(XdsFailure) as failure:
        register_document_set(store, metadata, options=options)

    assert error_codes(failure) == [XdsErrorCode.REGISTRY_METADATA_ERROR]
    assert "replaced twice" in failure.value.errors[0].context


def test_relationship_source_must_be_a_new_document(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    first = _register_document(store, options, factory)
    second = _register_document(store, options, factory)
    metadata = submission(
        factory.submission_set(),
        factory.association(v.ASSOC_APPEND, first, second),
    )

    with pytest.raises(XdsFailure) as failure:
        register_document_set(store, metadata, options=options)

    assert error_codes(failure) == [XdsErrorCode.REGISTRY_METADATA_ERROR]
