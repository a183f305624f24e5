"""`SqlRegistryQueries`: the stored-query primitives as indexed SQL over the registry tables.

Each primitive returns `StoredObject`s (entryUUID, kind, patient, pre-rendered XML) ordered by
kind (SubmissionSets, DocumentEntries, Folders, Associations, as each query lists them) and then
by registration order, and raises `ResultLimitExceeded` instead of returning more than `limit`.
Which associations each Get… query returns follows the NIST registry simulator (see
docs/registry.md): an association is returned only when both of its ends are returned.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, Row, Table, literal, or_, select

from registry.criteria import SubmissionSetFilter
from registry.entries import ObjectKind, ResultLimitExceeded, StoredObject
from registry.storage import filters
from registry.storage.filters import Conditions, among, one_of
from registry.storage.tables import associations, document_entries, folders, submission_sets
from registry.storage.transaction import APPROVED
from schemas import vocabulary as v
from schemas.model import AvailabilityStatus, Cx, DocumentEntryType
from schemas.queries import DocumentEntryFilter, FolderFilter, IdentifierKind, ObjectSelector


class SqlRegistryQueries:
    """Implements `registry.interfaces.RegistryQueries` on an engine."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def find_document_entries(
        self, patient_ids: Sequence[Cx] | None, documents: DocumentEntryFilter, *, limit: int
    ) -> list[StoredObject]:
        conditions = [
            *filters.patients_in(document_entries, patient_ids),
            *filters.document_filter(documents),
        ]
        with self._engine.connect() as connection:
            return _Hits(connection, limit).documents(conditions)

    def find_submission_sets(
        self, patient_ids: Sequence[Cx], wanted: SubmissionSetFilter, *, limit: int
    ) -> list[StoredObject]:
        conditions = [
            *filters.patients_in(submission_sets, patient_ids),
            *filters.submission_set_filter(wanted),
        ]
        with self._engine.connect() as connection:
            return _Hits(connection, limit).submission_sets(conditions)

    def find_folders(
        self, patient_ids: Sequence[Cx] | None, wanted: FolderFilter, *, limit: int
    ) -> list[StoredObject]:
        conditions = [*filters.patients_in(folders, patient_ids), *filters.folder_filter(wanted)]
        with self._engine.connect() as connection:
            return _Hits(connection, limit).folders(conditions)

    def get_document_entries(self, selector: ObjectSelector, *, limit: int) -> list[StoredObject]:
        with self._engine.connect() as connection:
            return _Hits(connection, limit).documents(_selected(document_entries, selector))

    def get_folders(self, selector: ObjectSelector, *, limit: int) -> list[StoredObject]:
        with self._engine.connect() as connection:
            return _Hits(connection, limit).folders(_selected(folders, selector))

    def get_associations(
        self,
        entry_uuids: Collection[str],
        *,
        association_types: Collection[str] = (),
        limit: int,
    ) -> list[StoredObject]:
        with self._engine.connect() as connection:
            hits = _Hits(connection, limit)
            return hits.associations(
                _touching(entry_uuids), *one_of(associations.c.association_type, association_types)
            )

    def get_documents_and_associations(
        self, selector: ObjectSelector, *, limit: int
    ) -> list[StoredObject]:
        with self._engine.connect() as connection:
            hits = _Hits(connection, limit)
            documents = hits.documents(_selected(document_entries, selector))
            uuids = [d.entry_uuid for d in documents]
            return documents + hits.associations(_touching(uuids))

    def get_submission_sets(
        self, entry_uuids: Collection[str], *, limit: int
    ) -> list[StoredObject]:
        with self._engine.connect() as connection:
            hits = _Hits(connection, limit)
            memberships = _memberships(connection, submission_sets, targets=entry_uuids)
            sources = {row.source_uuid for row in memberships}
            found = hits.submission_sets(among(submission_sets.c.entry_uuid, sources))
            return found + hits.take_associations(memberships)

    def get_all(
        self,
        patient_id: Cx,
        *,
        documents: DocumentEntryFilter,
        submission_set_statuses: Sequence[AvailabilityStatus],
        folder_statuses: Sequence[AvailabilityStatus],
        limit: int,
    ) -> list[StoredObject]:
        patient = patient_id.render()
        with self._engine.connect() as connection:
            hits = _Hits(connection, limit)
            found = hits.submission_sets(
                [
                    submission_sets.c.patient_id == patient,
                    *filters.statuses_in(submission_sets, submission_set_statuses),
                ]
            )
            found += hits.documents(
                [document_entries.c.patient_id == patient, *filters.document_filter(documents)]
            )
            found += hits.folders(
                [folders.c.patient_id == patient, *filters.statuses_in(folders, folder_statuses)]
            )
            candidates = _association_rows(connection, None, sources={o.entry_uuid for o in found})
            return found + hits.take_associations(_between(candidates, found))

    def get_submission_set_and_contents(
        self, selector: ObjectSelector, *, documents: DocumentEntryFilter, limit: int
    ) -> list[StoredObject]:
        with self._engine.connect() as connection:
            hits = _Hits(connection, limit)
            found = hits.submission_sets(_selected(submission_sets, selector))
            if not found:
                return []
            members = _memberships(connection, None, sources=[found[0].entry_uuid])
            targets = {row.target_uuid for row in members}
            entries = hits.documents(
                [
                    *among(document_entries.c.entry_uuid, targets),
                    *filters.document_filter(documents),
                ]
            )
            found_folders = hits.folders(among(folders.c.entry_uuid, targets))
            contents = _memberships(
                connection,
                folders,
                sources={f.entry_uuid for f in found_folders},
                targets={e.entry_uuid for e in entries},
            )
            returned = found + entries + found_folders
            return returned + hits.take_associations(_between([*members, *contents], returned))

    def get_folder_and_contents(
        self, selector: ObjectSelector, *, documents: DocumentEntryFilter, limit: int
    ) -> list[StoredObject]:
        with self._engine.connect() as connection:
            hits = _Hits(connection, limit)
            folder = _latest_version(connection, folders, selector)
            if folder is None:
                return []
            found = hits.folders([folders.c.entry_uuid == folder])
            members = _memberships(connection, folders, sources=[folder], approved_only=True)
            entries = hits.documents(
                [
                    *among(document_entries.c.entry_uuid, {row.target_uuid for row in members}),
                    *filters.document_filter(documents),
                ]
            )
            return found + entries + hits.take_associations(_between(members, found + entries))

    def get_folders_for_document(
        self, selector: ObjectSelector, *, limit: int
    ) -> list[StoredObject]:
        with self._engine.connect() as connection:
            hits = _Hits(connection, limit)
            documents = _selected_uuids(connection, document_entries, selector)
            members = _memberships(connection, folders, targets=documents, approved_only=True)
            return hits.folders(among(folders.c.entry_uuid, {row.source_uuid for row in members}))

    def get_related_documents(
        self,
        selector: ObjectSelector,
        *,
        association_types: Collection[str],
        entry_types: Sequence[DocumentEntryType],
        limit: int,
    ) -> list[StoredObject]:
        with self._engine.connect() as connection:
            hits = _Hits(connection, limit)
            focus = _selected_uuids(connection, document_entries, selector)
            related = _relations(connection, focus, association_types)
            others = {row.source_uuid for row in related} | {row.target_uuid for row in related}
            others -= set(focus)
            entries = hits.documents(
                [
                    *among(document_entries.c.entry_uuid, others),
                    *one_of(document_entries.c.object_type, [t.value for t in entry_types]),
                ]
            )
            if not entries:
                return []
            found = hits.documents(among(document_entries.c.entry_uuid, focus)) + entries
            return found + hits.take_associations(_between(related, found))


