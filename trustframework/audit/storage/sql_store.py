"""`AuditStore` on SQLAlchemy (SQLite and PostgreSQL).

Appending serialises on the chain head row: the transaction's first statement is an UPDATE of that
row (`RETURNING` the head), which takes PostgreSQL's row lock and SQLite's write lock at once, so
concurrent writers (threads, gunicorn workers, hosts) queue there and each sees the head the
previous one committed. Everything else (records, outbox rows, the new head) is written before
the same commit releases the lock. docs/audit.md gives the cost per record.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from trustframework.audit import chain
from trustframework.audit.chain import ChainHead
from trustframework.audit.fields import ENTRY_FIELDS, entry_fields, entry_from_fields
from trustframework.audit.record import AuditEntry, AuditRecord, ChainLink, utc_now
from trustframework.audit.sealing import AuditKeyring
from trustframework.audit.storage.tables import AuditTables
from trustframework.audit.store import Appended, RecordFilter

PAGE_SIZE = 500
_LINK_FIELDS = ("seq", "prev_hash", "record_hash", "record_mac")


def _insert_ignoring_conflict(
    connection: Connection, table: sa.Table, values: dict[str, Any]
) -> None:
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    connection.execute(dialect.insert(table).values(values).on_conflict_do_nothing())


class SqlAuditStore:
    """A service's audit in its own database (tables from `add_audit_tables`)."""

    def __init__(self, engine: Engine, tables: AuditTables, keyring: AuditKeyring) -> None:
        self.engine = engine
        self.tables = tables
        self.keyring = keyring
        self.service = tables.service
        # The statements every append runs, built once (SQLAlchemy then reuses their compiled
        # form without working out a cache key per request).
        head, destination = tables.head, tables.destination
        this_chain = head.c.chain == self.service
        self._lock = (
            head.update()
            .where(this_chain)
            .values(seq=head.c.seq)
            .returning(head.c.seq, head.c.last_hash, head.c.key_id, head.c.mac)
        )
        self._move_head = (
            head.update()
            .where(this_chain)
            .values(
                seq=sa.bindparam("new_seq"),
                last_hash=sa.bindparam("new_last_hash"),
                key_id=sa.bindparam("new_key_id"),
                mac=sa.bindparam("new_mac"),
            )
        )
        self._destinations = sa.select(destination.c.organisation).where(
            destination.c.organisation.in_(sa.bindparam("organisations", expanding=True))
        )

    # ------------------------------------------------------------------ appending
    def append(self, entries: Sequence[AuditEntry]) -> Appended:
        with self.engine.begin() as connection:
            return self.append_in(connection, entries)

    def append_in(self, connection: Connection, entries: Sequence[AuditEntry]) -> Appended:
        """Append inside the caller's transaction (its commit makes the records durable).

        On SQLite call it before the transaction reads anything: a transaction that read first
        cannot take the write lock while another writer holds it.
        """
        head = self._lock_head(connection)
        seq, prev_hash = head.seq, head.last_hash
        records, rows = [], []
        for entry in entries:
            seq += 1
            link = chain.link(self.keyring, self.service, seq, prev_hash, entry)
            records.append(AuditRecord(service=self.service, entry=entry, link=link))
            rows.append(entry_fields(entry) | {name: getattr(link, name) for name in _LINK_FIELDS})
            prev_hash = link.record_hash
        if rows:
            connection.execute(self.tables.record.insert(), rows)
        organisations = self._fill_outbox(connection, records)
        new_head = chain.sign_head(self.keyring, self.service, seq, prev_hash)
        connection.execute(
            self._move_head,
            {
                "new_seq": seq,
                "new_last_hash": prev_hash,
                "new_key_id": new_head.key_id,
                "new_mac": new_head.mac,
            },
        )
        return Appended(records=tuple(records), outbox_organisations=organisations)

    def _lock_head(self, connection: Connection) -> ChainHead:
        """The head row, locked until commit; created (seq 0, genesis) for a new chain."""
        head = self.tables.head
        row = connection.execute(self._lock).first()
        if row is None:
            genesis = chain.sign_head(self.keyring, self.service, 0, chain.GENESIS_HASH)
            values = {"chain": self.service, "seq": 0, "last_hash": genesis.last_hash}
            values |= {"key_id": genesis.key_id, "mac": genesis.mac}
            _insert_ignoring_conflict(connection, head, values)
            row = connection.execute(self._lock).one()
        return ChainHead(seq=row.seq, last_hash=row.last_hash, key_id=row.key_id, mac=row.mac)

    def _fill_outbox(
        self, connection: Connection, records: Sequence[AuditRecord]
    ) -> frozenset[str]:
        """Outbox rows for records whose data controller has a delivery destination."""
        controllers = {r.entry.data_controller.id for r in records if r.entry.data_controller}
        if not controllers:
            return frozenset()
        found = connection.execute(self._destinations, {"organisations": sorted(controllers)})
        wanted = frozenset(found.scalars())
        now = utc_now()
        rows = [
            {
                "record_id": r.entry.record_id,
                "seq": r.seq,
                "organisation": r.entry.data_controller.id,
                "due_at": now,
                "attempts": 0,
            }
            for r in records
            if r.entry.data_controller is not None and r.entry.data_controller.id in wanted
        ]
        if rows:
            connection.execute(self.tables.outbox.insert(), rows)
        return wanted

    # ------------------------------------------------------------------ reading
    def head(self) -> ChainHead | None:
        head = self.tables.head
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(head).where(head.c.chain == self.service)).first()
        if row is None:
            return None
        return ChainHead(seq=row.seq, last_hash=row.last_hash, key_id=row.key_id, mac=row.mac)

    def records(
        self, *, from_seq: int = 1, where: RecordFilter | None = None
    ) -> Iterator[AuditRecord]:
        table = self.tables.record
        conditions = self._conditions(where) if where is not None else []
        after = from_seq - 1
        while True:
            query = sa.select(table).where(table.c.seq > after, *conditions).order_by(table.c.seq)
            with self.engine.connect() as connection:
                rows = connection.execute(query.limit(PAGE_SIZE)).mappings().all()
            yield from (self._record(row) for row in rows)
            if len(rows) < PAGE_SIZE:
                return
            after = rows[-1]["seq"]

    def search(
        self, where: RecordFilter, *, limit: int, before_seq: int | None = None
    ) -> list[AuditRecord]:
        table = self.tables.record
        query = sa.select(table).where(*self._conditions(where))
        if before_seq is not None:
            query = query.where(table.c.seq < before_seq)
        query = query.order_by(table.c.seq.desc()).limit(limit)
        with self.engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return [self._record(row) for row in rows]

    def find(self, record_id: str) -> AuditRecord | None:
        table = self.tables.record
        with self.engine.connect() as connection:
            row = (
                connection.execute(sa.select(table).where(table.c.record_id == record_id))
                .mappings()
                .first()
            )
        return None if row is None else self._record(row)

    def find_many(self, record_ids: Sequence[str]) -> list[AuditRecord]:
        table = self.tables.record
        query = sa.select(table).where(table.c.record_id.in_(record_ids)).order_by(table.c.seq)
        with self.engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return [self._record(row) for row in rows]

    def last_seq(self) -> int:
        table = self.tables.record
        with self.engine.connect() as connection:
            return int(connection.execute(sa.select(sa.func.max(table.c.seq))).scalar() or 0)

    def _conditions(self, where: RecordFilter) -> list[sa.ColumnElement[bool]]:
        c = self.tables.record.c
        equal = {
            c.data_controller_id: where.data_controller,
            c.patient_id: where.patient_id,
            c.practitioner_hpr: where.practitioner_hpr,
            c.decision: where.decision,
            c.result: where.result,
        }
        conditions = [column == value for column, value in equal.items() if value is not None]
        if where.organisation is not None:
            conditions.append(
                sa.or_(
                    c.legal_entity_id == where.organisation, c.organisation == where.organisation
                )
            )
        if where.patient_authorities is not None:
            conditions.append(c.patient_authority.in_(where.patient_authorities))
        if where.transactions is not None:
            conditions.append(c.transaction.in_([str(t) for t in where.transactions]))
        if where.since is not None:
            conditions.append(c.recorded_at >= where.since.astimezone(UTC))
        if where.until is not None:
            conditions.append(c.recorded_at < where.until.astimezone(UTC))
        if where.with_practitioner:
            conditions.append(
                sa.or_(c.practitioner_hpr.is_not(None), c.practitioner_name.is_not(None))
            )
        return conditions

    def _record(self, row: sa.RowMapping) -> AuditRecord:
        entry = entry_from_fields({name: row[name] for name in ENTRY_FIELDS})
        link = ChainLink(**{name: row[name] for name in _LINK_FIELDS})
        return AuditRecord(service=self.service, entry=entry, link=link)
