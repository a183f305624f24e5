"""`dokdeling db upgrade` creates exactly the repository's tables (migrations == metadata)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from click.testing import CliRunner

from dokdeling.cli import main
from repository.storage.tables import metadata
from servicekit.database import create_database_engine
from servicekit.runtime import migrations_of


def differences(url: str) -> list[object]:
    migrations = migrations_of("repository")
    engine = create_database_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={"compare_type": True, "version_table": migrations.version_table},
            )
            return list(compare_metadata(context, metadata))
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
