"""The building blocks of the stored-query primitives: hits within a limit, selectors, and the
association rows a Get… query follows."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Connection, Row, Table, select

from registry.entries import ObjectKind, ResultLimitExceeded, StoredObject
from registry.storage.access_facts import access_facts_of
from registry.storage.conditions import AnyOf, Equals, OneOf, parameters, select_hits, where
from registry.storage.filters import Conditions, among, one_of
from registry.storage.tables import associations, document_entries, folders, submission_sets
from registry.storage.transaction import APPROVED
from schemas import vocabulary as v
from schemas.queries import IdentifierKind, ObjectSelector


class Hits:
    """Collects query hits within one overall result limit."""

    def __init__(self, connection: Connection, limit: int) -> None:
        self.connection = connection
        self._limit = limit
        self._count = 0

    def documents(self, conditions: Conditions | None) -> list[StoredObject]:
        return self._objects(ObjectKind.DOCUMENT_ENTRY, document_entries, conditions)

    def submission_sets(self, conditions: Conditions | None) -> list[StoredObject]:
        return self._objects(ObjectKind.SUBMISSION_SET, submission_sets, conditions)

    def folders(self, conditions: Conditions | None) -> list[StoredObject]:
        return self._objects(ObjectKind.FOLDER, folders, conditions)

    def associations(self, conditions: Conditions) -> list[StoredObject]:
        return self._objects(ObjectKind.ASSOCIATION, associations, conditions)

    def take_associations(self, association_rows: Sequence[Row[Any]]) -> list[StoredObject]:
        """Association rows already read (with `entry_uuid`, `source_uuid`, `target_uuid` and
        `xml`), in registration order."""
        self._count_more(len(association_rows))
        return [_association(row) for row in association_rows]

    def _objects(
        self, kind: ObjectKind, table: Table, conditions: Conditions | None
    ) -> list[StoredObject]:
        if conditions is None:
            return []
        values = parameters(conditions, limit=self._limit - self._count + 1)
        found = self.connection.execute(select_hits(table, conditions), values).all()
        self._count_more(len(found))
        if kind is ObjectKind.DOCUMENT_ENTRY:
            return [_document_entry(row) for row in found]
        if kind is ObjectKind.ASSOCIATION:
            return [_association(row) for row in found]
        return [
            StoredObject(
                entry_uuid=row.entry_uuid,
                kind=kind,
                patient_id=row.patient_id,
                xml=_as_bytes(row.xml),
            )
            for row in found
        ]

    def _count_more(self, count: int) -> None:
        self._count += count
        if self._count > self._limit:
            raise ResultLimitExceeded(self._limit)


def _document_entry(row: Row[Any]) -> StoredObject:
    return StoredObject(
        entry_uuid=row.entry_uuid,
        kind=ObjectKind.DOCUMENT_ENTRY,
        patient_id=row.patient_id,
        xml=_as_bytes(row.xml),
        access=access_facts_of(row._mapping),
    )


def _association(row: Row[Any]) -> StoredObject:
    return StoredObject(
        entry_uuid=row.entry_uuid,
        kind=ObjectKind.ASSOCIATION,
        patient_id=None,
        xml=_as_bytes(row.xml),
        ends=(row.source_uuid, row.target_uuid),
    )


def _as_bytes(xml: bytes | memoryview) -> bytes:
    """The stored XML as bytes (psycopg and sqlite3 give bytes already; no copy then)."""
    return xml if isinstance(xml, bytes) else bytes(xml)


SELECTOR_COLUMNS = {
    IdentifierKind.ENTRY_UUID: "entry_uuid",
    IdentifierKind.UNIQUE_ID: "unique_id",
    IdentifierKind.LOGICAL_ID: "logical_id",
}


def selected(table: Table, selector: ObjectSelector) -> Conditions | None:
    """Conditions for the objects a selector names, or None when it names none."""
    column_name = SELECTOR_COLUMNS[selector.kind]
    if not selector.values or column_name not in table.c:
        return None
    return one_of(table.c[column_name], selector.values)


def selected_uuids(connection: Connection, table: Table, selector: ObjectSelector) -> list[str]:
    conditions = selected(table, selector)
    if conditions is None:
        return []
    query = select(table.c.entry_uuid).where(*where(conditions)).order_by(table.c.id)
    return list(connection.scalars(query, parameters(conditions)))


def latest_version(connection: Connection, table: Table, selector: ObjectSelector) -> str | None:
    """The entryUUID a single-object selector names (by uniqueId: the latest version)."""
    conditions = selected(table, selector)
    if conditions is None:
        return None
    query = select(table.c.entry_uuid).where(*where(conditions)).order_by(table.c.version.desc())
    found: str | None = connection.scalars(query.limit(1), parameters(conditions)).first()
    return found


def touching(entry_uuids: Collection[str]) -> Conditions:
    """Associations whose source or target is one of the entryUUIDs."""
    wanted = tuple(sorted(set(entry_uuids)))
    if not wanted:
        return among(associations.c.entry_uuid, ())
    return [
        AnyOf(
            (OneOf(associations.c.source_uuid, wanted), OneOf(associations.c.target_uuid, wanted))
        )
    ]


def memberships(
    connection: Connection,
    source_table: Table | None,
    *,
    sources: Collection[str] | None = None,
    targets: Collection[str] | None = None,
    approved_only: bool = False,
) -> list[Row[Any]]:
    """HasMember associations from the given sources and/or to the given targets.

    `source_table` restricts the sources to one kind (SubmissionSets or Folders).
    """
    return association_rows(
        connection,
        source_table,
        types=[v.ASSOC_HAS_MEMBER],
        sources=sources,
        targets=targets,
        approved_only=approved_only,
    )


def association_rows(
    connection: Connection,
    source_table: Table | None,
    *,
    types: Collection[str] = (),
    sources: Collection[str] | None = None,
    targets: Collection[str] | None = None,
    approved_only: bool = False,
) -> list[Row[Any]]:
    a = associations
    query = select(a.c.id, a.c.entry_uuid, a.c.source_uuid, a.c.target_uuid, a.c.xml)
    if source_table is not None:
        query = query.join(source_table, source_table.c.entry_uuid == a.c.source_uuid)
    conditions = one_of(a.c.association_type, types)
    for column, wanted in ((a.c.source_uuid, sources), (a.c.target_uuid, targets)):
        if wanted is not None:
            if not wanted:
                return []
            conditions.append(OneOf(column, tuple(sorted(set(wanted)))))
    if approved_only:
        conditions.append(Equals(a.c.status, APPROVED))
    statement = query.where(*where(conditions)).order_by(a.c.id)
    return list(connection.execute(statement, parameters(conditions)))


def relations(
    connection: Connection, focus: Collection[str], association_types: Collection[str]
) -> list[Row[Any]]:
    if not focus or not association_types:
        return []
    a = associations
    conditions = [*touching(focus), *one_of(a.c.association_type, association_types)]
    query = (
        select(a.c.id, a.c.entry_uuid, a.c.source_uuid, a.c.target_uuid, a.c.xml)
        .where(*where(conditions))
        .order_by(a.c.id)
    )
    return list(connection.execute(query, parameters(conditions)))


def between(candidates: Sequence[Row[Any]], objects: Sequence[StoredObject]) -> list[Row[Any]]:
    """The associations whose both ends are returned: objects first, then associations to them."""
    returned = {o.entry_uuid for o in objects}
    direct = {
        row.entry_uuid
        for row in candidates
        if row.source_uuid in returned and row.target_uuid in returned
    }
    to_associations = {
        row.entry_uuid
        for row in candidates
        if row.source_uuid in returned and row.target_uuid in direct
    }
    kept = {row.id: row for row in candidates if row.entry_uuid in direct | to_associations}
    return [kept[key] for key in sorted(kept)]
