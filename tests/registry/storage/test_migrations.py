"""`dokdeling db upgrade` gives exactly the schema of `registry.storage.tables`."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from registry.codec import EbrimObjectCodec
from registry.services import RegistryOptions, register_document_set
from registry.storage import SqlRegistryStore, create_registry_engine
from registry.storage.tables import metadata
from schemas.model import Code
from schemas.queries import IdentifierKind, ObjectSelector
from servicekit.database import create_database_engine
from servicekit.runtime import migrations_of
from tests.support.registry_metadata import MetadataFactory, single_document
from trustframework.audit.events import data_controller_of
from trustframework.judged import AccessFacts


def _is_registry_table(obj: Any, _name: str | None, type_: str, *_: object) -> bool:
    """Compare only the registry's tables (not the heartbeat or Alembic's version table)."""
    table = obj if type_ == "table" else getattr(obj, "table", None)
    return table is None or table.name in metadata.tables


def _schema_differences(url: str) -> list[Any]:
    engine = create_database_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={"compare_type": True, "include_object": _is_registry_table},
            )
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()


def test_migrated_schema_equals_the_tables(database_url: str) -> None:
    migrations_of("registry").upgrade(database_url)

    assert _schema_differences(database_url) == []


def test_downgrade_removes_the_registry_tables(database_url: str) -> None:
    migrations = migrations_of("registry")
    migrations.upgrade(database_url)

    command.downgrade(migrations.config(database_url), "0001")

    engine = create_database_engine(database_url)
    try:
        names = set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert not names & set(metadata.tables)


def _stored_facts(url: str, entry_uuid: str) -> AccessFacts | None:
    engine = create_registry_engine(url)
    try:
        store = SqlRegistryStore(engine, EbrimObjectCodec())
        selector = ObjectSelector(IdentifierKind.ENTRY_UUID, (entry_uuid,))
        (found,) = store.get_document_entries(selector, limit=5)
        return found.access
    finally:
        engine.dispose()


def test_0004_back_fills_the_access_facts_from_the_stored_xml(
    database_url: str, options: RegistryOptions, factory: MetadataFactory
) -> None:
    migrations = migrations_of("registry")
    migrations.upgrade(database_url)
    nors = Code(code="NORS", scheme="2.16.578.1.12.4.1.1.9603")
    metadata, entry = single_document(factory, confidentiality_codes=(nors,))
    engine = create_registry_engine(database_url)
    try:
        store = SqlRegistryStore(engine, EbrimObjectCodec())
        registered = register_document_set(store, metadata, options=options)
    finally:
        engine.dispose()
    entry_uuid = registered.assigned_ids[entry.entry_uuid]
    written = _stored_facts(database_url, entry_uuid)

    command.downgrade(migrations.config(database_url), "0003")
    migrations.upgrade(database_url)

    back_filled = _stored_facts(database_url, entry_uuid)
    assert back_filled is not None
    assert back_filled == written
    assert [c.code for c in back_filled.confidentiality_codes] == ["NORS"]
    assert back_filled.patient_id == entry.patient_id
    assert data_controller_of(back_filled) == data_controller_of(entry)
    assert data_controller_of(entry) is not None
