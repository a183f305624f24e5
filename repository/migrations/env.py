"""Alembic environment of the repository database (configured in code: servicekit.migrations)."""

from repository.storage.tables import metadata
from servicekit.migrations import run_online

run_online([metadata])
