"""Concurrent writers keep the registry's invariants (real PostgreSQL server, and SQLite).

Each scenario starts its requests together from several threads, each with its own connection,
and checks the invariant afterwards, whatever order the database let them run in.
"""

from __future__ import annotations

import dataclasses
import functools
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from registry.entries import ObjectKind
from registry.services import RegistryOptions, register_document_set, update_document_set
from registry.storage import SqlRegistryStore
from schemas.errors import XdsErrorCode, XdsFailure
from schemas.model import AvailabilityStatus
from schemas.queries import GetDocumentsQuery
from tests.registry.lookups import by_unique_id, document, folder_contents, parsed, run
from tests.support.registry_metadata import (
    MetadataFactory,
    fresh_oid,
    replacement_of,
    single_document,
    submission,
)

T = TypeVar("T")
ROUNDS = 3


def _together(requests: Sequence[Callable[[], T]]) -> list[T | XdsFailure]:
    """Run the requests at once; each result, or the XdsFailure it raised."""
    start = threading.Barrier(len(requests))

    def run_one(request: Callable[[], T]) -> T | XdsFailure:
        start.wait()
        try:
            return request()
        except XdsFailure as failure:
            return failure

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(run_one, requests))


def _failures(results: Sequence[object]) -> list[str]:
    return [e.code for r in results if isinstance(r, XdsFailure) for e in r.errors]


def test_same_unique_id_with_different_content_at_once(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    for _ in range(ROUNDS):
        unique_id = fresh_oid()
        requests = [
            lambda unique_id=unique_id: register_document_set(
                store, single_document(factory, unique_id=unique_id)[0], options=options
            )
            for _ in range(2)
        ]

        results = _together(requests)

        assert _failures(results) == [XdsErrorCode.NON_IDENTICAL_HASH]
        stored = run(store, GetDocumentsQuery(documents=by_unique_id(unique_id)), options)
        assert len(stored) == 1


def test_identical_resubmissions_at_once_store_one_document(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    metadata, entry = single_document(factory)
    copies = [
        dataclasses.replace(metadata, submission_sets=(factory.submission_set(),)) for _ in range(3)
    ]

    results = _together(
        [functools.partial(register_document_set, store, m, options=options) for m in copies]
    )

    assert _failures(results) == []
    stored = run(store, GetDocumentsQuery(documents=by_unique_id(entry.unique_id)), options)
    assert len(stored) == 1


def test_two_replacements_of_one_document_at_once(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    for _ in range(ROUNDS):
        original = register_document_set(
            store, single_document(factory)[0], options=options
        ).assigned_ids["Document01"]
        requests = [
            lambda original=original: register_document_set(
                store, replacement_of(factory, original), options=options
            )
            for _ in range(2)
        ]

        results = _together(requests)

        assert _failures(results) == [XdsErrorCode.REGISTRY_DEPRECATED_DOCUMENT_ERROR]
        assert document(store, options, original).status is AvailabilityStatus.DEPRECATED
        (winner,) = (r for r in results if not isinstance(r, XdsFailure))
        replacement = winner.assigned_ids["Document01"]
        assert document(store, options, replacement).status is AvailabilityStatus.APPROVED


def test_two_updates_of_one_document_at_once(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    metadata, entry = single_document(factory)
    original = register_document_set(store, metadata, options=options).assigned_ids["Document01"]

    def update() -> object:
        new = dataclasses.replace(entry, entry_uuid="Update01", logical_id=original)
        link = dataclasses.replace(
            factory.has_member("SubmissionSet01", "Update01"), previous_version="1"
        )
        request = submission(factory.submission_set(), new, link)
        return update_document_set(store, request, options=options)

    results = _together([update, update])

    assert _failures(results) == [XdsErrorCode.METADATA_VERSION_ERROR]
    versions = run(store, GetDocumentsQuery(documents=by_unique_id(entry.unique_id)), options)
    assert sorted((parsed(o).version, parsed(o).status) for o in versions) == [
        ("1", AvailabilityStatus.DEPRECATED),
        ("2", AvailabilityStatus.APPROVED),
    ]


def test_documents_added_to_one_folder_at_once(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    folder_uuid = register_document_set(
        store,
        submission(
            factory.submission_set(),
            factory.folder(),
            factory.has_member("SubmissionSet01", "Folder01", status=None),
        ),
        options=options,
    ).assigned_ids["Folder01"]

    def add_document() -> object:
        link = factory.folder_membership(folder_uuid, "Document01")
        request = submission(
            factory.submission_set(),
            factory.document_entry(),
            factory.has_member("SubmissionSet01", "Document01"),
            link,
            factory.has_member("SubmissionSet01", link.entry_uuid, status=None),
        )
        return register_document_set(store, request, options=options)

    results = _together([add_document] * 4)

    assert _failures(results) == []
    contents = folder_contents(store, options, folder_uuid)
    assert sum(o.kind is ObjectKind.DOCUMENT_ENTRY for o in contents) == 4
