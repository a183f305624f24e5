"""`SqlRegistryQueries`: the stored-query primitives as indexed SQL over the registry tables.

Each primitive returns `StoredObject`s (entryUUID, kind, patient, pre-rendered XML) ordered by
kind (SubmissionSets, DocumentEntries, Folders, Associations, as each query lists them) and then
by registration order, and raises `ResultLimitExceeded` instead of returning more than `limit`.
Which associations each Get… query returns follows the NIST registry simulator (see
docs/registry.md): an association is returned only when both of its ends are returned.

Reads on PostgreSQL run in autocommit (no BEGIN/ROLLBACK round trips); a read on a connection
the database has dropped is run once more on a fresh one.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from registry.criteria import SubmissionSetFilter
from registry.entries import StoredObject
from registry.storage import filters
from registry.storage.filters import among, one_of
from registry.storage.hits import (
    Hits,
    association_rows,
    between,
    latest_version,
    memberships,
    relations,
    selected,
    selected_uuids,
    touching,
)
from registry.storage.tables import associations, document_entries, folders, submission_sets
from schemas.model import AvailabilityStatus, Cx, DocumentEntryType
from schemas.queries import DocumentEntryFilter, FolderFilter, ObjectSelector

Query = Callable[[Hits], list[StoredObject]]


class SqlRegistryQueries:
    """Implements `registry.interfaces.RegistryQueries` on an engine."""

    def __init__(self, engine: Engine) -> None:
        self._reader = (
            engine.execution_options(isolation_level="AUTOCOMMIT")
            if engine.dialect.name == "postgresql"
            else engine
        )

    def _read(self, limit: int, query: Query) -> list[StoredObject]:
        try:
            return self._read_once(limit, query)
        except DBAPIError as error:
            if not error.connection_invalidated:
                raise
        return self._read_once(limit, query)

    def _read_once(self, limit: int, query: Query) -> list[StoredObject]:
        with self._reader.connect() as connection:
            return query(Hits(connection, limit))

    def find_document_entries(
        self, patient_ids: Sequence[Cx] | None, documents: DocumentEntryFilter, *, limit: int
    ) -> list[StoredObject]:
        conditions = [
            *filters.patients_in(document_entries, patient_ids),
            *filters.document_filter(documents),
        ]
        return self._read(limit, lambda hits: hits.documents(conditions))

    def find_submission_sets(
        self, patient_ids: Sequence[Cx], wanted: SubmissionSetFilter, *, limit: int
    ) -> list[StoredObject]:
        conditions = [
            *filters.patients_in(submission_sets, patient_ids),
            *filters.submission_set_filter(wanted),
        ]
        return self._read(limit, lambda hits: hits.submission_sets(conditions))

    def find_folders(
        self, patient_ids: Sequence[Cx] | None, wanted: FolderFilter, *, limit: int
    ) -> list[StoredObject]:
        conditions = [*filters.patients_in(folders, patient_ids), *filters.folder_filter(wanted)]
        return self._read(limit, lambda hits: hits.folders(conditions))

    def get_document_entries(self, selector: ObjectSelector, *, limit: int) -> list[StoredObject]:
        conditions = selected(document_entries, selector)
        return self._read(limit, lambda hits: hits.documents(conditions))

    def get_folders(self, selector: ObjectSelector, *, limit: int) -> list[StoredObject]:
        conditions = selected(folders, selector)
        return self._read(limit, lambda hits: hits.folders(conditions))

    def get_associations(
        self,
        entry_uuids: Collection[str],
        *,
        association_types: Collection[str] = (),
        limit: int,
    ) -> list[StoredObject]:
        conditions = [
            *touching(entry_uuids),
            *one_of(associations.c.association_type, association_types),
        ]
        return self._read(limit, lambda hits: hits.associations(conditions))

    def get_documents_and_associations(
        self, selector: ObjectSelector, *, limit: int
    ) -> list[StoredObject]:
        def query(hits: Hits) -> list[StoredObject]:
            documents = hits.documents(selected(document_entries, selector))
            return documents + hits.associations(touching([d.entry_uuid for d in documents]))

        return self._read(limit, query)

    def get_submission_sets(
        self, entry_uuids: Collection[str], *, limit: int
    ) -> list[StoredObject]:
        def query(hits: Hits) -> list[StoredObject]:
            links = memberships(hits.connection, submission_sets, targets=entry_uuids)
            sources = {row.source_uuid for row in links}
            found = hits.submission_sets(among(submission_sets.c.entry_uuid, sources))
            return found + hits.take_associations(links)

        return self._read(limit, query)

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

        def query(hits: Hits) -> list[StoredObject]:
            found = hits.submission_sets(
                [
                    *one_of(submission_sets.c.patient_id, [patient]),
                    *filters.statuses_in(submission_sets, submission_set_statuses),
                ]
            )
            found += hits.documents(
                [
                    *one_of(document_entries.c.patient_id, [patient]),
                    *filters.document_filter(documents),
                ]
            )
            found += hits.folders(
                [
                    *one_of(folders.c.patient_id, [patient]),
                    *filters.statuses_in(folders, folder_statuses),
                ]
            )
            sources = {o.entry_uuid for o in found}
            candidates = association_rows(hits.connection, None, sources=sources)
            return found + hits.take_associations(between(candidates, found))

        return self._read(limit, query)

    def get_submission_set_and_contents(
        self, selector: ObjectSelector, *, documents: DocumentEntryFilter, limit: int
    ) -> list[StoredObject]:
        def query(hits: Hits) -> list[StoredObject]:
            found = hits.submission_sets(selected(submission_sets, selector))
            if not found:
                return []
            members = memberships(hits.connection, None, sources=[found[0].entry_uuid])
            targets = {row.target_uuid for row in members}
            entries = hits.documents(
                [
                    *among(document_entries.c.entry_uuid, targets),
                    *filters.document_filter(documents),
                ]
            )
            found_folders = hits.folders(among(folders.c.entry_uuid, targets))
            contents = memberships(
                hits.connection,
                folders,
                sources={f.entry_uuid for f in found_folders},
                targets={e.entry_uuid for e in entries},
            )
            returned = found + entries + found_folders
            return returned + hits.take_associations(between([*members, *contents], returned))

        return self._read(limit, query)

    def get_folder_and_contents(
        self, selector: ObjectSelector, *, documents: DocumentEntryFilter, limit: int
    ) -> list[StoredObject]:
        def query(hits: Hits) -> list[StoredObject]:
            folder = latest_version(hits.connection, folders, selector)
            if folder is None:
                return []
            found = hits.folders(one_of(folders.c.entry_uuid, [folder]))
            members = memberships(hits.connection, folders, sources=[folder], approved_only=True)
            entries = hits.documents(
                [
                    *among(document_entries.c.entry_uuid, {row.target_uuid for row in members}),
                    *filters.document_filter(documents),
                ]
            )
            return found + entries + hits.take_associations(between(members, found + entries))

        return self._read(limit, query)

    def get_folders_for_document(
        self, selector: ObjectSelector, *, limit: int
    ) -> list[StoredObject]:
        def query(hits: Hits) -> list[StoredObject]:
            documents = selected_uuids(hits.connection, document_entries, selector)
            links = memberships(hits.connection, folders, targets=documents, approved_only=True)
            return hits.folders(among(folders.c.entry_uuid, {row.source_uuid for row in links}))

        return self._read(limit, query)

    def get_related_documents(
        self,
        selector: ObjectSelector,
        *,
        association_types: Collection[str],
        entry_types: Sequence[DocumentEntryType],
        limit: int,
    ) -> list[StoredObject]:
        def query(hits: Hits) -> list[StoredObject]:
            focus = selected_uuids(hits.connection, document_entries, selector)
            related = relations(hits.connection, focus, association_types)
            others = {row.source_uuid for row in related} | {row.target_uuid for row in related}
            entries = hits.documents(
                [
                    *among(document_entries.c.entry_uuid, others - set(focus)),
                    *one_of(document_entries.c.object_type, [t.value for t in entry_types]),
                ]
            )
            if not entries:
                return []
            found = hits.documents(among(document_entries.c.entry_uuid, focus)) + entries
            return found + hits.take_associations(between(related, found))

        return self._read(limit, query)
