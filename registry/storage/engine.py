"""The registry's database engine: servicekit's engine plus the transaction control the store needs.

On SQLite (WAL, foreign keys and a busy timeout come from servicekit) the registry begins every
transaction itself: `BEGIN IMMEDIATE` for a write transaction, so it holds the write lock from its
first read and a check-then-write can never interleave with another writer; plain `BEGIN` for
reads. LIKE is made case-sensitive, as it is on PostgreSQL. PostgreSQL (psycopg 3) runs READ
COMMITTED; the store adds row locks and constraints.
"""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy import Connection, Engine, event

from servicekit.database import create_database_engine

WRITE_OPTION: Final = "registry_write"


def create_registry_engine(url: str) -> Engine:
    """An engine for `url` (`sqlite:///…` or `postgresql+psycopg://…`), ready for the store.

    No pre-ping round trip on checkout: the store runs a request again when the database dropped
    its connection (see `SqlRegistryStore`), which keeps every query one round trip.
    """
    engine = create_database_engine(url, pre_ping=False)
    prepare_engine(engine)
    return engine


def prepare_engine(engine: Engine) -> None:
    """Add the registry's SQLite transaction control to an engine (idempotent)."""
    if engine.dialect.name == "sqlite" and not event.contains(engine, "begin", _begin):
        event.listen(engine, "connect", _connect)
        event.listen(engine, "begin", _begin)


def _connect(dbapi_connection: Any, _record: object) -> None:
    dbapi_connection.isolation_level = None  # the driver stops emitting BEGIN; _begin does it
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA case_sensitive_like=ON")
    cursor.close()


def _begin(connection: Connection) -> None:
    writes = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")
