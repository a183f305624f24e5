"""`SqlRegistryTransaction`: the lookups and writes of one registry unit of work (SQLAlchemy Core).

Every write keeps a row's query columns and its pre-rendered XML in step: an object is rendered
when it is added, and re-rendered in the same statement that changes its status or its folder
`lastUpdateTime`.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from typing import Any

from sqlalchemy import (
    BindParameter,
    Connection,
    Row,
    Select,
    Table,
    bindparam,
    delete,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from registry.entries import ObjectKind, RegistryEntry
from registry.interfaces import MetadataCodec
from registry.storage import rows
from registry.storage.tables import (
    associations,
    document_author_persons,
    document_confidentiality_codes,
    document_entries,
    document_event_codes,
    document_reference_ids,
    folder_codes,
    folders,
    patients,
    registry_objects,
    submission_set_author_persons,
    submission_sets,
)
from schemas import vocabulary as v
from schemas.model import (
    Association,
    AvailabilityStatus,
    DocumentEntry,
    Folder,
    RegistryObjectBase,
    SubmissionSet,
    Timestamp,
)

EntryReader = Callable[[Row[Any]], RegistryEntry]

KIND_TABLES: dict[ObjectKind, tuple[Table, EntryReader]] = {
    ObjectKind.DOCUMENT_ENTRY: (document_entries, rows.document_entry_of),
    ObjectKind.SUBMISSION_SET: (submission_sets, rows.submission_set_of),
    ObjectKind.FOLDER: (folders, rows.folder_of),
    ObjectKind.ASSOCIATION: (associations, rows.association_of),
}
APPROVED = rows.status_name(AvailabilityStatus.APPROVED)


def entry_columns(table: Table) -> Select[Any]:
    """Select every column of a per-kind table except the rendered XML."""
    return select(*(column for column in table.c if column.name != "xml"))


# The registration's lookups and inserts, built once: SQLAlchemy then finds each compiled
# statement by its memoised cache key instead of building and keying a new one per call.
_WANTED: BindParameter[list[str]] = bindparam("wanted", expanding=True)
_KINDS_OF = select(registry_objects.c.entry_uuid, registry_objects.c.kind).where(
    registry_objects.c.entry_uuid.in_(_WANTED)
)
_BY_UUID = {
    table: entry_columns(table).where(table.c.entry_uuid.in_(_WANTED)).order_by(table.c.id)
    for table, _ in KIND_TABLES.values()
}
_BY_UUID_LOCKED = {table: query.with_for_update() for table, query in _BY_UUID.items()}
_BY_UNIQUE_ID = {
    kind: entry_columns(table).where(table.c.unique_id.in_(_WANTED)).order_by(table.c.id)
    for kind, (table, _) in KIND_TABLES.items()
    if kind is not ObjectKind.ASSOCIATION
}


class SqlRegistryTransaction:
    """Implements `registry.interfaces.RegistryTransaction` on one open connection."""

    def __init__(self, connection: Connection, codec: MetadataCodec) -> None:
        self._connection = connection
        self._codec = codec

    # ------------------------------------------------------------------ lookups

    def entries(
        self, entry_uuids: Collection[str], *, lock: bool = False
    ) -> dict[str, RegistryEntry]:
        uuids = sorted(set(entry_uuids))
        if not uuids:
            return {}
        by_kind: dict[ObjectKind, list[str]] = defaultdict(list)
        for entry_uuid, kind in self._connection.execute(_KINDS_OF, {"wanted": uuids}):
            by_kind[ObjectKind(kind)].append(entry_uuid)
        found: dict[str, RegistryEntry] = {}
        for kind in ObjectKind:  # one fixed order of row locks, so writers queue, not deadlock
            ids = by_kind.get(kind)
            if not ids:
                continue
            table, read = KIND_TABLES[kind]
            query = (_BY_UUID_LOCKED if lock else _BY_UUID)[table]
            for row in self._connection.execute(query, {"wanted": ids}):
                found[row.entry_uuid] = read(row)
        return found

    def entries_with_unique_ids(self, unique_ids: Collection[str]) -> list[RegistryEntry]:
        wanted = sorted(set(unique_ids))
        if not wanted:
            return []
        found: list[RegistryEntry] = []
        for kind, query in _BY_UNIQUE_ID.items():
            _, read = KIND_TABLES[kind]
            found.extend(read(row) for row in self._connection.execute(query, {"wanted": wanted}))
        return found

    def versions_of(
        self, logical_ids: Collection[str], *, lock: bool = False
    ) -> list[RegistryEntry]:
        wanted = sorted(set(logical_ids))
        if not wanted:
            return []
        found: list[RegistryEntry] = []
        for kind in (ObjectKind.DOCUMENT_ENTRY, ObjectKind.FOLDER):
            table, read = KIND_TABLES[kind]
            query = entry_columns(table).where(table.c.logical_id.in_(wanted))
            ordered = query.order_by(table.c.logical_id, table.c.version)
            if lock:  # wait for concurrent writers, then read again: their new versions count
                self._connection.execute(_locked(ordered, lock)).all()
            found.extend(read(row) for row in self._connection.execute(ordered))
        return found

    def folders_containing(self, document_uuids: Collection[str]) -> dict[str, list[str]]:
        wanted = sorted(set(document_uuids))
        if not wanted:
            return {}
        query = (
            select(associations.c.target_uuid, associations.c.source_uuid)
            .join(folders, folders.c.entry_uuid == associations.c.source_uuid)
            .where(
                associations.c.target_uuid.in_(wanted),
                associations.c.association_type == v.ASSOC_HAS_MEMBER,
                associations.c.status == APPROVED,
                folders.c.status == APPROVED,
            )
            .order_by(associations.c.id)
        )
        found: dict[str, list[str]] = defaultdict(list)
        for document_uuid, folder_uuid in self._connection.execute(query):
            found[document_uuid].append(folder_uuid)
        return dict(found)

    def documents_in_folder(self, folder_uuid: str) -> list[str]:
        query = (
            select(associations.c.target_uuid)
            .join(document_entries, document_entries.c.entry_uuid == associations.c.target_uuid)
            .where(
                associations.c.source_uuid == folder_uuid,
                associations.c.association_type == v.ASSOC_HAS_MEMBER,
                associations.c.status == APPROVED,
                document_entries.c.status == APPROVED,
            )
            .order_by(associations.c.id)
        )
        return list(self._connection.scalars(query))

    def associations_touching(self, entry_uuids: Collection[str]) -> list[RegistryEntry]:
        wanted = sorted(set(entry_uuids))
        if not wanted:
            return []
        query = entry_columns(associations).where(
            or_(associations.c.source_uuid.in_(wanted), associations.c.target_uuid.in_(wanted))
        )
        return [
            rows.association_of(row)
            for row in self._connection.execute(query.order_by(associations.c.id))
        ]

    def known_patients(self, patient_ids: Collection[str]) -> set[str]:
        wanted = sorted(set(patient_ids))
        if not wanted:
            return set()
        query = select(patients.c.patient_id).where(patients.c.patient_id.in_(wanted))
        return set(self._connection.scalars(query))

    # ------------------------------------------------------------------ writes

    def add_patient(self, patient_id: str, registered_at: Timestamp) -> bool:
        dialect_insert = (
            postgresql.insert if self._connection.dialect.name == "postgresql" else sqlite.insert
        )
        statement = dialect_insert(patients).values(
            patient_id=patient_id, registered_at=registered_at.padded
        )
        added = statement.on_conflict_do_nothing().returning(patients.c.patient_id)
        return self._connection.execute(added).first() is not None

    def add_all(self, new_objects: Sequence[RegistryObjectBase]) -> None:
        """Store new objects in a few statements: one INSERT of their identity rows (ids come
        back in the given order, which is the registration order), then one multi-row INSERT
        per table. A submission of any size costs the same handful of round trips."""
        if not new_objects:
            return
        ids = self._add_objects(new_objects)
        batch: dict[Table, list[rows.ColumnValues]] = defaultdict(list)
        for object_id, registry_object in zip(ids, new_objects, strict=True):
            _rows_of(registry_object, object_id, self._codec.render(registry_object), batch)
        for table in _INSERT_ORDER:
            if batch[table]:
                self._connection.execute(_INSERTS[table], batch[table])

    def change_status(self, entry: RegistryEntry, status: AvailabilityStatus) -> None:
        table, _ = KIND_TABLES[entry.kind]
        changed = dataclasses.replace(self._load(table, entry.entry_uuid), status=status)
        self._rewrite(table, changed, status=rows.status_name(status))

    def touch_folder(self, entry: RegistryEntry, last_update_time: Timestamp) -> None:
        folder = self._load(folders, entry.entry_uuid)
        if not isinstance(folder, Folder):
            raise TypeError(f"{entry.entry_uuid} is not stored as a Folder")
        changed = dataclasses.replace(folder, last_update_time=last_update_time)
        self._rewrite(folders, changed, last_update_time=last_update_time.padded)

    def remove(self, entry_uuids: Collection[str]) -> None:
        """Delete objects (and their child rows); associations first.

        With the association rows gone, no foreign key points at the other objects when their
        identity rows go, whatever order the database checks constraints in.
        """
        wanted = sorted(set(entry_uuids))
        if wanted:
            self._connection.execute(
                delete(associations).where(associations.c.entry_uuid.in_(wanted))
            )
            self._connection.execute(
                delete(registry_objects).where(registry_objects.c.entry_uuid.in_(wanted))
            )

    # ------------------------------------------------------------------ helpers

    def _add_objects(self, new_objects: Sequence[RegistryObjectBase]) -> list[int]:
        statement = insert(registry_objects).returning(
            registry_objects.c.id, sort_by_parameter_order=True
        )
        values = [{"entry_uuid": o.entry_uuid, "kind": _kind_of(o).value} for o in new_objects]
        return list(self._connection.scalars(statement, values))

    def _load(self, table: Table, entry_uuid: str) -> RegistryObjectBase:
        query = select(table.c.xml).where(table.c.entry_uuid == entry_uuid)
        xml: bytes = self._connection.execute(query).scalar_one()
        return self._codec.parse(bytes(xml))

    def _rewrite(self, table: Table, changed: RegistryObjectBase, **columns: object) -> None:
        statement = (
            update(table)
            .where(table.c.entry_uuid == changed.entry_uuid)
            .values(xml=self._codec.render(changed), **columns)
        )
        self._connection.execute(statement)


def _kind_of(registry_object: RegistryObjectBase) -> ObjectKind:
    match registry_object:
        case DocumentEntry():
            return ObjectKind.DOCUMENT_ENTRY
        case SubmissionSet():
            return ObjectKind.SUBMISSION_SET
        case Folder():
            return ObjectKind.FOLDER
        case Association():
            return ObjectKind.ASSOCIATION
    raise TypeError(f"not a storable registry object: {type(registry_object)}")


def _rows_of(
    registry_object: RegistryObjectBase,
    object_id: int,
    xml: bytes,
    batch: dict[Table, list[rows.ColumnValues]],
) -> None:
    """Add the object's row and its child rows to `batch`, per table."""

    def children(table: Table, owner: str, values: list[rows.ColumnValues]) -> None:
        batch[table].extend({owner: object_id, **value} for value in values)

    def row(table: Table, values: rows.ColumnValues) -> None:
        batch[table].append({"id": object_id, **values, "xml": xml})

    match registry_object:
        case DocumentEntry() as entry:
            row(document_entries, rows.document_entry_row(entry))
            codes = rows.code_rows(entry.confidentiality_codes)
            children(document_confidentiality_codes, "document_id", codes)
            children(document_event_codes, "document_id", rows.code_rows(entry.event_codes))
            authors = rows.author_person_rows(entry.authors)
            children(document_author_persons, "document_id", authors)
            references = rows.reference_id_rows(entry.reference_ids)
            children(document_reference_ids, "document_id", references)
        case SubmissionSet() as submission_set:
            row(submission_sets, rows.submission_set_row(submission_set))
            authors = rows.author_person_rows(submission_set.authors)
            children(submission_set_author_persons, "submission_set_id", authors)
        case Folder() as folder:
            row(folders, rows.folder_row(folder))
            children(folder_codes, "folder_id", rows.code_rows(folder.codes))
        case Association() as association:
            row(associations, rows.association_row(association))


# Per-kind rows before their child rows (foreign keys).
_INSERT_ORDER = (
    submission_sets,
    submission_set_author_persons,
    document_entries,
    document_confidentiality_codes,
    document_event_codes,
    document_author_persons,
    document_reference_ids,
    folders,
    folder_codes,
    associations,
)


_INSERTS = {table: insert(table) for table in _INSERT_ORDER}


def _locked(query: Select[Any], lock: bool) -> Select[Any]:
    return query.with_for_update() if lock else query
