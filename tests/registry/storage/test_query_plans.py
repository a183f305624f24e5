"""The stored-query SQL uses indexes on PostgreSQL: no full-table scan of the registry tables.

The tables get a realistic spread (many patients, a few dozen entries each), are ANALYZEd, and the
exact statements the store runs are EXPLAINed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, event, insert

from registry.codec import EbrimObjectCodec
from registry.storage import SqlRegistryStore, create_registry_engine
from registry.storage.tables import (
    document_author_persons,
    document_confidentiality_codes,
    document_entries,
    registry_objects,
)
from schemas import vocabulary as v
from schemas.model import AvailabilityStatus, Code, Cx
from schemas.queries import DocumentEntryFilter, IdentifierKind, ObjectSelector

pytestmark = pytest.mark.postgres

PATIENTS = 400
ENTRIES_PER_PATIENT = 25
AUTHORITY = "1.3.6.1.4.1.21367.2005.3.7"
CLASS = Code("A00-1", "2.16.578.1.12.4.1.1.9602")
CONFIDENTIALITY = Code("N", "2.16.840.1.113883.5.25")


def _patient(number: int) -> Cx:
    return Cx.of(f"P{number:05d}", AUTHORITY)


def _fill(engine: Engine) -> None:
    """Rows as the store writes them (the XML is a stand-in: the planner never reads it)."""
    objects, entries, codes, authors = [], [], [], []
    for number in range(PATIENTS * ENTRIES_PER_PATIENT):
        entry_uuid = f"urn:uuid:00000000-0000-4000-8000-{number:012d}"
        patient = _patient(number % PATIENTS).render()
        objects.append({"id": number + 1, "entry_uuid": entry_uuid, "kind": "DocumentEntry"})
        entries.append(
            {
                "id": number + 1,
                "entry_uuid": entry_uuid,
                "logical_id": entry_uuid,
                "version": 1,
                "unique_id": f"2.25.{number}",
                "patient_id": patient,
                "status": "Deprecated" if number // PATIENTS % 10 == 0 else "Approved",
                "object_type": v.OBJECT_TYPE_STABLE_DOCUMENT,
                "class_code": CLASS.code,
                "class_scheme": CLASS.scheme,
                "creation_time": f"2024{number % 12 + 1:02d}01000000",
                "xml": b"<x/>",
            }
        )
        codes.append({"document_id": number + 1, "code": "N", "scheme": CONFIDENTIALITY.scheme})
        authors.append({"document_id": number + 1, "author_person": f"{number}^Lege^Kari"})
    with engine.begin() as connection:
        connection.execute(insert(registry_objects), objects)
        connection.execute(insert(document_entries), entries)
        connection.execute(insert(document_confidentiality_codes), codes)
        connection.execute(insert(document_author_persons), authors)
        connection.exec_driver_sql("ANALYZE")


@pytest.fixture
def filled(postgres_url: str) -> Iterator[tuple[SqlRegistryStore, list[tuple[str, Any]]]]:
    engine = create_registry_engine(postgres_url)
    store = SqlRegistryStore(engine, EbrimObjectCodec())
    store.create_schema()
    _fill(engine)
    statements: list[tuple[str, Any]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _capture(_c: object, _cur: object, statement: str, parameters: Any, *_: object) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    yield store, statements
    engine.dispose()


def _scans(plan: dict[str, Any]) -> Iterator[tuple[str, str | None, str | None]]:
    yield plan["Node Type"], plan.get("Relation Name"), plan.get("Index Name")
    for child in plan.get("Plans", []):
        yield from _scans(child)


def _plan_of(store: SqlRegistryStore, statement: str, parameters: Any) -> list[tuple[str, ...]]:
    with store.engine.connect() as connection:
        explained = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters)
        (document,) = explained.scalar_one()
    return [tuple(str(part) for part in scan) for scan in _scans(document["Plan"])]


def _assert_indexed(store: SqlRegistryStore, statements: list[tuple[str, Any]], index: str) -> None:
    assert statements
    for statement, parameters in statements:
        scans = _plan_of(store, statement, parameters)
        assert not [s for s in scans if s[0] == "Seq Scan"], scans
        assert any(s[2] == index for s in scans), scans


def test_find_documents_uses_the_patient_status_index(
    filled: tuple[SqlRegistryStore, list[tuple[str, Any]]],
) -> None:
    store, statements = filled
    approved = DocumentEntryFilter(statuses=(AvailabilityStatus.APPROVED,))

    found = store.find_document_entries([_patient(7)], approved, limit=100)

    assert len(found) == ENTRIES_PER_PATIENT - 3  # every tenth entry of a patient is Deprecated
    _assert_indexed(store, statements, "ix_document_entries_patient_id_status")


def test_find_documents_with_filters_still_starts_from_the_patient(
    filled: tuple[SqlRegistryStore, list[tuple[str, Any]]],
) -> None:
    store, statements = filled
    documents = DocumentEntryFilter(
        statuses=(AvailabilityStatus.APPROVED, AvailabilityStatus.DEPRECATED),
        class_codes=((CLASS,),),
        confidentiality_codes=((CONFIDENTIALITY,),),
        author_persons=("%Lege%",),
    )

    store.find_document_entries([_patient(11)], documents, limit=100)

    _assert_indexed(store, statements, "ix_document_entries_patient_id_status")


def test_get_documents_by_unique_id_uses_its_index(
    filled: tuple[SqlRegistryStore, list[tuple[str, Any]]],
) -> None:
    store, statements = filled
    selector = ObjectSelector(IdentifierKind.UNIQUE_ID, ("2.25.4711",))

    assert len(store.get_document_entries(selector, limit=10)) == 1

    _assert_indexed(store, statements, "uq_document_entries_unique_id_version")
