"""ITI-57 Update Document Set: versions, status changes, submitted associations (guide §2:
15800, 15800b, 20000; ITI TF-2b 3.57)."""

from __future__ import annotations

import dataclasses

import pytest

from registry.entries import ObjectKind
from registry.services import RegistryOptions, register_document_set, update_document_set
from registry.storage import SqlRegistryStore
from schemas import vocabulary as v
from schemas.errors import XdsErrorCode, XdsFailure
from schemas.model import (
    Association,
    AvailabilityStatus,
    DocumentEntry,
    Folder,
    RegistryObjectBase,
    XdsMetadata,
    international,
)
from schemas.queries import GetDocumentsQuery, IdentifierKind, ObjectSelector
from tests.registry.lookups import (
    by_unique_id,
    document,
    error_codes,
    folder,
    folder_contents,
    kinds,
    parsed,
    run,
)
from tests.support.registry_metadata import (
    OTHER_NORWEGIAN_PATIENT,
    MetadataFactory,
    document_in_new_folder,
    single_document,
    submission,
)


def _registered(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> tuple[DocumentEntry, str]:
    """A registered DocumentEntry (as submitted) and its entryUUID."""
    metadata, entry = single_document(factory)
    return entry, register_document_set(store, metadata, options=options).assigned_ids["Document01"]


def _new_version(
    factory: MetadataFactory,
    obj: DocumentEntry | Folder,
    logical_id: str,
    *,
    previous_version: str = "1",
    propagation: str | None = None,
    extra: tuple[RegistryObjectBase, ...] = (),
) -> XdsMetadata:
    """An update: the object under a new id with the registered lid, and its SS HasMember."""
    update = dataclasses.replace(obj, entry_uuid="Update01", logical_id=logical_id)
    membership = factory.has_member("SubmissionSet01", "Update01")
    membership = dataclasses.replace(
        membership, previous_version=previous_version, association_propagation=propagation
    )
    return submission(factory.submission_set(), update, membership, *extra)


def _status_update(factory: MetadataFactory, target: str, original: str, new: str) -> Association:
    return factory.association(
        v.ASSOC_UPDATE_AVAILABILITY_STATUS,
        "SubmissionSet01",
        target,
        original_status=original,
        new_status=new,
    )


def test_new_version_of_a_document_entry(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    """15800: same lid and uniqueId, versions 1 and 2, the first Deprecated."""
    entry, original = _registered(store, options, factory)
    renamed = dataclasses.replace(entry, title=international("Epikrise, korrigert tittel"))

    outcome = update_document_set(store, _new_version(factory, renamed, original), options=options)

    versions = [
        parsed(o)
        for o in run(store, GetDocumentsQuery(documents=by_unique_id(entry.unique_id)), options)
    ]
    assert [(o.entry_uuid, o.logical_id, o.version, o.status) for o in versions] == [
        (original, original, "1", AvailabilityStatus.DEPRECATED),
        (outcome.assigned_ids["Update01"], original, "2", AvailabilityStatus.APPROVED),
    ]
    assert outcome.deprecated == (original,)
    by_lid = ObjectSelector(IdentifierKind.LOGICAL_ID, (original,))
    assert len(run(store, GetDocumentsQuery(documents=by_lid), options)) == 2


def test_update_of_an_unknown_logical_id(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    """15800b: XDSMetadataVersionError."""
    entry, _ = _registered(store, options, factory)
    unknown = "urn:uuid:8c9d0e1f-2a3b-4c5d-8e6f-000000000404"

    with pytest.raises(XdsFailure) as failure:
        update_document_set(store, _new_version(factory, entry, unknown), options=options)

    assert error_codes(failure) == [XdsErrorCode.METADATA_VERSION_ERROR]


def test_previous_version_must_be_the_latest(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    entry, original = _registered(store, options, factory)
    update_document_set(store, _new_version(factory, entry, original), options=options)

    with pytest.raises(XdsFailure) as failure:
        update_document_set(store, _new_version(factory, entry, original), options=options)

    assert error_codes(failure) == [XdsErrorCode.METADATA_VERSION_ERROR]
    assert "latest version" in failure.value.errors[0].context


def test_two_updates_of_one_logical_id_in_one_request(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    entry, original = _registered(store, options, factory)
    first = _new_version(factory, entry, original)
    second = dataclasses.replace(entry, entry_uuid="Update02", logical_id=original)
    membership = dataclasses.replace(
        factory.has_member("SubmissionSet01", "Update02"), previous_version="1"
    )
    both = dataclasses.replace(
        first,
        document_entries=(*first.document_entries, second),
        associations=(*first.associations, membership),
    )

    with pytest.raises(XdsFailure) as failure:
        update_document_set(store, both, options=options)

    assert XdsErrorCode.METADATA_UPDATE_OPERATION_ERROR in error_codes(failure)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"unique_id": "2.25.1"}, XdsErrorCode.METADATA_IDENTIFIER_ERROR),
        ({"hash": "0" * 40}, XdsErrorCode.METADATA_UPDATE_ERROR),
        ({"patient_id": OTHER_NORWEGIAN_PATIENT}, XdsErrorCode.PATIENT_ID_RECONCILIATION_ERROR),
    ],
)
def test_what_a_metadata_update_cannot_change(
    store: SqlRegistryStore,
    options: RegistryOptions,
    factory: MetadataFactory,
    change: dict[str, object],
    code: XdsErrorCode,
) -> None:
    entry, original = _registered(store, options, factory)
    changed = dataclasses.replace(entry, **change)  # type: ignore[arg-type]
    request = _new_version(factory, changed, original)
    if "patient_id" in change:  # the SubmissionSet follows the moved document
        (submission_set,) = request.submission_sets
        moved = dataclasses.replace(submission_set, patient_id=OTHER_NORWEGIAN_PATIENT)
        request = dataclasses.replace(request, submission_sets=(moved,))

    with pytest.raises(XdsFailure) as failure:
        update_document_set(store, request, options=options)

    assert code in error_codes(failure)
    assert document(store, options, original).status is AvailabilityStatus.APPROVED


def test_patient_id_update_when_the_registry_allows_it(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    entry, original = _registered(store, options, factory)
    moved = MetadataFactory(patient=OTHER_NORWEGIAN_PATIENT)
    request = _new_version(
        moved, dataclasses.replace(entry, patient_id=OTHER_NORWEGIAN_PATIENT), original
    )

    outcome = update_document_set(
        store, request, options=dataclasses.replace(options, allow_patient_id_update=True)
    )

    new = document(store, options, outcome.assigned_ids["Update01"])
    assert new.patient_id == OTHER_NORWEGIAN_PATIENT


def test_an_update_needs_the_previous_version_slot(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    entry, original = _registered(store, options, factory)
    request = _new_version(factory, entry, original)
    without = tuple(dataclasses.replace(a, previous_version=None) for a in request.associations)

    with pytest.raises(XdsFailure) as failure:
        update_document_set(
            store, dataclasses.replace(request, associations=without), options=options
        )

    assert error_codes(failure) == [XdsErrorCode.METADATA_UPDATE_ERROR]


def test_new_version_joins_the_folders_of_the_previous_one(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    """AssociationPropagation (default yes); with `no` the new version stays out."""
    metadata = document_in_new_folder(factory)
    ids = register_document_set(store, metadata, options=options).assigned_ids
    entry = metadata.document_entries[0]

    outcome = update_document_set(
        store, _new_version(factory, entry, ids["Document01"]), options=options
    )

    members = folder_contents(store, options, ids["Folder01"])
    documents = {o.entry_uuid for o in members if o.kind is ObjectKind.DOCUMENT_ENTRY}
    assert documents == {ids["Document01"], outcome.assigned_ids["Update01"]}
    no = update_document_set(
        store,
        _new_version(factory, entry, ids["Document01"], previous_version="2", propagation="no"),
        options=options,
    )
    members = folder_contents(store, options, ids["Folder01"])
    assert no.assigned_ids["Update01"] not in {o.entry_uuid for o in members}


def test_new_version_of_a_folder_keeps_its_documents(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    """20000: the folder's lid and versions, and association propagation of its members."""
    metadata = document_in_new_folder(factory)
    ids = register_document_set(store, metadata, options=options).assigned_ids
    renamed = dataclasses.replace(metadata.folders[0], title=international("Ny mappetittel"))

    outcome = update_document_set(
        store, _new_version(factory, renamed, ids["Folder01"]), options=options
    )

    new_folder = outcome.assigned_ids["Update01"]
    updated = folder(store, options, new_folder)
    assert (updated.logical_id, updated.version, updated.status) == (
        ids["Folder01"],
        "2",
        AvailabilityStatus.APPROVED,
    )
    assert folder(store, options, ids["Folder01"]).status is AvailabilityStatus.DEPRECATED
    assert kinds(folder_contents(store, options, new_folder)) == {
        ObjectKind.FOLDER: 1,
        ObjectKind.DOCUMENT_ENTRY: 1,
        ObjectKind.ASSOCIATION: 1,
    }


def test_status_can_be_deprecated_and_approved_again(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    _, original = _registered(store, options, factory)
    deprecate = _status_update(factory, original, v.STATUS_APPROVED, v.STATUS_DEPRECATED)

    outcome = update_document_set(
        store, submission(factory.submission_set(), deprecate), options=options
    )

    assert outcome.status_changes == {original: AvailabilityStatus.DEPRECATED}
    assert document(store, options, original).status is AvailabilityStatus.DEPRECATED
    approve = _status_update(factory, original, v.STATUS_DEPRECATED, v.STATUS_APPROVED)
    update_document_set(store, submission(factory.submission_set(), approve), options=options)
    assert document(store, options, original).status is AvailabilityStatus.APPROVED


def test_original_status_must_be_the_current_one(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    _, original = _registered(store, options, factory)
    wrong = _status_update(factory, original, v.STATUS_DEPRECATED, v.STATUS_APPROVED)

    with pytest.raises(XdsFailure) as failure:
        update_document_set(store, submission(factory.submission_set(), wrong), options=options)

    assert error_codes(failure) == [XdsErrorCode.METADATA_UPDATE_ERROR]


def test_status_change_and_new_version_of_one_document_interfere(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    entry, original = _registered(store, options, factory)
    deprecate = _status_update(factory, original, v.STATUS_APPROVED, v.STATUS_DEPRECATED)

    with pytest.raises(XdsFailure) as failure:
        update_document_set(
            store, _new_version(factory, entry, original, extra=(deprecate,)), options=options
        )

    assert error_codes(failure) == [XdsErrorCode.METADATA_UPDATE_OPERATION_ERROR]


def test_submit_association_puts_a_registered_document_in_a_folder(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    metadata = submission(
        factory.submission_set(),
        factory.folder(),
        factory.has_member("SubmissionSet01", "Folder01", status=None),
    )
    folder_uuid = register_document_set(store, metadata, options=options).assigned_ids["Folder01"]
    _, registered = _registered(store, options, factory)
    link = factory.folder_membership(folder_uuid, registered)
    trigger = factory.association(v.ASSOC_SUBMIT_ASSOCIATION, "SubmissionSet01", link.entry_uuid)

    update_document_set(store, submission(factory.submission_set(), link, trigger), options=options)

    members = folder_contents(store, options, folder_uuid)
    assert [o.entry_uuid for o in members if o.kind is ObjectKind.DOCUMENT_ENTRY] == [registered]
    again = factory.folder_membership(folder_uuid, registered)
    trigger = factory.association(v.ASSOC_SUBMIT_ASSOCIATION, "SubmissionSet01", again.entry_uuid)
    with pytest.raises(XdsFailure) as failure:
        update_document_set(
            store, submission(factory.submission_set(), again, trigger), options=options
        )
    assert error_codes(failure) == [XdsErrorCode.METADATA_UPDATE_ERROR]


def test_removing_a_document_from_a_folder_by_deprecating_the_membership(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    metadata = document_in_new_folder(factory)
    outcome = register_document_set(store, metadata, options=options)
    folder_uuid = outcome.assigned_ids["Folder01"]
    membership = next(
        a
        for a in outcome.stored.associations
        if a.source == folder_uuid and a.association_type == v.ASSOC_HAS_MEMBER
    )

    update_document_set(
        store,
        submission(
            factory.submission_set(),
            _status_update(factory, membership.entry_uuid, v.STATUS_APPROVED, v.STATUS_DEPRECATED),
        ),
        options=options,
    )

    assert kinds(folder_contents(store, options, folder_uuid)) == {ObjectKind.FOLDER: 1}


def test_a_submission_set_membership_never_changes_status(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    metadata, _ = single_document(factory)
    outcome = register_document_set(store, metadata, options=options)
    (membership,) = outcome.stored.associations

    with pytest.raises(XdsFailure) as failure:
        update_document_set(
            store,
            submission(
                factory.submission_set(),
                _status_update(
                    factory, membership.entry_uuid, v.STATUS_APPROVED, v.STATUS_DEPRECATED
                ),
            ),
            options=options,
        )

    assert error_codes(failure) == [XdsErrorCode.METADATA_UPDATE_ERROR]


def test_plain_associations_are_not_update_operations(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    _, first = _registered(store, options, factory)
    _, second = _registered(store, options, factory)
    loose = factory.association(v.ASSOC_APPEND, first, second)

    with pytest.raises(XdsFailure) as failure:
        update_document_set(store, submission(factory.submission_set(), loose), options=options)

    assert error_codes(failure) == [XdsErrorCode.METADATA_UPDATE_ERROR]
    assert "SubmitAssociation" in failure.value.errors[0].context
