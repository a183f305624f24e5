"""Creating the registry's SQLAlchemy engine with the connection settings each database needs.

SQLite: WAL (readers never wait for the writer), a busy timeout, foreign keys on, case-sensitive
LIKE (as on PostgreSQL), and transactions begun by us: `BEGIN IMMEDIATE` for writes, so a write
transaction holds the write lock from its first read and check-then-write cannot interleave.
PostgreSQL (psycopg 3): READ COMMITTED plus the row locks and constraints the store uses.
"""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy import Connection, Engine, create_engine, event, make_url

WRITE_OPTION: Final = "registry_write"
SQLITE_BUSY_TIMEOUT_MS: Final = 30_000


def create_registry_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url` (`sqlite:///…` or `postgresql+psycopg://…`)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed, **kwargs)
        _configure_sqlite(engine, in_memory=parsed.database in (None, "", ":memory:"))
        return engine
    return create_engine(parsed, pool_pre_ping=True, **kwargs)


def _configure_sqlite(engine: Engine, *, in_memory: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (see _on_begin)
        cursor = dbapi_connection.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA case_sensitive_like=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        writes = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")
