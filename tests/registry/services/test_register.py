"""ITI-42 registration: ids, patients, uniqueIds, membership and all-or-nothing (guide §2, §8)."""

from __future__ import annotations

import dataclasses

import pytest

from registry.entries import ObjectKind
from registry.services import RegistryOptions, register_document_set
from registry.storage import SqlRegistryStore
from schemas import vocabulary as v
from schemas.errors import XdsErrorCode, XdsFailure
from schemas.model import AvailabilityStatus, Cx, DocumentEntry, Slot, SubmissionSet
from tests.registry.lookups import (
    association,
    document,
    documents_of,
    error_codes,
    kinds,
    submission_set_contents,
)
from tests.support.registry_metadata import (
    NIST_AUTHORITY,
    NIST_PATIENT,
    NORWEGIAN_PATIENT,
    OTHER_NORWEGIAN_PATIENT,
    MetadataFactory,
    fresh_oid,
    single_document,
    submission,
)


def test_single_document_is_stored_approved_with_its_submission_set(
    store: SqlRegistryStore, options: RegistryOptions, nist: MetadataFactory
) -> None:
    metadata, _ = single_document(nist)
    outcome = register_document_set(store, metadata, options=options)

    ids = outcome.assigned_ids
    assert set(ids) == {"SubmissionSet01", "Document01", "Association00"}
    assert all(uuid.startswith(v.UUID_PREFIX) for uuid in ids.values())
    contents = submission_set_contents(store, options, ids["SubmissionSet01"])
    assert kinds(contents) == {
        ObjectKind.SUBMISSION_SET: 1,
        ObjectKind.DOCUMENT_ENTRY: 1,
        ObjectKind.ASSOCIATION: 1,
    }
    entry = document(store, options, ids["Document01"])
    assert entry.status is AvailabilityStatus.APPROVED
    assert (entry.logical_id, entry.version) == (ids["Document01"], "1")
    membership = association(contents[2])
    assert (membership.source, membership.target) == (ids["SubmissionSet01"], ids["Document01"])


def test_two_documents_in_one_submission(
    store: SqlRegistryStore, options: RegistryOptions, nist: MetadataFactory
) -> None:
    metadata = submission(
        nist.submission_set(),
        nist.document_entry("Document01"),
        nist.document_entry("Document02"),
        nist.has_member("SubmissionSet01", "Document01"),
        nist.has_member("SubmissionSet01", "Document02"),
    )
    outcome = register_document_set(store, metadata, options=options)

    contents = submission_set_contents(store, options, outcome.assigned_ids["SubmissionSet01"])
    assert kinds(contents)[ObjectKind.DOCUMENT_ENTRY] == 2
    assert kinds(contents)[ObjectKind.ASSOCIATION] == 2


