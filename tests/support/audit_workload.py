"""Work a separate process does in the concurrency tests: append audit events to one chain."""

from __future__ import annotations

import sqlalchemy as sa

from servicekit.database import create_database_engine
from tests.support.audit import SERVICE, document, read_event
from trustframework.audit.sealing import AuditKey, AuditKeyring
from trustframework.audit.storage.sql_store import SqlAuditStore
from trustframework.audit.storage.tables import add_audit_tables
from trustframework.audit.writer import AuditWriter


def append_events(database_url: str, key: str, worker: int, count: int) -> int:
    """Write `count` events (one record each) through a writer of its own; returns count."""
    ring = AuditKeyring(AuditKey.from_base64(key))
    engine = create_database_engine(database_url)
    tables = add_audit_tables(sa.MetaData(), SERVICE)
    writer = AuditWriter(SqlAuditStore(engine, tables, ring), ring)
    for number in range(count):
        writer.write(read_event(documents=(document(f"1.2.{worker}.{number}"),)))
    engine.dispose()
    return count
