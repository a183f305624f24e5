"""Typed search criteria the store's query primitives take (ITI-18 and ITI-51 semantics).

Conventions:
- a tuple of `Code`s is an OR (any matches); a tuple of such tuples is an AND of ORs (the
  `…EventCodeList` and `…ConfidentialityCode` parameters);
- an empty tuple means "no filter";
- `patient_ids=None` means any patient (only the multi-patient queries of ITI-51 use it);
- patient ids, author patterns and reference ids are canonical HL7 text (`Cx.render()`);
- time ranges compare 14-digit padded DTMs: From inclusive, To exclusive.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas.model import AvailabilityStatus, Code, DocumentEntryType, Timestamp

CodeAlternatives = tuple[Code, ...]
CodeConjunction = tuple[CodeAlternatives, ...]


@dataclass(frozen=True, slots=True)
class TimeRange:
    """`…From` (inclusive) and `…To` (exclusive) as padded 14-digit DTM strings."""

    start: str | None = None
    end: str | None = None

    @classmethod
    def of(cls, start: Timestamp | None = None, end: Timestamp | None = None) -> TimeRange:
        return cls(
            None if start is None else start.padded,
            None if end is None else end.padded,
        )

    @property
    def is_open(self) -> bool:
        return self.start is None and self.end is None


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentEntryCriteria:
    """FindDocuments, FindDocumentsByReferenceId and FindDocumentsForMultiplePatients."""

    patient_ids: tuple[str, ...] | None
    statuses: tuple[AvailabilityStatus, ...]
    entry_types: tuple[DocumentEntryType, ...] = ()
    class_codes: CodeAlternatives = ()
    type_codes: CodeAlternatives = ()
    practice_setting_codes: CodeAlternatives = ()
    healthcare_facility_type_codes: CodeAlternatives = ()
    format_codes: CodeAlternatives = ()
    event_codes: CodeConjunction = ()
    confidentiality_codes: CodeConjunction = ()
    author_persons: tuple[str, ...] = ()
    reference_ids: tuple[str, ...] = ()
    creation_time: TimeRange = TimeRange()
    service_start_time: TimeRange = TimeRange()
    service_stop_time: TimeRange = TimeRange()


@dataclass(frozen=True, slots=True, kw_only=True)
class SubmissionSetCriteria:
    """FindSubmissionSets."""

    patient_ids: tuple[str, ...]
    statuses: tuple[AvailabilityStatus, ...]
    source_ids: tuple[str, ...] = ()
    submission_time: TimeRange = TimeRange()
    author_persons: tuple[str, ...] = ()
    content_type_codes: CodeAlternatives = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class FolderCriteria:
    """FindFolders and FindFoldersForMultiplePatients."""

    patient_ids: tuple[str, ...] | None
    statuses: tuple[AvailabilityStatus, ...]
    last_update_time: TimeRange = TimeRange()
    codes: CodeConjunction = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentFilter:
    """The DocumentEntry filters of GetAll, GetSubmissionSetAndContents and GetFolderAndContents.

    `statuses` empty means every status (the *AndContents queries have no status parameter).
    """

    statuses: tuple[AvailabilityStatus, ...] = ()
    entry_types: tuple[DocumentEntryType, ...] = ()
    format_codes: CodeAlternatives = ()
    confidentiality_codes: CodeConjunction = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ObjectSelector:
    """Which objects a Get… query names: entryUUIDs, uniqueIds or logical ids (exactly one set)."""

    entry_uuids: tuple[str, ...] = ()
    unique_ids: tuple[str, ...] = ()
    logical_ids: tuple[str, ...] = ()
