"""Where `dokdeling blocks` keeps the blocks: in every service database that enforces them.

The registry (ITI-18) and the repository (ITI-43) each decide reads against their own
database, so each needs the block list at request time without asking the other service. The
command writes the list to both databases (`ReplicatedBlockStore`: idempotent, so a run that
failed half-way is completed by running it again) and reads their union. Both databases must
hold the blocks table (`dokdeling db upgrade`); two services sharing one database share one
table.
"""

from __future__ import annotations

import click
from sqlalchemy import MetaData, inspect

from registry.settings import RegistrySettings
from repository.settings import RepositorySettings
from servicekit.cli import load_settings
from servicekit.database import create_database_engine, describe
from trustframework.blocks import BlockStore, ReplicatedBlockStore
from trustframework.storage import SqlBlockStore, define_blocks_table


def service_block_store() -> BlockStore:
    """The blocks of the registry's and the repository's databases as one store."""
    registry = load_settings(RegistrySettings.from_env)
    repository = load_settings(RepositorySettings.from_env)
    databases = {registry.database_url: "registry", repository.database_url: "repository"}
    stores: list[BlockStore] = []
    for url, service in databases.items():
        engine = create_database_engine(url)
        table = define_blocks_table(MetaData())
        if not inspect(engine).has_table(table.name):
            raise click.ClickException(
                f"the {service} database at {describe(url)} has no blocks table; "
                "run `dokdeling db upgrade`"
            )
        stores.append(SqlBlockStore(engine, table))
    return ReplicatedBlockStore(stores)