class _Hits:
    """Collects query hits within one overall result limit."""

    def __init__(self, connection: Connection, limit: int) -> None:
        self._connection = connection
        self._limit = limit
        self._count = 0

    def documents(self, conditions: Conditions | None) -> list[StoredObject]:
        return self._objects(ObjectKind.DOCUMENT_ENTRY, document_entries, conditions)

    def submission_sets(self, conditions: Conditions | None) -> list[StoredObject]:
        return self._objects(ObjectKind.SUBMISSION_SET, submission_sets, conditions)

    def folders(self, conditions: Conditions | None) -> list[StoredObject]:
        return self._objects(ObjectKind.FOLDER, folders, conditions)

    def associations(self, *conditions: Any) -> list[StoredObject]:
        return self._objects(ObjectKind.ASSOCIATION, associations, list(conditions))

    def take_associations(self, association_rows: Sequence[Row[Any]]) -> list[StoredObject]:
        """Association rows already read (with `entry_uuid` and `xml`), in registration order."""
        self._count_more(len(association_rows))
        return [
            StoredObject(
                entry_uuid=row.entry_uuid,
                kind=ObjectKind.ASSOCIATION,
                patient_id=None,
                xml=bytes(row.xml),
            )
            for row in association_rows
        ]

    def _objects(
        self, kind: ObjectKind, table: Table, conditions: Conditions | None
    ) -> list[StoredObject]:
        if conditions is None:
            return []
        patient = table.c.patient_id if "patient_id" in table.c else literal(None)
        query = (
            select(table.c.entry_uuid, patient.label("patient_id"), table.c.xml)
            .where(*conditions)
            .order_by(table.c.id)
            .limit(self._limit - self._count + 1)
        )
        found = self._connection.execute(query).all()
        self._count_more(len(found))
        return [
            StoredObject(
                entry_uuid=row.entry_uuid, kind=kind, patient_id=row.patient_id, xml=bytes(row.xml)
            )
            for row in found
        ]

    def _count_more(self, count: int) -> None:
        self._count += count
        if self._count > self._limit:
            raise ResultLimitExceeded(self._limit)


