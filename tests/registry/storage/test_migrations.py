"""`dokdeling db upgrade` gives exactly the schema of `registry.storage.tables`."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from registry.storage.tables import metadata
from servicekit.database import create_database_engine
from servicekit.runtime import migrations_of


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