def test_extra_urn_slots_are_stored_and_returned(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    extra = (Slot("urn:no:nhn:xds:episode", ("E-17", "E-18")),)
    metadata, _ = single_document(factory, extra_slots=extra)
    outcome = register_document_set(store, metadata, options=options)

    assert document(store, options, outcome.assigned_ids["Document01"]).extra_slots == extra


def test_preassigned_uuid_already_present_fails_and_keeps_the_original(
    store: SqlRegistryStore, options: RegistryOptions, nist: MetadataFactory
) -> None:
    """NIST 15806: the identical message with pre-assigned ids, sent twice."""
    uuids = {
        name: f"urn:uuid:00000000-0000-4000-8000-00000000000{i}"
        for i, name in enumerate(("SubmissionSet01", "Document01", "Association00"))
    }
    entry = nist.document_entry(uuids["Document01"])
    metadata = submission(
        nist.submission_set(uuids["SubmissionSet01"]),
        entry,
        nist.association(
            v.ASSOC_HAS_MEMBER,
            uuids["SubmissionSet01"],
            uuids["Document01"],
            entry_uuid=uuids["Association00"],
            submission_set_status=v.SUBMISSION_SET_STATUS_ORIGINAL,
        ),
    )
    register_document_set(store, metadata, options=options)
    renamed = dataclasses.replace(entry, title=(), unique_id=fresh_oid())
    again = dataclasses.replace(metadata, document_entries=(renamed,))

    with pytest.raises(XdsFailure) as failure:
        register_document_set(store, again, options=options)

    assert error_codes(failure).count(XdsErrorCode.REGISTRY_METADATA_ERROR) == 3
    assert "already present" in failure.value.errors[0].context
    assert document(store, options, uuids["Document01"]).title == entry.title


def test_unknown_patient_is_refused(store: SqlRegistryStore, options: RegistryOptions) -> None:
    """NIST 11996: a patient id the identity feed never registered."""
    never_fed = MetadataFactory(patient=Cx.of("SELF-404", NIST_AUTHORITY))
    metadata, _ = single_document(never_fed)

    with pytest.raises(XdsFailure) as failure:
        register_document_set(store, metadata, options=options)

    assert error_codes(failure) == [XdsErrorCode.UNKNOWN_PATIENT_ID]
    assert "SELF-404" in failure.value.errors[0].context


def test_norwegian_national_ids_are_known_when_well_formed(
    store: SqlRegistryStore, options: RegistryOptions
) -> None:
    metadata, _ = single_document(MetadataFactory(patient=NORWEGIAN_PATIENT))
    register_document_set(store, metadata, options=options)
    bad_check_digits = Cx.of("12838540057", NORWEGIAN_PATIENT.authority_oid)

    with pytest.raises(XdsFailure) as failure:
        register_document_set(
            store, single_document(MetadataFactory(patient=bad_check_digits))[0], options=options
        )

    assert error_codes(failure) == [XdsErrorCode.UNKNOWN_PATIENT_ID]
    assert "check digits" in failure.value.errors[0].context


def test_submission_set_and_document_of_different_patients(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    """NIST 11997: nothing is stored for either patient."""
    metadata, _ = single_document(factory, patient_id=OTHER_NORWEGIAN_PATIENT)

    with pytest.raises(XdsFailure) as failure:
        register_document_set(store, metadata, options=options)

    assert error_codes(failure) == [XdsErrorCode.PATIENT_ID_DOES_NOT_MATCH]
    assert documents_of(store, options, NORWEGIAN_PATIENT) == []
    assert documents_of(store, options, OTHER_NORWEGIAN_PATIENT) == []


def test_a_failing_document_stores_nothing_of_the_submission(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    """All or nothing (12084): the second DocumentEntry's uniqueId is taken by a Folder."""
    taken = fresh_oid()
    register_document_set(
        store,
        submission(
            factory.submission_set(),
            factory.folder(unique_id=taken),
            factory.has_member("SubmissionSet01", "Folder01", status=None),
        ),
        options=options,
    )
    metadata = submission(
        factory.submission_set(),
        factory.document_entry("Document01"),
        factory.document_entry("Document02", unique_id=taken),
        factory.has_member("SubmissionSet01", "Document01"),
        factory.has_member("SubmissionSet01", "Document02"),
    )

    with pytest.raises(XdsFailure) as failure:
        register_document_set(store, metadata, options=options)

    assert error_codes(failure) == [XdsErrorCode.DUPLICATE_UNIQUE_ID_IN_REGISTRY]
    assert documents_of(store, options, NORWEGIAN_PATIENT) == []


def test_identical_resubmission_references_the_registered_document(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    metadata, entry = single_document(factory)
    first = register_document_set(store, metadata, options=options)
    registered_uuid = first.assigned_ids["Document01"]
    resubmission = submission(
        factory.submission_set(),
        dataclasses.replace(entry, title=()),
        factory.has_member("SubmissionSet01", "Document01"),
    )

    second = register_document_set(store, resubmission, options=options)

    assert second.resubmitted == {second.assigned_ids["Document01"]: registered_uuid}
    assert second.stored.document_entries == ()
    assert [o.entry_uuid for o in documents_of(store, options, NORWEGIAN_PATIENT)] == [
        registered_uuid
    ]
    assert document(store, options, registered_uuid).title == entry.title
    contents = submission_set_contents(store, options, second.assigned_ids["SubmissionSet01"])
    assert [o.entry_uuid for o in contents if o.kind is ObjectKind.DOCUMENT_ENTRY] == [
        registered_uuid
    ]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"hash": "0" * 40}, XdsErrorCode.NON_IDENTICAL_HASH),
        ({"size": 1}, XdsErrorCode.NON_IDENTICAL_SIZE),
    ],
)
def test_resubmission_with_other_content_is_refused(
    store: SqlRegistryStore,
    options: RegistryOptions,
    factory: MetadataFactory,
    change: dict[str, object],
    code: XdsErrorCode,
) -> None:
    metadata, entry = single_document(factory)
    register_document_set(store, metadata, options=options)
    changed: DocumentEntry = dataclasses.replace(entry, **change)  # type: ignore[arg-type]

    with pytest.raises(XdsFailure) as failure:
        register_document_set(
            store,
            submission(
                factory.submission_set(),
                changed,
                factory.has_member("SubmissionSet01", "Document01"),
            ),
            options=options,
        )

    assert error_codes(failure) == [code]


