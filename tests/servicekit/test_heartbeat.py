"""Heartbeats recorded and read back on SQLite and on PostgreSQL (both upsert dialects)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from servicekit.database import create_database_engine
from servicekit.heartbeat import WorkerStatus, heartbeat_table, read_worker_state, record_heartbeat
from servicekit.runtime import migrations_of

STALE_AFTER = timedelta(seconds=15)


def exercise(database_url: str) -> None:
    migrations_of("registry").upgrade(database_url)
    engine = create_database_engine(database_url)
    table = heartbeat_table("registry")
    now = datetime.now(UTC)
    try:
        assert read_worker_state(engine, table, now=now, stale_after=STALE_AFTER).status is (
            WorkerStatus.UNKNOWN
        )
        earlier = now - timedelta(minutes=5)
        record_heartbeat(engine, table, worker="a@h", sent_at=earlier, recorded_at=earlier)
        record_heartbeat(engine, table, worker="b@h", sent_at=earlier, recorded_at=earlier)
        stale = read_worker_state(engine, table, now=now, stale_after=STALE_AFTER)
        assert stale.status is WorkerStatus.STALE
        assert stale.last_seen == earlier
        record_heartbeat(engine, table, worker="b@h", sent_at=now, recorded_at=now)
        alive = read_worker_state(engine, table, now=now, stale_after=STALE_AFTER)
        assert alive.status is WorkerStatus.ALIVE
        assert alive.workers == ("b@h",)
        next_day = now + timedelta(days=2)
        record_heartbeat(engine, table, worker="c@h", sent_at=next_day, recorded_at=next_day)
        later = read_worker_state(engine, table, now=next_day, stale_after=STALE_AFTER)
        assert later.workers == ("c@h",)
        with engine.connect() as connection:
            assert migrations_of("registry").current(connection) == migrations_of("registry").head()
            remaining = connection.execute(table.select()).all()
        assert [row.worker for row in remaining] == ["c@h"]  # a day's silence is forgotten
    finally:
        engine.dispose()


def test_heartbeats_on_sqlite(tmp_path: Path) -> None:
    exercise(f"sqlite:///{tmp_path / 'registry.sqlite'}")


@pytest.mark.postgres
def test_heartbeats_on_postgresql(postgres_url: str) -> None:
    exercise(postgres_url)
