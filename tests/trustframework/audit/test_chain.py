"""The hash chain holds for honest appends and breaks, at the right record, for every tampering."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tests.support.audit import document, keyring, read_event, sql_store, sqlite_engine
from trustframework.audit import chain
from trustframework.audit.chain import ChainBreak
from trustframework.audit.fields import entry_from_fields
from trustframework.audit.sealing import AuditKeyring
from trustframework.audit.storage.sql_store import SqlAuditStore
from trustframework.audit.store import verify_store
from trustframework.audit.writer import AuditWriter


@pytest.fixture
def ring() -> AuditKeyring:
    return keyring()


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return sqlite_engine(tmp_path)


@pytest.fixture
def store(engine: Engine, ring: AuditKeyring) -> SqlAuditStore:
    """A chain of five records."""
    store = sql_store(engine, ring)
    writer = AuditWriter(store, ring)
    for number in range(5):
        writer.write(read_event(documents=(document(f"1.2.3.{number}"),), request_id=f"r{number}"))
    return store


def _execute(store: SqlAuditStore, statement: sa.Executable) -> None:
    with store.engine.begin() as connection:
        connection.execute(statement)


def _row(store: SqlAuditStore, seq: int) -> dict[str, object]:
    table = store.tables.record
    with store.engine.connect() as connection:
        return dict(connection.execute(sa.select(table).where(table.c.seq == seq)).mappings().one())


def _broken(store: SqlAuditStore, ring: AuditKeyring) -> ChainBreak:
    first_break = verify_store(store, ring).first_break
    assert first_break is not None
    return first_break


def test_an_honest_chain_verifies(store: SqlAuditStore, ring: AuditKeyring) -> None:
    verification = verify_store(store, ring)
    assert verification.intact
    assert verification.records == 5
    assert verification.head is not None
    assert verification.head.seq == 5


def test_an_empty_chain_verifies(engine: Engine, ring: AuditKeyring) -> None:
    assert verify_store(sql_store(engine, ring, "repository"), ring).intact


def test_a_changed_field_breaks_at_that_record(store: SqlAuditStore, ring: AuditKeyring) -> None:
    table = store.tables.record
    _execute(store, table.update().where(table.c.seq == 3).values(practitioner_name="Someone Else"))
    first_break = _broken(store, ring)
    assert first_break.seq == 3
    assert "changed after it was written" in first_break.problem


def test_a_changed_ciphertext_breaks_at_that_record(
    store: SqlAuditStore, ring: AuditKeyring
) -> None:
    table = store.tables.record
    _execute(store, table.update().where(table.c.seq == 2).values(ciphertext=b"forged attest"))
    first_break = _broken(store, ring)
    assert first_break.seq == 2


def test_a_change_with_recomputed_hashes_fails_on_the_mac(
    store: SqlAuditStore, ring: AuditKeyring
) -> None:
    """An attacker who can write the table recomputes every SHA-256 after the change; without
    the chain key the record MAC of the first changed record no longer fits."""
    table = store.tables.record
    prev_hash = _row(store, 2)["record_hash"]
    for seq in range(3, 6):
        row = _row(store, seq)
        if seq == 3:
            row["practitioner_name"] = "Someone Else"
        entry = entry_from_fields(row)
        new_hash = chain.record_hash(store.service, seq, str(prev_hash), entry)
        _execute(
            store,
            table.update()
            .where(table.c.seq == seq)
            .values(
                practitioner_name=row["practitioner_name"],
                prev_hash=prev_hash,
                record_hash=new_hash,
            ),
        )
        prev_hash = new_hash
    first_break = _broken(store, ring)
    assert first_break.seq == 3
    assert "MAC" in first_break.problem


def test_a_deleted_record_breaks_at_the_next(store: SqlAuditStore, ring: AuditKeyring) -> None:
    table = store.tables.record
    _execute(store, table.delete().where(table.c.seq == 3))
    first_break = _broken(store, ring)
    assert first_break.seq == 4
    assert "3..3 are missing" in first_break.problem


def test_an_inserted_record_breaks_where_it_was_put(
    store: SqlAuditStore, ring: AuditKeyring
) -> None:
    """Records 3.. move up by one and a copy of record 1 takes place 3."""
    table = store.tables.record
    _execute(store, table.update().where(table.c.seq >= 3).values(seq=table.c.seq + 100))
    _execute(store, table.update().where(table.c.seq >= 100).values(seq=table.c.seq - 99))
    forged = _row(store, 1) | {"seq": 3, "record_id": "00000000-0000-4000-8000-000000000003"}
    _execute(store, table.insert().values(forged))
    first_break = _broken(store, ring)
    assert first_break.seq == 3
    assert "prev_hash" in first_break.problem


def test_reordered_records_break_at_the_first_moved(
    store: SqlAuditStore, ring: AuditKeyring
) -> None:
    table = store.tables.record
    _execute(store, table.update().where(table.c.seq == 3).values(seq=-3))
    _execute(store, table.update().where(table.c.seq == 4).values(seq=3))
    _execute(store, table.update().where(table.c.seq == -3).values(seq=4))
    first_break = _broken(store, ring)
    assert first_break.seq == 3
    assert "prev_hash" in first_break.problem


def test_truncation_at_the_end_shows_at_the_head(store: SqlAuditStore, ring: AuditKeyring) -> None:
    table = store.tables.record
    _execute(store, table.delete().where(table.c.seq >= 4))
    first_break = _broken(store, ring)
    assert first_break.seq is None
    assert "4..5 are missing at the end" in first_break.problem


def test_truncation_with_a_rewritten_head_fails_on_the_head_mac(
    store: SqlAuditStore, ring: AuditKeyring
) -> None:
    table, head = store.tables.record, store.tables.head
    last_kept = _row(store, 3)["record_hash"]
    _execute(store, table.delete().where(table.c.seq >= 4))
    _execute(store, head.update().values(seq=3, last_hash=last_kept))
    first_break = _broken(store, ring)
    assert first_break.seq is None
    assert "MAC" in first_break.problem


def test_records_added_beyond_the_head_are_found(store: SqlAuditStore, ring: AuditKeyring) -> None:
    table = store.tables.record
    forged = _row(store, 5) | {"seq": 6, "record_id": "00000000-0000-4000-8000-000000000006"}
    _execute(store, table.insert().values(forged))
    first_break = _broken(store, ring)
    assert "beyond the head" in first_break.problem


def test_another_key_cannot_authenticate_the_chain(store: SqlAuditStore) -> None:
    first_break = _broken(store, keyring())
    assert first_break.seq == 1
    assert "not configured" in first_break.problem