def test_upper_case_hash_is_the_same_hash(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    metadata, entry = single_document(factory)
    register_document_set(store, metadata, options=options)
    shouting = dataclasses.replace(entry, hash=(entry.hash or "").upper())

    outcome = register_document_set(
        store,
        submission(
            factory.submission_set(), shouting, factory.has_member("SubmissionSet01", "Document01")
        ),
        options=options,
    )

    assert outcome.resubmitted


def test_unique_id_of_a_submission_set_cannot_be_reused(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    metadata, _ = single_document(factory)
    register_document_set(store, metadata, options=options)
    (registered_set,) = metadata.submission_sets
    reused = submission(
        factory.submission_set(unique_id=registered_set.unique_id),
        factory.document_entry(),
        factory.has_member("SubmissionSet01", "Document01"),
    )

    with pytest.raises(XdsFailure) as failure:
        register_document_set(store, reused, options=options)

    assert error_codes(failure) == [XdsErrorCode.DUPLICATE_UNIQUE_ID_IN_REGISTRY]


def test_unique_ids_repeated_within_the_message(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    twin = fresh_oid()
    metadata = submission(
        factory.submission_set(),
        factory.document_entry("Document01", unique_id=twin),
        factory.document_entry("Document02", unique_id=twin),
        factory.has_member("SubmissionSet01", "Document01"),
        factory.has_member("SubmissionSet01", "Document02"),
    )

    with pytest.raises(XdsFailure) as failure:
        register_document_set(store, metadata, options=options)

    assert error_codes(failure) == [XdsErrorCode.REGISTRY_DUPLICATE_UNIQUE_ID_IN_MESSAGE]


def test_every_document_must_be_a_member_of_the_submission_set(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    metadata = submission(factory.submission_set(), factory.document_entry())

    with pytest.raises(XdsFailure) as failure:
        register_document_set(store, metadata, options=options)

    assert error_codes(failure) == [XdsErrorCode.REGISTRY_METADATA_ERROR]
    assert "not a member of the SubmissionSet" in failure.value.errors[0].context


def test_one_submission_set_per_submission(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    metadata = submission(factory.document_entry())

    with pytest.raises(XdsFailure) as failure:
        register_document_set(store, metadata, options=options)

    assert error_codes(failure) == [XdsErrorCode.REGISTRY_METADATA_ERROR]


def test_reference_membership_of_a_registered_document(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    metadata, _ = single_document(factory)
    registered = register_document_set(store, metadata, options=options).assigned_ids["Document01"]
    referencing = submission(
        factory.submission_set(),
        factory.has_member("SubmissionSet01", registered, status=v.SUBMISSION_SET_STATUS_REFERENCE),
    )

    outcome = register_document_set(store, referencing, options=options)

    contents = submission_set_contents(store, options, outcome.assigned_ids["SubmissionSet01"])
    assert registered in {o.entry_uuid for o in contents}


def test_original_membership_must_name_a_submitted_document(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    metadata, _ = single_document(factory)
    registered = register_document_set(store, metadata, options=options).assigned_ids["Document01"]

    with pytest.raises(XdsFailure) as failure:
        register_document_set(
            store,
            submission(factory.submission_set(), factory.has_member("SubmissionSet01", registered)),
            options=options,
        )

    assert error_codes(failure) == [XdsErrorCode.REGISTRY_METADATA_ERROR]
    assert "Original" in failure.value.errors[0].context


def test_unresolvable_association_end_is_named(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    missing = "urn:uuid:6d1f0c57-1d1c-4e0e-9a51-000000000404"
    metadata = submission(
        factory.submission_set(),
        factory.has_member("SubmissionSet01", missing, status=v.SUBMISSION_SET_STATUS_REFERENCE),
    )

    with pytest.raises(XdsFailure) as failure:
        register_document_set(store, metadata, options=options)

    assert error_codes(failure) == [XdsErrorCode.REGISTRY_ERROR]
    assert missing in failure.value.errors[0].context


def test_metadata_update_associations_do_not_belong_in_a_registration(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    metadata, _ = single_document(factory)
    registered = register_document_set(store, metadata, options=options).assigned_ids["Document01"]
    status_update = factory.association(
        v.ASSOC_UPDATE_AVAILABILITY_STATUS,
        "SubmissionSet01",
        registered,
        original_status=v.STATUS_APPROVED,
        new_status=v.STATUS_DEPRECATED,
    )

    with pytest.raises(XdsFailure) as failure:
        register_document_set(
            store, submission(factory.submission_set(), status_update), options=options
        )

    assert error_codes(failure) == [XdsErrorCode.REGISTRY_METADATA_ERROR]
    assert "ITI-57" in failure.value.errors[0].context


def test_registry_sets_status_and_version_whatever_was_submitted(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    metadata, _ = single_document(
        factory, status=AvailabilityStatus.DEPRECATED, logical_id="urn:uuid:x", version="7"
    )
    outcome = register_document_set(store, metadata, options=options)

    (stored_set,) = outcome.stored.submission_sets
    assert isinstance(stored_set, SubmissionSet)
    assert stored_set.status is AvailabilityStatus.APPROVED
    entry = document(store, options, outcome.assigned_ids["Document01"])
    assert (entry.status, entry.logical_id, entry.version) == (
        AvailabilityStatus.APPROVED,
        outcome.assigned_ids["Document01"],
        "1",
    )


def test_nist_patient_fed_through_the_identity_feed(
    store: SqlRegistryStore, options: RegistryOptions, nist: MetadataFactory
) -> None:
    metadata, _ = single_document(nist)
    register_document_set(store, metadata, options=options)

    assert len(documents_of(store, options, NIST_PATIENT)) == 1
