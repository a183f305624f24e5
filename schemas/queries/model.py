"""Typed stored queries: one frozen value per query, built from an AdhocQueryRequest's slots.

Conventions shared by all queries:
- a code filter is an AND of ORs: each inner tuple is one slot's codes, any of which may match,
  and every slot must match (only EventCodeList, ConfidentialityCode and FolderCodeList may have
  more than one slot); `()` means no filter;
- a `TimeRange` is inclusive at `start` (`…From`) and exclusive at `end` (`…To`);
- `statuses` is None where the query has no status parameter (any status); a given status
  parameter whose values are all unknown URNs leaves `()`, which matches nothing;
- `entry_types` defaults to stable DocumentEntries only when `$XDSDocumentEntryType` is absent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import ClassVar

from schemas import vocabulary as v
from schemas.model.common import AvailabilityStatus, Code, DocumentEntryType
from schemas.model.hl7v2 import Cx, Timestamp
from schemas.model.messages import ReturnType
from schemas.model.metadata import AssociationType

CodeFilter = tuple[tuple[Code, ...], ...]
"""An AND of ORs of codes; `()` when the parameter is absent."""

DEFAULT_METADATA_LEVEL = 1
STABLE_ONLY = (DocumentEntryType.STABLE,)


@dataclass(frozen=True, slots=True)
class TimeRange:
    """`…From` (inclusive) and `…To` (exclusive), compared on the 14-digit padded DTM."""

    start: Timestamp | None = None
    end: Timestamp | None = None

    def contains(self, moment: Timestamp) -> bool:
        value = moment.padded
        after_start = self.start is None or value >= self.start.padded
        before_end = self.end is None or value < self.end.padded
        return after_start and before_end


class IdentifierKind(StrEnum):
    """How a Get… query names its objects."""

    ENTRY_UUID = "entryUUID"
    UNIQUE_ID = "uniqueId"
    LOGICAL_ID = "logicalId"


@dataclass(frozen=True, slots=True)
class ObjectSelector:
    """The objects a Get… query asks for: by entryUUID, uniqueId or logical id."""

    kind: IdentifierKind
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class QueryOptions:
    """What every query carries besides its own parameters.

    `ignored` lists what the registry did not use and may report as warnings: parameters the query
    does not define (ebRS 3.0 §6.3.2.1: a registry must ignore them) and status values it does not
    understand (ITI TF-2a 3.18.4.1.2.3.6).
    """

    return_type: ReturnType = ReturnType.LEAF_CLASS
    home_community_id: str | None = None
    metadata_level: int = DEFAULT_METADATA_LEVEL
    ignored: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentEntryFilter:
    """The DocumentEntry criteria of the Find… queries and the content filters of the Get… ones."""

    statuses: tuple[AvailabilityStatus, ...] | None = None
    entry_types: tuple[DocumentEntryType, ...] = STABLE_ONLY
    class_codes: CodeFilter = ()
    type_codes: CodeFilter = ()
    practice_setting_codes: CodeFilter = ()
    healthcare_facility_type_codes: CodeFilter = ()
    event_codes: CodeFilter = ()
    confidentiality_codes: CodeFilter = ()
    format_codes: CodeFilter = ()
    creation_time: TimeRange = TimeRange()
    service_start_time: TimeRange = TimeRange()
    service_stop_time: TimeRange = TimeRange()
    author_persons: tuple[str, ...] = ()
    reference_ids: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class FolderFilter:
    statuses: tuple[AvailabilityStatus, ...]
    last_update_time: TimeRange = TimeRange()
    codes: CodeFilter = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class FindDocumentsQuery:
    QUERY_ID: ClassVar[str] = v.QUERY_FIND_DOCUMENTS
    patient_id: Cx
    documents: DocumentEntryFilter
    options: QueryOptions = field(default_factory=QueryOptions)


@dataclass(frozen=True, slots=True, kw_only=True)
class FindDocumentsByReferenceIdQuery:
    QUERY_ID: ClassVar[str] = v.QUERY_FIND_DOCUMENTS_BY_REFERENCE_ID
    patient_id: Cx
    documents: DocumentEntryFilter
    options: QueryOptions = field(default_factory=QueryOptions)


@dataclass(frozen=True, slots=True, kw_only=True)
class FindDocumentsForMultiplePatientsQuery:
    """ITI-51; no patient ids means documents of any patient."""

    QUERY_ID: ClassVar[str] = v.QUERY_FIND_DOCUMENTS_FOR_MULTIPLE_PATIENTS
    patient_ids: tuple[Cx, ...]
    documents: DocumentEntryFilter
    options: QueryOptions = field(default_factory=QueryOptions)


@dataclass(frozen=True, slots=True, kw_only=True)
class FindSubmissionSetsQuery:
    QUERY_ID: ClassVar[str] = v.QUERY_FIND_SUBMISSION_SETS
    patient_id: Cx
    statuses: tuple[AvailabilityStatus, ...]
    source_ids: tuple[str, ...] = ()
    submission_time: TimeRange = TimeRange()
    author_person: str | None = None
    content_type_codes: CodeFilter = ()
    options: QueryOptions = field(default_factory=QueryOptions)


@dataclass(frozen=True, slots=True, kw_only=True)
class FindFoldersQuery:
    QUERY_ID: ClassVar[str] = v.QUERY_FIND_FOLDERS
    patient_id: Cx
    folders: FolderFilter
    options: QueryOptions = field(default_factory=QueryOptions)


@dataclass(frozen=True, slots=True, kw_only=True)
class FindFoldersForMultiplePatientsQuery:
    """ITI-51; no patient ids means folders of any patient."""

    QUERY_ID: ClassVar[str] = v.QUERY_FIND_FOLDERS_FOR_MULTIPLE_PATIENTS
    patient_ids: tuple[Cx, ...]
    folders: FolderFilter
    options: QueryOptions = field(default_factory=QueryOptions)


@dataclass(frozen=True, slots=True, kw_only=True)
class GetAllQuery:
    QUERY_ID: ClassVar[str] = v.QUERY_GET_ALL
    patient_id: Cx
    documents: DocumentEntryFilter
    submission_set_statuses: tuple[AvailabilityStatus, ...]
    folder_statuses: tuple[AvailabilityStatus, ...]
    options: QueryOptions = field(default_factory=QueryOptions)


@dataclass(frozen=True, slots=True, kw_only=True)
class GetDocumentsQuery:
    QUERY_ID: ClassVar[str] = v.QUERY_GET_DOCUMENTS
    documents: ObjectSelector
    options: QueryOptions = field(default_factory=QueryOptions)


@dataclass(frozen=True, slots=True, kw_only=True)
class GetFoldersQuery:
    QUERY_ID: ClassVar[str] = v.QUERY_GET_FOLDERS
    folders: ObjectSelector
    options: QueryOptions = field(default_factory=QueryOptions)


@dataclass(frozen=True, slots=True, kw_only=True)
class GetAssociationsQuery:
    """Associations whose source or target is one of `uuids`."""

    QUERY_ID: ClassVar[str] = v.QUERY_GET_ASSOCIATIONS
    uuids: tuple[str, ...]
    options: QueryOptions = field(default_factory=QueryOptions)


@dataclass(frozen=True, slots=True, kw_only=True)
class GetDocumentsAndAssociationsQuery:
    QUERY_ID: ClassVar[str] = v.QUERY_GET_DOCUMENTS_AND_ASSOCIATIONS
    documents: ObjectSelector
    options: QueryOptions = field(default_factory=QueryOptions)


@dataclass(frozen=True, slots=True, kw_only=True)
class GetSubmissionSetsQuery:
    """The SubmissionSets that hold any of `uuids` (DocumentEntries, Folders, Associations)."""

    QUERY_ID: ClassVar[str] = v.QUERY_GET_SUBMISSION_SETS
    uuids: tuple[str, ...]
    options: QueryOptions = field(default_factory=QueryOptions)


@dataclass(frozen=True, slots=True, kw_only=True)
class GetSubmissionSetAndContentsQuery:
    QUERY_ID: ClassVar[str] = v.QUERY_GET_SUBMISSION_SET_AND_CONTENTS
    submission_set: ObjectSelector
    documents: DocumentEntryFilter
    options: QueryOptions = field(default_factory=QueryOptions)


@dataclass(frozen=True, slots=True, kw_only=True)
class GetFolderAndContentsQuery:
    QUERY_ID: ClassVar[str] = v.QUERY_GET_FOLDER_AND_CONTENTS
    folder: ObjectSelector
    documents: DocumentEntryFilter
    options: QueryOptions = field(default_factory=QueryOptions)


@dataclass(frozen=True, slots=True, kw_only=True)
class GetFoldersForDocumentQuery:
    QUERY_ID: ClassVar[str] = v.QUERY_GET_FOLDERS_FOR_DOCUMENT
    document: ObjectSelector
    options: QueryOptions = field(default_factory=QueryOptions)


@dataclass(frozen=True, slots=True, kw_only=True)
class GetRelatedDocumentsQuery:
    QUERY_ID: ClassVar[str] = v.QUERY_GET_RELATED_DOCUMENTS
    document: ObjectSelector
    association_types: tuple[AssociationType, ...]
    entry_types: tuple[DocumentEntryType, ...] = STABLE_ONLY
    options: QueryOptions = field(default_factory=QueryOptions)


StoredQuery = (
    FindDocumentsQuery
    | FindDocumentsByReferenceIdQuery
    | FindDocumentsForMultiplePatientsQuery
    | FindSubmissionSetsQuery
    | FindFoldersQuery
    | FindFoldersForMultiplePatientsQuery
    | GetAllQuery
    | GetDocumentsQuery
    | GetFoldersQuery
    | GetAssociationsQuery
    | GetDocumentsAndAssociationsQuery
    | GetSubmissionSetsQuery
    | GetSubmissionSetAndContentsQuery
    | GetFolderAndContentsQuery
    | GetFoldersForDocumentQuery
    | GetRelatedDocumentsQuery
)
"""Any typed stored query (`match` on the class to run it)."""
