"""Alembic, configured in code: each service keeps its migrations as package data
(`<service>/migrations/`) and its own version table, so two services may share one database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from alembic import command, context
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from servicekit.database import create_database_engine


@dataclass(frozen=True, slots=True, kw_only=True)
class MigrationSet:
    """One service's migrations: `package:folder` of the scripts and the version table's name."""

    service: str
    script_location: str
    version_table: str

    def config(self, database_url: str) -> Config:
        config = Config()
        config.set_main_option("script_location", self.script_location)
        config.attributes["database_url"] = database_url
        config.attributes["version_table"] = self.version_table
        return config

    def head(self) -> str | None:
        return ScriptDirectory.from_config(self.config("sqlite://")).get_current_head()

    def current(self, connection: Connection) -> str | None:
        """The database's revision; None before the first upgrade."""
        if not sa.inspect(connection).has_table(self.version_table):
            return None
        table = sa.table(self.version_table, sa.column("version_num"))
        return connection.execute(sa.select(table.c.version_num)).scalar_one_or_none()

    def upgrade(self, database_url: str) -> None:
        command.upgrade(self.config(database_url), "head")


def run_online(target_metadata: Sequence[sa.MetaData]) -> None:
    """The body of every `env.py`: migrate the configured database inside one transaction."""
    config = context.config
    engine = create_database_engine(config.attributes["database_url"])
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=list(target_metadata),
                version_table=config.attributes["version_table"],
                render_as_batch=engine.dialect.name == "sqlite",
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()
