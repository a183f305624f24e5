"""The registry's collaborators as Protocols: the metadata codec and the store.

Services depend only on these; `registry.storage.SqlRegistryStore` is the implementation.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from contextlib import AbstractContextManager
from typing import Protocol

from registry.criteria import SubmissionSetFilter
from registry.entries import RegistryEntry, StoredObject
from schemas.model import AvailabilityStatus, Cx, DocumentEntryType, RegistryObjectBase, Timestamp
from schemas.queries import DocumentEntryFilter, FolderFilter, ObjectSelector


class MetadataCodec(Protocol):
    """Renders a registry object as its standalone LeafClass ebRIM XML, and reads it back."""

    def render(self, registry_object: RegistryObjectBase) -> bytes: ...

    def parse(self, xml: bytes) -> RegistryObjectBase: ...


class RegistryTransaction(Protocol):
    """One all-or-nothing unit of work: lookups for the lifecycle rules, then the writes.

    `lock=True` takes row locks on the objects read (SELECT … FOR UPDATE on PostgreSQL; SQLite
    write transactions are serialised already), so what a rule checked cannot change before the
    transaction commits.
    """

    def entries(
        self, entry_uuids: Collection[str], *, lock: bool = False
    ) -> dict[str, RegistryEntry]: ...

    def entries_with_unique_ids(self, unique_ids: Collection[str]) -> list[RegistryEntry]: ...

    def versions_of(
        self, logical_ids: Collection[str], *, lock: bool = False
    ) -> list[RegistryEntry]: ...

    def folders_containing(self, document_uuids: Collection[str]) -> dict[str, list[str]]: ...

    def documents_in_folder(self, folder_uuid: str) -> list[str]: ...

    def associations_touching(self, entry_uuids: Collection[str]) -> list[RegistryEntry]: ...

    def known_patients(self, patient_ids: Collection[str]) -> set[str]: ...

    def add_patient(self, patient_id: str, registered_at: Timestamp) -> bool: ...

    def add_all(self, new_objects: Sequence[RegistryObjectBase]) -> None:
        """Store new objects, in this order (objects an association links come first)."""
        ...

    def change_status(self, entry: RegistryEntry, status: AvailabilityStatus) -> None: ...

    def touch_folder(self, entry: RegistryEntry, last_update_time: Timestamp) -> None: ...

    def remove(self, entry_uuids: Collection[str]) -> None: ...


class RegistryQueries(Protocol):
    """The stored-query primitives: matching objects with their pre-rendered XML.

    Every method returns objects in a deterministic order (by kind, then registration order) and
    raises `ResultLimitExceeded` when more than `limit` objects would be returned.
    """

    def find_document_entries(
        self, patient_ids: Sequence[Cx] | None, documents: DocumentEntryFilter, *, limit: int
    ) -> list[StoredObject]: ...

    def find_submission_sets(
        self, patient_ids: Sequence[Cx], wanted: SubmissionSetFilter, *, limit: int
    ) -> list[StoredObject]: ...

    def find_folders(
        self, patient_ids: Sequence[Cx] | None, wanted: FolderFilter, *, limit: int
    ) -> list[StoredObject]: ...

    def get_document_entries(
        self, selector: ObjectSelector, *, limit: int
    ) -> list[StoredObject]: ...

    def get_folders(self, selector: ObjectSelector, *, limit: int) -> list[StoredObject]: ...

    def get_associations(
        self,
        entry_uuids: Collection[str],
        *,
        association_types: Collection[str] = (),
        limit: int,
    ) -> list[StoredObject]: ...

    def get_documents_and_associations(
        self, selector: ObjectSelector, *, limit: int
    ) -> list[StoredObject]: ...

    def get_submission_sets(
        self, entry_uuids: Collection[str], *, limit: int
    ) -> list[StoredObject]: ...

    def get_all(
        self,
        patient_id: Cx,
        *,
        documents: DocumentEntryFilter,
        submission_set_statuses: Sequence[AvailabilityStatus],
        folder_statuses: Sequence[AvailabilityStatus],
        limit: int,
    ) -> list[StoredObject]: ...

    def get_submission_set_and_contents(
        self, selector: ObjectSelector, *, documents: DocumentEntryFilter, limit: int
    ) -> list[StoredObject]: ...

    def get_folder_and_contents(
        self, selector: ObjectSelector, *, documents: DocumentEntryFilter, limit: int
    ) -> list[StoredObject]: ...

    def get_folders_for_document(
        self, selector: ObjectSelector, *, limit: int
    ) -> list[StoredObject]: ...

    def get_related_documents(
        self,
        selector: ObjectSelector,
        *,
        association_types: Collection[str],
        entry_types: Sequence[DocumentEntryType],
        limit: int,
    ) -> list[StoredObject]: ...


class RegistryStore(RegistryQueries, Protocol):
    """The registry database: query primitives plus write transactions."""

    def transaction(self) -> AbstractContextManager[RegistryTransaction]: ...
