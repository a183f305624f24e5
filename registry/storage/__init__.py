"""The registry's SQL storage (the only package that imports SQLAlchemy)."""

from registry.storage.engine import create_registry_engine
from registry.storage.store import SqlRegistryStore
from registry.storage.tables import metadata

__all__ = ["SqlRegistryStore", "create_registry_engine", "metadata"]
