"""The writer: one record per data controller, denials too, failures reach the caller, and
concurrent writers (threads and processes, SQLite and PostgreSQL) keep one intact chain."""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa

from servicekit.database import create_database_engine
from tests.support.audit import (
    HELSE_BERGEN,
    OUS,
    REPOSITORY_ID,
    create_tables,
    document,
    keyring,
    read_event,
    sql_store,
    sqlite_engine,
)
from tests.support.audit_workload import append_events
from trustframework.audit.record import AccessDecision, Outcome, Result
from trustframework.audit.storage.sql_store import SqlAuditStore
from trustframework.audit.storage.tables import add_audit_tables
from trustframework.audit.store import verify_store
from trustframework.audit.writer import AuditWriteFailed, AuditWriter
from trustframework.policy import Transaction


def test_one_record_per_data_controller(tmp_path: Path) -> None:
    ring = keyring()
    writer = AuditWriter(sql_store(sqlite_engine(tmp_path), ring), ring)
    documents = (document("1.1", OUS), document("2.1", HELSE_BERGEN), document("1.2", OUS))
    records = writer.write(read_event(documents=documents, transaction=Transaction.STORED_QUERY))
    assert [(r.entry.data_controller, r.entry.document_ids) for r in records] == [
        (OUS, ("1.1", "1.2")),
        (HELSE_BERGEN, ("2.1",)),
    ]
    assert {r.entry.repository_id for r in records} == {REPOSITORY_ID}
    assert [r.seq for r in records] == [1, 2]


def test_a_query_without_documents_and_a_denial_are_recorded(tmp_path: Path) -> None:
    ring = keyring()
    store = sql_store(sqlite_engine(tmp_path), ring)
    writer = AuditWriter(store, ring)
    (empty,) = writer.write(read_event(transaction=Transaction.STORED_QUERY))
    assert empty.entry.document_ids == ()
    assert empty.entry.data_controller is None
    denial = Outcome.denied("practitioner_blocked_by_patient")
    (denied,) = writer.write(read_event(documents=(document("1.1"),), outcome=denial))
    stored = store.find(denied.entry.record_id)
    assert stored is not None
    assert stored.entry.outcome.decision is AccessDecision.DENY
    assert stored.entry.outcome.result is Result.FAILURE
    assert stored.entry.outcome.rule == "practitioner_blocked_by_patient"
    assert stored == denied


def test_break_the_glass_is_flagged(tmp_path: Path) -> None:
    ring = keyring()
    writer = AuditWriter(sql_store(sqlite_engine(tmp_path), ring), ring)
    (record,) = writer.write(read_event(purpose="BTG"))
    assert record.entry.break_the_glass
    (ordinary,) = writer.write(read_event())
    assert not ordinary.entry.break_the_glass


def test_when_the_record_cannot_be_written_the_caller_fails(tmp_path: Path) -> None:
    ring = keyring()
    engine = sqlite_engine(tmp_path)
    tables = add_audit_tables(sa.MetaData(), "registry")  # never created in the database
    writer = AuditWriter(SqlAuditStore(engine, tables, ring), ring)
    with pytest.raises(AuditWriteFailed, match="the registry audit could not be written"):
        writer.write(read_event(documents=(document("1.1"),)))


def test_a_failed_write_leaves_no_partial_record(tmp_path: Path) -> None:
    """The outbox insert fails after the record insert: the whole append is rolled back."""
    ring = keyring()
    store = sql_store(sqlite_engine(tmp_path), ring)
    writer = AuditWriter(store, ring)
    writer.write(read_event())
    outbox, destination = store.tables.outbox.name, store.tables.destination
    with store.engine.begin() as connection:
        connection.execute(
            destination.insert().values(organisation=OUS.id, url="https://x.test/fhir")
        )
        connection.exec_driver_sql(
            f"CREATE TRIGGER refuse BEFORE INSERT ON {outbox} "
            "BEGIN SELECT RAISE(ABORT, 'full'); END"
        )
    with pytest.raises(AuditWriteFailed, match="full"):
        writer.write(read_event(documents=(document("1.1"),)))
    assert store.last_seq() == 1
    head = store.head()
    assert head is not None
    assert head.seq == 1
    assert verify_store(store, ring).intact


def _hammer_with_threads(
    store: SqlAuditStore, writer: AuditWriter, threads: int, each: int
) -> None:
    start = threading.Barrier(threads)

    def work(worker: int) -> None:
        start.wait()
        for number in range(each):
            writer.write(read_event(documents=(document(f"1.{worker}.{number}"),)))

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(work, range(threads)))


def _hammer_with_processes(url: str, key: str, processes: int, each: int) -> None:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(processes, mp_context=context) as pool:
        futures = [
            pool.submit(append_events, url, key, worker, each) for worker in range(processes)
        ]
        assert sum(future.result() for future in futures) == processes * each


def _assert_one_intact_chain(store: SqlAuditStore, expected: int) -> None:
    verification = verify_store(store, store.keyring)
    assert verification.intact, verification.first_break
    assert verification.records == expected
    assert [r.seq for r in store.records()] == list(range(1, expected + 1))


def test_concurrent_threads_keep_the_sqlite_chain_intact(tmp_path: Path) -> None:
    ring = keyring()
    store = sql_store(sqlite_engine(tmp_path), ring)
    _hammer_with_threads(store, AuditWriter(store, ring), threads=8, each=40)
    _assert_one_intact_chain(store, 320)


def test_concurrent_processes_keep_the_sqlite_chain_intact(tmp_path: Path) -> None:
    ring = keyring()
    url = f"sqlite:///{tmp_path / 'audit.sqlite'}"
    store = sql_store(create_database_engine(url), ring)
    _hammer_with_processes(url, ring.current.to_base64(), processes=3, each=40)
    _hammer_with_threads(store, AuditWriter(store, ring), threads=4, each=10)
    _assert_one_intact_chain(store, 160)


@pytest.mark.postgres
def test_concurrent_writers_keep_the_postgresql_chain_intact(postgres_url: str) -> None:
    ring = keyring()
    engine = create_database_engine(postgres_url)
    create_tables(engine)
    store = SqlAuditStore(engine, add_audit_tables(sa.MetaData(), "registry"), ring)
    _hammer_with_processes(postgres_url, ring.current.to_base64(), processes=3, each=40)
    _hammer_with_threads(store, AuditWriter(store, ring), threads=8, each=20)
    _assert_one_intact_chain(store, 280)
    engine.dispose()
