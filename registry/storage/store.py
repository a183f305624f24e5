"""`SqlRegistryStore`: the registry database behind `registry.interfaces.RegistryStore`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

from registry.entries import WriteConflict
from registry.interfaces import MetadataCodec
from registry.storage.engine import WRITE_OPTION, prepare_engine
from registry.storage.queries import SqlRegistryQueries
from registry.storage.tables import metadata
from registry.storage.transaction import SqlRegistryTransaction

# PostgreSQL: serialization failure, deadlock detected, lock not available.
CONTENTION_SQLSTATES: Final = frozenset({"40001", "40P01", "55P03"})


class SqlRegistryStore(SqlRegistryQueries):
    """Query primitives plus all-or-nothing write transactions on one SQLAlchemy engine."""

    def __init__(self, engine: Engine, codec: MetadataCodec) -> None:
        prepare_engine(engine)
        super().__init__(engine)
        self._engine = engine
        self._codec = codec

    @property
    def engine(self) -> Engine:
        return self._engine

    def create_schema(self) -> None:
        """Create the tables directly (embedded SQLite and tests; deployments migrate)."""
        metadata.create_all(self._engine)

    @contextmanager
    def transaction(self) -> Iterator[SqlRegistryTransaction]:
        """A write transaction, committed when the block ends and rolled back on any error.

        Constraint violations, deadlocks and lock timeouts caused by a concurrent writer, and a
        connection the database dropped, are raised as `WriteConflict` so the caller can run the
        request again.
        """
        try:
            with self._engine.connect() as connection:
                connection.execution_options(**{WRITE_OPTION: True})
                with connection.begin():
                    yield SqlRegistryTransaction(connection, self._codec)
        except IntegrityError as exc:
            raise WriteConflict(str(exc.orig)) from exc
        except DBAPIError as exc:
            if exc.connection_invalidated or _is_contention(exc):
                raise WriteConflict(str(exc.orig)) from exc
            raise


def _is_contention(error: DBAPIError) -> bool:
    sqlstate = getattr(error.orig, "sqlstate", None)
    return sqlstate in CONTENTION_SQLSTATES or "database is locked" in str(error.orig)
