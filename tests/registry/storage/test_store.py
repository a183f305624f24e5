"""The store keeps query columns and rendered XML in step, and never lets associations dangle."""

from __future__ import annotations

import psycopg
import pytest

from registry.codec import EbrimObjectCodec
from registry.entries import ObjectKind, WriteConflict
from registry.services import RegistryOptions, register_document_set
from registry.storage import SqlRegistryStore, create_registry_engine
from schemas.model import AvailabilityStatus, Folder, Timestamp
from schemas.queries import DocumentEntryFilter, IdentifierKind, ObjectSelector
from tests.support.postgres import PostgresServer
from tests.support.registry_metadata import (
    NORWEGIAN_PATIENT,
    MetadataFactory,
    document_in_new_folder,
    single_document,
)
from trustframework.judged import AccessFacts

CODEC = EbrimObjectCodec()
DEPRECATED_ONLY = DocumentEntryFilter(statuses=(AvailabilityStatus.DEPRECATED,))


def test_a_status_change_rewrites_column_and_xml_together(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    metadata, _ = single_document(factory)
    entry_uuid = register_document_set(store, metadata, options=options).assigned_ids["Document01"]

    with store.transaction() as transaction:
        entry = transaction.entries([entry_uuid])[entry_uuid]
        transaction.change_status(entry, AvailabilityStatus.DEPRECATED)

    (found,) = store.find_document_entries([NORWEGIAN_PATIENT], DEPRECATED_ONLY, limit=5)
    assert CODEC.parse(found.xml).status is AvailabilityStatus.DEPRECATED
    with store.transaction() as transaction:
        assert transaction.entries([entry_uuid])[entry_uuid].is_deprecated


def test_a_document_entry_hit_carries_the_facts_access_control_judges(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    metadata, entry = single_document(factory)
    entry_uuid = register_document_set(store, metadata, options=options).assigned_ids["Document01"]

    (found,) = store.find_document_entries([NORWEGIAN_PATIENT], DocumentEntryFilter(), limit=5)

    facts = found.access
    assert facts is not None
    assert (facts.entry_uuid, facts.unique_id) == (entry_uuid, entry.unique_id)
    assert facts.repository_unique_id == entry.repository_unique_id
    assert facts.patient_id == entry.patient_id
    assert facts.class_code is not None
    assert entry.class_code is not None
    assert facts.class_code.code == entry.class_code.code
    assert [c.code for c in facts.confidentiality_codes] == [
        c.code for c in entry.confidentiality_codes
    ]
    for stored, registered in (
        (facts.creation_time, entry.creation_time),
        (facts.service_start_time, entry.service_start_time),
    ):
        assert stored is not None
        assert registered is not None
        assert stored.to_datetime() == registered.to_datetime()
    assert AccessFacts.author_institutions(facts) == AccessFacts.author_institutions(entry)


def test_an_association_hit_carries_its_ends(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    metadata, _ = single_document(factory)
    ids = register_document_set(store, metadata, options=options).assigned_ids

    found = store.get_submission_set_and_contents(
        _uuid(ids["SubmissionSet01"]), documents=DocumentEntryFilter(), limit=5
    )

    (association,) = [o for o in found if o.kind is ObjectKind.ASSOCIATION]
    assert association.ends == (ids["SubmissionSet01"], ids["Document01"])


def test_touching_a_folder_rewrites_its_last_update_time(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    folder_uuid = register_document_set(
        store, document_in_new_folder(factory), options=options
    ).assigned_ids["Folder01"]
    later = Timestamp("20301231235959")

    with store.transaction() as transaction:
        transaction.touch_folder(transaction.entries([folder_uuid])[folder_uuid], later)

    with store.transaction() as transaction:
        entry = transaction.entries([folder_uuid])[folder_uuid]
    assert (entry.kind, entry.last_update_time) == (ObjectKind.FOLDER, later)
    (found, *_) = store.get_folder_and_contents(
        _uuid(folder_uuid), documents=DocumentEntryFilter(), limit=5
    )
    folder = CODEC.parse(found.xml)
    assert isinstance(folder, Folder)
    assert folder.last_update_time == later


def test_removing_a_linked_object_alone_is_refused_by_the_database(
    store: SqlRegistryStore, options: RegistryOptions, factory: MetadataFactory
) -> None:
    metadata, _ = single_document(factory)
    entry_uuid = register_document_set(store, metadata, options=options).assigned_ids["Document01"]

    with pytest.raises(WriteConflict), store.transaction() as transaction:
        transaction.remove([entry_uuid])

    with store.transaction() as transaction:
        assert entry_uuid in transaction.entries([entry_uuid])


def _uuid(entry_uuid: str) -> ObjectSelector:

    return ObjectSelector(IdentifierKind.ENTRY_UUID, (entry_uuid,))


@pytest.mark.postgres
def test_connections_the_database_dropped_are_replaced(
    postgres_server: PostgresServer, postgres_url: str, options: RegistryOptions
) -> None:
    """No pre-ping: a read or write on a dead pooled connection runs again on a new one."""
    engine = create_registry_engine(postgres_url)
    store = SqlRegistryStore(engine, CODEC)
    store.create_schema()
    factory = MetadataFactory()
    approved = DocumentEntryFilter(statuses=(AvailabilityStatus.APPROVED,))
    try:
        register_document_set(store, single_document(factory)[0], options=options)
        assert len(store.find_document_entries([NORWEGIAN_PATIENT], approved, limit=5)) == 1
        _drop_connections(postgres_server, postgres_url)
        assert len(store.find_document_entries([NORWEGIAN_PATIENT], approved, limit=5)) == 1
        _drop_connections(postgres_server, postgres_url)
        register_document_set(store, single_document(factory)[0], options=options)
        assert len(store.find_document_entries([NORWEGIAN_PATIENT], approved, limit=5)) == 2
    finally:
        engine.dispose()


def _drop_connections(server: PostgresServer, url: str) -> None:
    database = url.rsplit("/", 1)[1]
    with psycopg.connect(server.admin_conninfo, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (database,),
        )
