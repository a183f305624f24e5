"""ITI-62 Delete Document Set: reference checks, all or nothing, no dangling associations."""

from __future__ import annotations

import pytest

from registry.entries import ObjectKind
from registry.services import RegistryOptions, delete_document_set, register_document_set
from registry.storage import SqlRegistryStore
from schemas import vocabulary as v
from schemas.errors import XdsErrorCode, XdsFailure
from schemas.model import AvailabilityStatus, ObjectRef, RemoveObjectsRequest
from tests.registry.lookups import document, documents_of, error_codes, folder_contents, kinds
from tests.support.registry_metadata import (
    NORWEGIAN_PATIENT,
    MetadataFactory,
    document_in_new_folder,
    replacement_of,
    single_document,
)


def _remove(*entry_uuids: str, scope: str | None = None) -> RemoveObjectsRequest:
    return RemoveObjectsRequest(
        object_refs=tuple(ObjectRef(u) for u in entry_uuids), deletion_scope=scope
    )


def test_a_whole_submission_is_removed(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    metadata, _ = single_document(factory)
    ids = register_document_set(store, metadata, options=options).assigned_ids

    removed = delete_document_set(store, _remove(*ids.values()), options=options)

    assert set(removed) == set(ids.values())
    assert documents_of(store, options, NORWEGIAN_PATIENT) == []


def test_unknown_objects_are_unresolved_references(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    metadata, _ = single_document(factory)
    ids = register_document_set(store, metadata, options=options).assigned_ids
    missing = "urn:uuid:0f0e0d0c-0b0a-4909-8807-000000000404"

    with pytest.raises(XdsFailure) as failure:
        delete_document_set(store, _remove(*ids.values(), missing), options=options)

    assert error_codes(failure) == [XdsErrorCode.UNRESOLVED_REFERENCE]
    assert missing in failure.value.errors[0].context
    assert len(documents_of(store, options, NORWEGIAN_PATIENT)) == 1


def test_an_object_still_referenced_is_not_removed(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    metadata, _ = single_document(factory)
    ids = register_document_set(store, metadata, options=options).assigned_ids

    with pytest.raises(XdsFailure) as failure:
        delete_document_set(store, _remove(ids["Document01"]), options=options)

    assert error_codes(failure) == [XdsErrorCode.REFERENCES_EXIST]
    assert ids["Association00"] in failure.value.errors[0].context
    assert len(documents_of(store, options, NORWEGIAN_PATIENT)) == 1


def test_removing_a_folder_membership_and_its_submission_set_link(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    """The Folder → DocumentEntry HasMember goes only with the SubmissionSet's HasMember to it."""
    outcome = register_document_set(store, document_in_new_folder(factory), options=options)
    folder_uuid = outcome.assigned_ids["Folder01"]
    link = next(a for a in outcome.stored.associations if a.source == folder_uuid)
    submission_link = next(a for a in outcome.stored.associations if a.target == link.entry_uuid)

    with pytest.raises(XdsFailure) as failure:
        delete_document_set(store, _remove(link.entry_uuid), options=options)
    assert error_codes(failure) == [XdsErrorCode.REFERENCES_EXIST]

    delete_document_set(
        store, _remove(link.entry_uuid, submission_link.entry_uuid), options=options
    )
    assert kinds(folder_contents(store, options, folder_uuid)) == {ObjectKind.FOLDER: 1}


def test_removing_a_replacement_leaves_the_original_deprecated(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    metadata, _ = single_document(factory)
    original = register_document_set(store, metadata, options=options).assigned_ids["Document01"]
    replacement = register_document_set(
        store, replacement_of(factory, original), options=options
    ).assigned_ids

    delete_document_set(store, _remove(*replacement.values()), options=options)

    assert document(store, options, original).status is AvailabilityStatus.DEPRECATED


def test_only_metadata_removal_is_supported(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    metadata, _ = single_document(factory)
    ids = register_document_set(store, metadata, options=options).assigned_ids
    everything = _remove(*ids.values(), scope=v.DELETION_SCOPE_DELETE_ALL)
    other_scope = _remove(*ids.values(), scope="urn:example:DeleteSomethingElse")

    with pytest.raises(XdsFailure) as failure:
        delete_document_set(store, other_scope, options=options)

    assert error_codes(failure) == [XdsErrorCode.REGISTRY_ERROR]
    assert delete_document_set(store, everything, options=options)


def test_an_empty_request_is_refused(store: SqlRegistryStore, options: RegistryOptions) -> None:
    with pytest.raises(XdsFailure) as failure:
        delete_document_set(store, _remove(), options=options)

    assert error_codes(failure) == [XdsErrorCode.REGISTRY_ERROR]
