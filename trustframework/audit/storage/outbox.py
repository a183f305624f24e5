"""The delivery outbox and the destination table, on SQLAlchemy.

An outbox row is written with its record (same transaction) when the record's data controller has
a destination, and deleted only when the receiver acknowledged it. `due_at` says when the row may
be sent: now for a new row, later while a delivery holds it (a lease) or after a failure (backoff).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from trustframework.audit.storage.tables import AuditTables

MAX_ERROR_LENGTH = 1000


@dataclass(frozen=True, slots=True, kw_only=True)
class OutboxRow:
    record_id: str
    seq: int
    organisation: str
    attempts: int


@dataclass(frozen=True, slots=True, kw_only=True)
class PendingDelivery:
    """What waits for one organisation (for `audit destinations list`)."""

    organisation: str
    rows: int
    attempts: int
    last_error: str | None


class SqlOutbox:
    """A service's outbox and its destinations."""

    def __init__(self, engine: Engine, tables: AuditTables) -> None:
        self.engine = engine
        self.tables = tables

    # ------------------------------------------------------------------ destinations
    def set_destination(self, organisation: str, url: str) -> None:
        table = self.tables.destination
        with self.engine.begin() as connection:
            changed = connection.execute(
                table.update().where(table.c.organisation == organisation).values(url=url)
            ).rowcount
            if not changed:
                connection.execute(table.insert().values(organisation=organisation, url=url))

    def remove_destination(self, organisation: str) -> bool:
        table = self.tables.destination
        with self.engine.begin() as connection:
            removed = connection.execute(table.delete().where(table.c.organisation == organisation))
            return bool(removed.rowcount)

    def destinations(self) -> dict[str, str]:
        table = self.tables.destination
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(table.c.organisation, table.c.url)).all()
        return {row.organisation: row.url for row in rows}

    def destination(self, organisation: str) -> str | None:
        table = self.tables.destination
        query = sa.select(table.c.url).where(table.c.organisation == organisation)
        with self.engine.connect() as connection:
            url: str | None = connection.execute(query).scalar_one_or_none()
        return url

    # ------------------------------------------------------------------ rows
    def claim(
        self, organisation: str, *, now: datetime, lease: timedelta, limit: int
    ) -> list[OutboxRow]:
        """Up to `limit` due rows of `organisation`, oldest first, leased until now + lease
        (a second delivery running meanwhile does not get them)."""
        outbox = self.tables.outbox
        due = (
            sa.select(outbox.c.record_id)
            .where(outbox.c.organisation == organisation, outbox.c.due_at <= now)
            .order_by(outbox.c.seq)
            .limit(limit)
        )
        lease_rows = (
            outbox.update()
            .where(outbox.c.record_id.in_(due.scalar_subquery()), outbox.c.due_at <= now)
            .values(due_at=now + lease)
            .returning(outbox.c.record_id, outbox.c.seq, outbox.c.organisation, outbox.c.attempts)
        )
        with self.engine.begin() as connection:
            rows = connection.execute(lease_rows).all()
        claimed = [
            OutboxRow(
                record_id=r.record_id, seq=r.seq, organisation=r.organisation, attempts=r.attempts
            )
            for r in rows
        ]
        return sorted(claimed, key=lambda row: row.seq)

    def acknowledge(self, record_ids: Sequence[str]) -> None:
        """The receiver has them: they leave the outbox."""
        if record_ids:
            outbox = self.tables.outbox
            with self.engine.begin() as connection:
                connection.execute(outbox.delete().where(outbox.c.record_id.in_(record_ids)))

    def postpone(self, record_ids: Sequence[str], *, until: datetime, error: str) -> None:
        """A failed attempt: count it, note why, and wait until `until`."""
        if record_ids:
            outbox = self.tables.outbox
            with self.engine.begin() as connection:
                connection.execute(
                    outbox.update()
                    .where(outbox.c.record_id.in_(record_ids))
                    .values(
                        attempts=outbox.c.attempts + 1,
                        due_at=until,
                        last_error=error[:MAX_ERROR_LENGTH],
                    )
                )

    def overdue_organisations(self, *, now: datetime, grace: timedelta) -> list[str]:
        """Organisations with rows due for longer than `grace` (their task message was lost,
        or never sent); those rows are marked due now, so the next sweep leaves them for one
        more grace period."""
        outbox = self.tables.outbox
        overdue = outbox.c.due_at <= now - grace
        with self.engine.begin() as connection:
            organisations = list(
                connection.execute(
                    sa.select(outbox.c.organisation).where(overdue).distinct()
                ).scalars()
            )
            if organisations:
                connection.execute(outbox.update().where(overdue).values(due_at=now))
        return sorted(organisations)

    def pending(self) -> list[PendingDelivery]:
        outbox = self.tables.outbox
        query = sa.select(
            outbox.c.organisation,
            sa.func.count().label("rows"),
            sa.func.max(outbox.c.attempts).label("attempts"),
            sa.func.max(outbox.c.last_error).label("last_error"),
        ).group_by(outbox.c.organisation)
        with self.engine.connect() as connection:
            rows = connection.execute(query.order_by(outbox.c.organisation)).all()
        return [
            PendingDelivery(
                organisation=r.organisation,
                rows=r.rows,
                attempts=r.attempts,
                last_error=r.last_error,
            )
            for r in rows
        ]
