"""`dokdeling db upgrade` creates exactly the repository's tables (migrations == metadata), also
in a database it shares with the registry."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from click.testing import CliRunner

from dokdeling.cli import main
from registry.storage.tables import metadata as registry_metadata
from repository.storage.tables import metadata
from servicekit.database import create_database_engine
from servicekit.runtime import migrations_of


def differences(
    url: str, service: str = "repository", tables: sa.MetaData = metadata
) -> list[object]:
    migrations = migrations_of(service)
    engine = create_database_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={"compare_type": True, "version_table": migrations.version_table},
            )
            found = compare_metadata(context, tables)
            return [d for d in found if _concerns(d, tables)]
    finally:
        engine.dispose()


def test_the_migrated_sqlite_schema_is_the_metadata(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'repository.sqlite'}"
    migrations_of("repository").upgrade(url)
    assert differences(url) == []


@pytest.mark.postgres
def test_the_migrated_postgresql_schema_is_the_metadata(postgres_url: str) -> None:
    migrations_of("repository").upgrade(postgres_url)
    assert differences(postgres_url) == []


def test_db_upgrade_creates_the_document_and_outbox_tables(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["db", "upgrade"], env={"DOKDELING_DATA_DIR": str(tmp_path)})
    assert result.exit_code == 0, result.output
    engine = create_database_engine(f"sqlite:///{tmp_path / 'repository.sqlite'}")
    try:
        tables = set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {"repository_document", "repository_registration"} <= tables


def _concerns(difference: object, tables: sa.MetaData) -> bool:
    """Whether a difference is about `tables` (in a shared database, the other service's tables
    and indexes are not this service's business)."""
    if not isinstance(difference, tuple):
        return True
    thing = difference[1]
    table = thing if isinstance(thing, sa.Table) else getattr(thing, "table", None)
    return table is None or table.name in tables.tables


@pytest.mark.parametrize("first", ["registry", "repository"])
def test_both_services_migrate_one_shared_database(tmp_path: Path, first: str) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    order = [first, *({"registry", "repository"} - {first})]
    for service in order:
        migrations_of(service).upgrade(url)
    assert differences(url) == []
    assert differences(url, "registry", registry_metadata) == []
    engine = create_database_engine(url)
    try:
        tables = set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {"trust_patient_block", "registry_audit_record", "repository_audit_record"} <= tables
