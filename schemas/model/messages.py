"""The requests and responses of the XDS.b transactions, as domain values.

ITI-42/57 `SubmitObjectsRequest`, ITI-41 `ProvideAndRegisterDocumentSetRequest`, ITI-18/51
`AdhocQueryRequest`/`Response`, `RegistryResponse`, ITI-43 `RetrieveDocumentSetRequest`/`Response`,
ITI-62 `RemoveObjectsRequest`, ITI-86 `RemoveDocumentsRequest`.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import BinaryIO, Protocol, runtime_checkable

from schemas import vocabulary as v
from schemas.errors import RegistryError, ResponseStatus
from schemas.model.common import ObjectRef, RegistryObjectBase, Slot
from schemas.model.metadata import Association, DocumentEntry, Folder, SubmissionSet


@dataclass(frozen=True, slots=True, kw_only=True)
class XdsMetadata:
    """A `rim:RegistryObjectList` read as XDS objects (a submission or a query result)."""

    submission_sets: tuple[SubmissionSet, ...] = ()
    document_entries: tuple[DocumentEntry, ...] = ()
    folders: tuple[Folder, ...] = ()
    associations: tuple[Association, ...] = ()
    object_refs: tuple[ObjectRef, ...] = ()

    def registry_objects(self) -> Iterator[RegistryObjectBase]:
        yield from self.submission_sets
        yield from self.document_entries
        yield from self.folders
        yield from self.associations

    def find(self, entry_uuid: str) -> RegistryObjectBase | None:
        return next((o for o in self.registry_objects() if o.entry_uuid == entry_uuid), None)

    @property
    def is_empty(self) -> bool:
        return not (
            self.submission_sets
            or self.document_entries
            or self.folders
            or self.associations
            or self.object_refs
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class SubmitObjectsRequest:
    """`lcm:SubmitObjectsRequest`: ITI-42 Register and ITI-57 Update."""

    metadata: XdsMetadata
    request_slots: tuple[Slot, ...] = ()


@runtime_checkable
class DocumentContent(Protocol):
    """The bytes of a document, wherever they are: memory, a spooled file or object storage."""

    @property
    def size(self) -> int: ...

    def open(self) -> BinaryIO: ...


@dataclass(frozen=True, slots=True)
class InlineContent:
    """Document bytes held in memory (small documents and tests)."""

    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)

    def open(self) -> BinaryIO:
        return io.BytesIO(self.data)


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """An `xdsb:Document` of a PnR request: the DocumentEntry id it belongs to and its bytes."""

    id: str
    content: DocumentContent


@dataclass(frozen=True, slots=True, kw_only=True)
class ProvideAndRegisterRequest:
    """`xdsb:ProvideAndRegisterDocumentSetRequest` (ITI-41)."""

    submission: SubmitObjectsRequest
    documents: tuple[Document, ...]


class ReturnType(StrEnum):
    LEAF_CLASS = v.RETURN_TYPE_LEAF_CLASS
    OBJECT_REF = v.RETURN_TYPE_OBJECT_REF


@dataclass(frozen=True, slots=True)
class QueryParameter:
    """One `$…` slot of an AdhocQuery with its raw values (`'a'`, `('a','b')`, `20041224`)."""

    name: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class AdhocQueryRequest:
    """`query:AdhocQueryRequest` (ITI-18 and ITI-51)."""

    query_id: str
    parameters: tuple[QueryParameter, ...] = ()
    return_type: ReturnType = ReturnType.LEAF_CLASS
    return_composed_objects: bool = True
    home_community_id: str | None = None
    request_slots: tuple[Slot, ...] = ()

    def values_of(self, name: str) -> tuple[str, ...]:
        return tuple(val for p in self.parameters if p.name == name for val in p.values)


@dataclass(frozen=True, slots=True, kw_only=True)
class AdhocQueryResponse:
    """`query:AdhocQueryResponse`: objects (LeafClass) or `ObjectRef`s, plus errors."""

    status: ResponseStatus
    metadata: XdsMetadata = XdsMetadata()
    errors: tuple[RegistryError, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class RegistryResponse:
    """`rs:RegistryResponse`, the answer of ITI-41, 42, 57, 62 and 86."""

    status: ResponseStatus
    errors: tuple[RegistryError, ...] = ()
    response_slots: tuple[Slot, ...] = ()
    request_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentRequest:
    """An `xdsb:DocumentRequest`: which document, in which repository (and community)."""

    repository_unique_id: str
    document_unique_id: str
    home_community_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RetrieveDocumentSetRequest:
    """`xdsb:RetrieveDocumentSetRequest` (ITI-43)."""

    documents: tuple[DocumentRequest, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class RetrievedDocument:
    """An `xdsb:DocumentResponse`."""

    repository_unique_id: str
    document_unique_id: str
    mime_type: str
    content: DocumentContent
    home_community_id: str | None = None
    new_repository_unique_id: str | None = None
    new_document_unique_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RetrieveDocumentSetResponse:
    """`xdsb:RetrieveDocumentSetResponse`: the documents found and errors for the rest."""

    status: ResponseStatus
    documents: tuple[RetrievedDocument, ...] = ()
    errors: tuple[RegistryError, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class RemoveObjectsRequest:
    """`lcm:RemoveObjectsRequest` (ITI-62 Delete Document Set)."""

    object_refs: tuple[ObjectRef, ...]
    deletion_scope: str | None = None
    request_slots: tuple[Slot, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class RemoveDocumentsRequest:
    """`rmd:RemoveDocumentsRequest` (ITI-86 Remove Documents)."""

    documents: tuple[DocumentRequest, ...]
