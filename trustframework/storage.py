"""SqlBlockStore: blocks in a table of the owning service's database (SQLAlchemy Core).

The table is added to the caller's MetaData (`define_blocks_table`), so the service's own Alembic
migrations create it alongside its other tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import (
    Column,
    ColumnElement,
    DateTime,
    Engine,
    MetaData,
    String,
    Table,
    and_,
    bindparam,
    delete,
    insert,
    or_,
    select,
)
from sqlalchemy.exc import IntegrityError

from schemas.model import Cx
from trustframework.blocks import Block

BLOCKS_TABLE = "trust_patient_block"


def define_blocks_table(metadata: MetaData, name: str = BLOCKS_TABLE) -> Table:
    """Add the blocks table to `metadata` (one row per patient and blocked HPR number)."""
    return Table(
        name,
        metadata,
        Column("patient_id", String(64), primary_key=True),
        Column("patient_authority", String(128), primary_key=True),
        Column("hpr_number", String(16), primary_key=True),
        Column("created_at", DateTime(timezone=True), nullable=False),
    )


class SqlBlockStore:
    """BlockStore over a SQLAlchemy engine and the table `define_blocks_table` made."""

    def __init__(self, engine: Engine, table: Table) -> None:
        self.engine = engine
        self.table = table
        # a lookup is one SELECT: no BEGIN/ROLLBACK round trips around it
        self._reader = engine.execution_options(isolation_level="AUTOCOMMIT")
        # the one statement of a read that concerns one patient (nearly every read), built once
        self._blocked_of_one = (
            select(table.c.hpr_number)
            .where(
                table.c.patient_id == bindparam("patient_id"),
                table.c.patient_authority == bindparam("patient_authority"),
            )
            .distinct()
        )

    def add(self, patient: Cx, hpr_number: str, *, now: datetime) -> bool:
        row = {**self._key(patient), "hpr_number": hpr_number, "created_at": now}
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(self.table).values(**row))
        except IntegrityError:
            return False
        return True

    def remove(self, patient: Cx, hpr_number: str) -> bool:
        t = self.table
        statement = delete(t).where(self._matches(patient), t.c.hpr_number == hpr_number)
        with self.engine.begin() as connection:
            return connection.execute(statement).rowcount > 0

    def blocks_of(self, patient: Cx) -> tuple[Block, ...]:
        t = self.table
        statement = (
            select(t.c.hpr_number, t.c.created_at)
            .where(self._matches(patient))
            .order_by(t.c.created_at, t.c.hpr_number)
        )
        with self.engine.connect() as connection:
            rows = connection.execute(statement).all()
        return tuple(
            Block(patient=patient, hpr_number=row.hpr_number, created_at=_utc(row.created_at))
            for row in rows
        )

    def blocked_hpr_numbers(self, patients: Iterable[Cx]) -> frozenset[str]:
        wanted = set(patients)
        if len(wanted) == 1:
            (patient,) = wanted
            with self._reader.connect() as connection:
                found = connection.execute(self._blocked_of_one, self._key(patient))
                return frozenset(found.scalars())
        conditions = [self._matches(patient) for patient in wanted]
        if not conditions:
            return frozenset()
        statement = select(self.table.c.hpr_number).where(or_(*conditions)).distinct()
        with self._reader.connect() as connection:
            return frozenset(connection.execute(statement).scalars())

    def _key(self, patient: Cx) -> dict[str, str]:
        return {"patient_id": patient.id_number, "patient_authority": patient.authority_oid}

    def _matches(self, patient: Cx) -> ColumnElement[bool]:
        t = self.table
        return and_(
            t.c.patient_id == patient.id_number, t.c.patient_authority == patient.authority_oid
        )


def _utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
