"""The worker heartbeat: proof, kept in each service's own database, that a Celery worker consumes
that service's tasks.

Every worker sends each service a heartbeat task every `BrokerSettings.heartbeat_interval` seconds
(`servicekit.worker`); the service's task records it here and `/healthz` reads it back. A heartbeat
therefore crosses the real path: broker → worker → the service's task code → the service's database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

FORGET_AFTER = timedelta(days=1)


class WorkerStatus(StrEnum):
    ALIVE = "alive"
    STALE = "stale"
    UNKNOWN = "unknown"  # no heartbeat was ever recorded


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkerState:
    status: WorkerStatus
    last_seen: datetime | None = None
    workers: tuple[str, ...] = ()
    """The workers seen within the stale window."""


def heartbeat_table(service: str, metadata: sa.MetaData | None = None) -> sa.Table:
    """`<service>_worker_heartbeat`: one row per worker, its latest heartbeat."""
    return sa.Table(
        f"{service}_worker_heartbeat",
        metadata if metadata is not None else sa.MetaData(),
        sa.Column("worker", sa.String(255), primary_key=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )


def _as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def record_heartbeat(
    engine: Engine, table: sa.Table, *, worker: str, sent_at: datetime, recorded_at: datetime
) -> None:
    """Upsert the worker's row and forget workers silent for a day (idempotent)."""
    values = {"worker": worker, "sent_at": sent_at, "recorded_at": recorded_at}
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    upsert = dialect.insert(table).values(values)
    upsert = upsert.on_conflict_do_update(
        index_elements=[table.c.worker],
        set_={"sent_at": upsert.excluded.sent_at, "recorded_at": upsert.excluded.recorded_at},
    )
    with engine.begin() as connection:
        connection.execute(upsert)
        connection.execute(table.delete().where(table.c.recorded_at < recorded_at - FORGET_AFTER))


def read_worker_state(
    engine: Engine, table: sa.Table, *, now: datetime, stale_after: timedelta
) -> WorkerState:
    with engine.connect() as connection:
        rows = connection.execute(sa.select(table.c.worker, table.c.recorded_at)).all()
    if not rows:
        return WorkerState(status=WorkerStatus.UNKNOWN)
    seen = {worker: _as_utc(recorded_at) for worker, recorded_at in rows}
    last_seen = max(seen.values())
    fresh = tuple(sorted(worker for worker, at in seen.items() if now - at <= stale_after))
    status = WorkerStatus.ALIVE if fresh else WorkerStatus.STALE
    return WorkerState(status=status, last_seen=last_seen, workers=fresh)