_SELECTOR_COLUMNS = {
    IdentifierKind.ENTRY_UUID: "entry_uuid",
    IdentifierKind.UNIQUE_ID: "unique_id",
    IdentifierKind.LOGICAL_ID: "logical_id",
}


def _selected(table: Table, selector: ObjectSelector) -> Conditions | None:
    """Conditions for the objects a selector names, or None when it names none."""
    column_name = _SELECTOR_COLUMNS[selector.kind]
    if not selector.values or column_name not in table.c:
        return None
    return one_of(table.c[column_name], selector.values)


def _selected_uuids(connection: Connection, table: Table, selector: ObjectSelector) -> list[str]:
    conditions = _selected(table, selector)
    if conditions is None:
        return []
    query = select(table.c.entry_uuid).where(*conditions).order_by(table.c.id)
    return list(connection.scalars(query))


def _latest_version(connection: Connection, table: Table, selector: ObjectSelector) -> str | None:
    """The entryUUID a single-object selector names (by uniqueId: the latest version)."""
    conditions = _selected(table, selector)
    if conditions is None:
        return None
    query = select(table.c.entry_uuid).where(*conditions).order_by(table.c.version.desc())
    found: str | None = connection.scalars(query.limit(1)).first()
    return found


def _touching(entry_uuids: Collection[str]) -> Any:
    wanted = sorted(set(entry_uuids))
    return or_(associations.c.source_uuid.in_(wanted), associations.c.target_uuid.in_(wanted))


def _memberships(
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
    return _association_rows(
        connection,
        source_table,
        types=[v.ASSOC_HAS_MEMBER],
        sources=sources,
        targets=targets,
        approved_only=approved_only,
    )


def _association_rows(
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
            conditions.append(column.in_(sorted(set(wanted))))
    if approved_only:
        conditions.append(a.c.status == APPROVED)
    return list(connection.execute(query.where(*conditions).order_by(a.c.id)))


def _relations(
    connection: Connection, focus: Collection[str], association_types: Collection[str]
) -> list[Row[Any]]:
    if not focus or not association_types:
        return []
    a = associations
    query = (
        select(a.c.id, a.c.entry_uuid, a.c.source_uuid, a.c.target_uuid, a.c.xml)
        .where(_touching(focus), a.c.association_type.in_(sorted(set(association_types))))
        .order_by(a.c.id)
    )
    return list(connection.execute(query))


def _between(candidates: Sequence[Row[Any]], objects: Sequence[StoredObject]) -> list[Row[Any]]:
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
