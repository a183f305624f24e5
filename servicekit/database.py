"""SQLAlchemy engines for the services' databases: SQLite files (embedded) and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

SQLITE_BUSY_TIMEOUT_SECONDS = 30
POSTGRES_CONNECT_TIMEOUT_SECONDS = 5


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the one writer
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_database_engine(url: str, *, pre_ping: bool = True) -> Engine:
    """An engine for `url`; an SQLite file's folder is created, PostgreSQL connects with a timeout.

    Several processes (gunicorn workers, the Celery worker) share an SQLite file, so it runs in WAL
    mode with a generous busy timeout. `pre_ping=False` skips the liveness round trip on every
    pool checkout, for callers that handle an invalidated connection themselves.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS}, pool_pre_ping=pre_ping
        )
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(
        parsed,
        connect_args={"connect_timeout": POSTGRES_CONNECT_TIMEOUT_SECONDS},
        pool_pre_ping=pre_ping,
    )


def describe(url: str) -> str:
    """The URL without its password, for logs and /healthz."""
    return make_url(url).render_as_string(hide_password=True)
