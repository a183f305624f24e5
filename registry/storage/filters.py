"""WHERE-clause builders for the stored-query primitives: codes, times, authors, statuses."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import ColumnElement, Table, and_, exists, or_

from registry.criteria import (
    CodeAlternatives,
    CodeConjunction,
    DocumentEntryCriteria,
    DocumentFilter,
    FolderCriteria,
    SubmissionSetCriteria,
    TimeRange,
)
from registry.storage import rows
from registry.storage.tables import (
    document_author_persons,
    document_confidentiality_codes,
    document_entries,
    document_event_codes,
    document_reference_ids,
    folder_codes,
    folders,
    submission_set_author_persons,
    submission_sets,
)
from schemas.model import AvailabilityStatus, DocumentEntryType

Conditions = list[ColumnElement[bool]]


def one_of(column: ColumnElement[str], values: Collection[str]) -> Conditions:
    """`column = v` or `column IN (…)`; no condition for an empty collection."""
    ordered = sorted(set(values))
    if not ordered:
        return []
    return [column == ordered[0]] if len(ordered) == 1 else [column.in_(ordered)]


def statuses_in(table: Table, statuses: Sequence[AvailabilityStatus]) -> Conditions:
    return one_of(table.c.status, rows.status_names(statuses))


def patients_in(table: Table, patient_ids: Sequence[str] | None) -> Conditions:
    return [] if patient_ids is None else one_of(table.c.patient_id, patient_ids)


def code_matches(
    code: ColumnElement[str], scheme: ColumnElement[str], codes: CodeAlternatives
) -> Conditions:
    """Any of `codes` (a code without a scheme matches that code in any scheme)."""
    if not codes:
        return []
    alternatives = [
        and_(code == c.code, scheme == c.scheme) if c.scheme else code == c.code for c in codes
    ]
    return [or_(*alternatives)]


def in_time_range(column: ColumnElement[str], time_range: TimeRange) -> Conditions:
    """From inclusive, To exclusive; a missing time never matches a bounded range."""
    conditions: Conditions = []
    if time_range.start is not None:
        conditions.append(column >= time_range.start)
    if time_range.end is not None:
        conditions.append(column < time_range.end)
    return conditions


def _child_codes(
    child: Table, owner_key: str, owner: ColumnElement[int], groups: CodeConjunction
) -> Conditions:
    """One EXISTS per group: every group must match at least one of the object's codes."""
    owner_column = child.c[owner_key]
    return [
        exists().where(owner_column == owner, *code_matches(child.c.code, child.c.scheme, group))
        for group in groups
        if group
    ]


def _authors_like(
    child: Table, owner_key: str, owner: ColumnElement[int], patterns: Sequence[str]
) -> Conditions:
    if not patterns:
        return []
    owner_column = child.c[owner_key]
    matches = or_(*(child.c.author_person.like(p) for p in patterns))
    return [exists().where(owner_column == owner, matches)]


def _entry_types(entry_types: Sequence[DocumentEntryType]) -> Conditions:
    return one_of(document_entries.c.object_type, [t.value for t in entry_types])


def document_filter(documents: DocumentFilter) -> Conditions:
    """The DocumentEntry filters shared by GetAll and the *AndContents queries."""
    d = document_entries
    return [
        *statuses_in(d, documents.statuses),
        *_entry_types(documents.entry_types),
        *code_matches(d.c.format_code, d.c.format_scheme, documents.format_codes),
        *_child_codes(
            document_confidentiality_codes, "document_id", d.c.id, documents.confidentiality_codes
        ),
    ]


def document_criteria(criteria: DocumentEntryCriteria) -> Conditions:
    d = document_entries
    conditions = [
        *patients_in(d, criteria.patient_ids),
        *statuses_in(d, criteria.statuses),
        *_entry_types(criteria.entry_types),
        *code_matches(d.c.class_code, d.c.class_scheme, criteria.class_codes),
        *code_matches(d.c.type_code, d.c.type_scheme, criteria.type_codes),
        *code_matches(
            d.c.practice_setting_code, d.c.practice_setting_scheme, criteria.practice_setting_codes
        ),
        *code_matches(
            d.c.healthcare_facility_type_code,
            d.c.healthcare_facility_type_scheme,
            criteria.healthcare_facility_type_codes,
        ),
        *code_matches(d.c.format_code, d.c.format_scheme, criteria.format_codes),
        *in_time_range(d.c.creation_time, criteria.creation_time),
        *in_time_range(d.c.service_start_time, criteria.service_start_time),
        *in_time_range(d.c.service_stop_time, criteria.service_stop_time),
        *_child_codes(document_event_codes, "document_id", d.c.id, criteria.event_codes),
        *_child_codes(
            document_confidentiality_codes, "document_id", d.c.id, criteria.confidentiality_codes
        ),
        *_authors_like(document_author_persons, "document_id", d.c.id, criteria.author_persons),
    ]
    if criteria.reference_ids:
        r = document_reference_ids
        conditions.append(
            exists().where(
                r.c.document_id == d.c.id, *one_of(r.c.reference_id, criteria.reference_ids)
            )
        )
    return conditions


def submission_set_criteria(criteria: SubmissionSetCriteria) -> Conditions:
    s = submission_sets
    return [
        *patients_in(s, criteria.patient_ids),
        *statuses_in(s, criteria.statuses),
        *one_of(s.c.source_id, criteria.source_ids),
        *in_time_range(s.c.submission_time, criteria.submission_time),
        *code_matches(s.c.content_type_code, s.c.content_type_scheme, criteria.content_type_codes),
        *_authors_like(
            submission_set_author_persons, "submission_set_id", s.c.id, criteria.author_persons
        ),
    ]


def folder_criteria(criteria: FolderCriteria) -> Conditions:
    f = folders
    return [
        *patients_in(f, criteria.patient_ids),
        *statuses_in(f, criteria.statuses),
        *in_time_range(f.c.last_update_time, criteria.last_update_time),
        *_child_codes(folder_codes, "folder_id", f.c.id, criteria.codes),
    ]
