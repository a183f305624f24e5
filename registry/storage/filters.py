"""The stored-query criteria as `conditions` values: codes, times, authors, statuses.

They follow the conventions of `schemas.queries`: a code filter is an AND of ORs, `()` means no
filter, statuses None means any status and `()` none.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Column, Table

from registry.criteria import SubmissionSetFilter
from registry.storage import rows
from registry.storage.conditions import (
    AllOf,
    AnyOf,
    AtLeast,
    Below,
    Condition,
    Equals,
    Exists,
    Like,
    Never,
    OneOf,
)
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
from schemas.model import AvailabilityStatus, Code, Cx, DocumentEntryType
from schemas.queries import CodeFilter, DocumentEntryFilter, FolderFilter, TimeRange

Conditions = list[Condition]


def one_of(column: Column[Any], values: Collection[str]) -> Conditions:
    """`column = v` or `column IN (…)`; no condition for an empty collection."""
    ordered = tuple(sorted(set(values)))
    if not ordered:
        return []
    return [Equals(column, ordered[0])] if len(ordered) == 1 else [OneOf(column, ordered)]


def among(column: Column[Any], values: Collection[str]) -> Conditions:
    """Membership in a set of ids: an empty set matches nothing."""
    return one_of(column, values) or [Never()]


def statuses_in(table: Table, statuses: Sequence[AvailabilityStatus] | None) -> Conditions:
    """None: any status; `()`: none (every requested status was unknown)."""
    if statuses is None:
        return []
    return among(table.c.status, rows.status_names(statuses))


def patients_in(table: Table, patient_ids: Sequence[Cx] | None) -> Conditions:
    """None: any patient (the multi-patient queries without a patient parameter)."""
    if patient_ids is None:
        return []
    return one_of(table.c.patient_id, [p.render() for p in patient_ids])


def _any_code(code: Column[Any], scheme: Column[Any], codes: Sequence[Code]) -> Condition:
    """Any of `codes`; a code without a scheme matches that code in any scheme."""
    return AnyOf(
        tuple(
            AllOf((Equals(code, c.code), Equals(scheme, c.scheme)))
            if c.scheme
            else Equals(code, c.code)
            for c in codes
        )
    )


def code_matches(code: Column[Any], scheme: Column[Any], codes: CodeFilter) -> Conditions:
    """Every group matches (each group: any of its codes)."""
    return [_any_code(code, scheme, group) for group in codes if group]


def in_time_range(column: Column[Any], time_range: TimeRange) -> Conditions:
    """From inclusive, To exclusive; a missing time never matches a bounded range."""
    conditions: Conditions = []
    if time_range.start is not None:
        conditions.append(AtLeast(column, time_range.start.padded))
    if time_range.end is not None:
        conditions.append(Below(column, time_range.end.padded))
    return conditions


def _child_codes(
    child: Table, owner_key: str, owner: Column[Any], groups: CodeFilter
) -> Conditions:
    """One EXISTS per group: every group must match at least one of the object's codes."""
    return [
        Exists(child.c[owner_key], owner, (_any_code(child.c.code, child.c.scheme, group),))
        for group in groups
        if group
    ]


def _authors_like(
    child: Table, owner_key: str, owner: Column[Any], patterns: Sequence[str]
) -> Conditions:
    if not patterns:
        return []
    matches = AnyOf(tuple(Like(child.c.author_person, p) for p in patterns))
    return [Exists(child.c[owner_key], owner, (matches,))]


def _entry_types(entry_types: Sequence[DocumentEntryType]) -> Conditions:
    return one_of(document_entries.c.object_type, [t.value for t in entry_types])


def _reference_ids(groups: Sequence[Sequence[str]]) -> Conditions:
    """One EXISTS per group of referenceIdList values (compared in canonical CXi form)."""
    r = document_reference_ids
    return [
        Exists(
            r.c.document_id,
            document_entries.c.id,
            tuple(one_of(r.c.reference_id, [Cx.parse(value).render() for value in group])),
        )
        for group in groups
        if group
    ]


def document_filter(documents: DocumentEntryFilter) -> Conditions:
    """Every DocumentEntry criterion of a Find… query or a Get…AndContents content filter."""
    d = document_entries
    return [
        *statuses_in(d, documents.statuses),
        *_entry_types(documents.entry_types),
        *code_matches(d.c.class_code, d.c.class_scheme, documents.class_codes),
        *code_matches(d.c.type_code, d.c.type_scheme, documents.type_codes),
        *code_matches(
            d.c.practice_setting_code, d.c.practice_setting_scheme, documents.practice_setting_codes
        ),
        *code_matches(
            d.c.healthcare_facility_type_code,
            d.c.healthcare_facility_type_scheme,
            documents.healthcare_facility_type_codes,
        ),
        *code_matches(d.c.format_code, d.c.format_scheme, documents.format_codes),
        *in_time_range(d.c.creation_time, documents.creation_time),
        *in_time_range(d.c.service_start_time, documents.service_start_time),
        *in_time_range(d.c.service_stop_time, documents.service_stop_time),
        *_child_codes(document_event_codes, "document_id", d.c.id, documents.event_codes),
        *_child_codes(
            document_confidentiality_codes, "document_id", d.c.id, documents.confidentiality_codes
        ),
        *_authors_like(document_author_persons, "document_id", d.c.id, documents.author_persons),
        *_reference_ids(documents.reference_ids),
    ]


def submission_set_filter(wanted: SubmissionSetFilter) -> Conditions:
    s = submission_sets
    return [
        *statuses_in(s, wanted.statuses),
        *one_of(s.c.source_id, wanted.source_ids),
        *in_time_range(s.c.submission_time, wanted.submission_time),
        *code_matches(s.c.content_type_code, s.c.content_type_scheme, wanted.content_type_codes),
        *_authors_like(
            submission_set_author_persons, "submission_set_id", s.c.id, wanted.author_persons
        ),
    ]


def folder_filter(wanted: FolderFilter) -> Conditions:
    f = folders
    return [
        *statuses_in(f, wanted.statuses),
        *in_time_range(f.c.last_update_time, wanted.last_update_time),
        *_child_codes(folder_codes, "folder_id", f.c.id, wanted.codes),
    ]
