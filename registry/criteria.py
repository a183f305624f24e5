"""The SubmissionSet criteria of FindSubmissionSets, in the value types of `schemas.queries`.

The other query primitives take `schemas.queries` values directly (`DocumentEntryFilter`,
`FolderFilter`, `ObjectSelector`, `TimeRange`); their conventions hold here too: a code filter is
an AND of ORs, `()` means no filter, and statuses `()` match nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from schemas.model import AvailabilityStatus
from schemas.queries import CodeFilter, TimeRange


@dataclass(frozen=True, slots=True, kw_only=True)
class SubmissionSetFilter:
    """What FindSubmissionSets asks of a SubmissionSet besides its patient."""

    statuses: tuple[AvailabilityStatus, ...]
    source_ids: tuple[str, ...] = ()
    submission_time: TimeRange = field(default_factory=TimeRange)
    author_persons: tuple[str, ...] = ()
    content_type_codes: CodeFilter = ()
