"""Alembic environment of the repository database (configured in code: servicekit.migrations)."""

from servicekit.heartbeat import heartbeat_table
from servicekit.migrations import run_online

run_online([heartbeat_table("repository").metadata])
