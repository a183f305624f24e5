"""Alembic environment of the registry database (configured in code: servicekit.migrations)."""

from registry.storage.tables import metadata
from servicekit.heartbeat import heartbeat_table
from servicekit.migrations import run_online

run_online([heartbeat_table("registry").metadata, metadata])
