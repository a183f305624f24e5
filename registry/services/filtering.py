"""What the access policy judges in a stored-query result, and the result without what it hid.

The policy (`trustframework.decide`) judges DocumentEntries; a result also holds SubmissionSets,
Folders and Associations. The registry's rules (docs/registry.md, "Access control"):

- a hidden DocumentEntry is left out, as a LeafClass object and as an ObjectRef;
- an Association is left out when either end is a hidden DocumentEntry (in the result or not:
  GetAssociations returns associations whose far end is not in the result, and its id would
  tell that the hidden entry exists), or an Association left out for that reason (an
  SS → (Folder → DocumentEntry) HasMember of a hidden entry's Folder membership);
- SubmissionSets and Folders stay: they describe a submission or a collection of the patient the
  reader is bound to, not the hidden document.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from registry.entries import ObjectKind, StoredObject
from schemas.errors import XdsErrorCode, XdsFailure
from schemas.model import Cx
from trustframework.judged import AccessFacts


@dataclass(frozen=True, slots=True, kw_only=True)
class ResultContents:
    """What a query result holds for the policy: the access facts of its DocumentEntries, the
    ends of its Associations and the patients of every object that has one."""

    entries: tuple[AccessFacts, ...]
    association_ends: dict[str, tuple[str, str]]
    patients: frozenset[Cx]

    def ends_outside(self, objects: Iterable[StoredObject]) -> set[str]:
        """Association ends that are not objects of the result (they may be DocumentEntries)."""
        inside = {found.entry_uuid for found in objects}
        ends = {end for pair in self.association_ends.values() for end in pair}
        return ends - inside


def read_contents(objects: Iterable[StoredObject]) -> ResultContents:
    """The access facts and association ends `objects` carry from their rows (no XML parse)."""
    entries: list[AccessFacts] = []
    ends: dict[str, tuple[str, str]] = {}
    patients: set[Cx] = set()
    for found in objects:
        if found.kind is ObjectKind.DOCUMENT_ENTRY:
            if found.access is None:
                raise _unjudgeable(found)
            entries.append(found.access)  # its patient_id is the row's, parsed
            if found.access.patient_id is not None:
                patients.add(found.access.patient_id)
        elif found.kind is ObjectKind.ASSOCIATION:
            if found.ends is None:
                raise _unjudgeable(found)
            ends[found.entry_uuid] = found.ends
        elif found.patient_id is not None:
            patients.add(Cx.parse(found.patient_id))
    return ResultContents(
        entries=tuple(entries), association_ends=ends, patients=frozenset(patients)
    )


def _unjudgeable(found: StoredObject) -> XdsFailure:
    """A result whose access cannot be judged is not answered (fail closed)."""
    return XdsFailure.of(
        XdsErrorCode.REGISTRY_ERROR,
        f"stored {found.kind.value} {found.entry_uuid} has no access facts; the registry "
        "database needs `dokdeling db upgrade`",
    )


def without_hidden(
    objects: Iterable[StoredObject], contents: ResultContents, hidden: Collection[str]
) -> tuple[StoredObject, ...]:
    """`objects` without the hidden DocumentEntries (entryUUIDs in `hidden`) and without every
    Association that would point at one."""
    gone = set(hidden)
    changed = True
    while changed:  # an association may end at an association left out in the last round
        changed = False
        for uuid, (source, target) in contents.association_ends.items():
            if uuid not in gone and (source in gone or target in gone):
                gone.add(uuid)
                changed = True
    return tuple(found for found in objects if found.entry_uuid not in gone)
