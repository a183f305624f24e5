"""Author classifications (DocumentEntry and SubmissionSet) ↔ `Author`."""

from __future__ import annotations

from collections.abc import Iterable

from schemas import vocabulary as v
from schemas.ebrim.rim import RimClassification
from schemas.ebrim.transform.common import child_id, slots_from_rim, slots_of, slots_to_rim
from schemas.model.hl7v2 import Xcn, Xon, Xtn
from schemas.model.metadata import Author


def author_from_rim(classification: RimClassification) -> Author:
    def values(name: str) -> tuple[str, ...]:
        return tuple(val for s in classification.slots if s.name == name for val in s.values)

    persons = values(v.SLOT_AUTHOR_PERSON)
    return Author(
        person=Xcn.parse(persons[0]) if persons else None,
        institutions=tuple(Xon.parse(x) for x in values(v.SLOT_AUTHOR_INSTITUTION)),
        roles=values(v.SLOT_AUTHOR_ROLE),
        specialties=values(v.SLOT_AUTHOR_SPECIALTY),
        telecommunications=tuple(Xtn.parse(x) for x in values(v.SLOT_AUTHOR_TELECOMMUNICATION)),
        extra_slots=slots_from_rim(s for s in classification.slots if s.name not in v.AUTHOR_SLOTS),
    )


def authors_of(classifications: Iterable[RimClassification], scheme: str) -> tuple[Author, ...]:
    return tuple(author_from_rim(c) for c in classifications if c.scheme == scheme)


def author_to_rim(author: Author, *, owner: str, scheme: str, index: int) -> RimClassification:
    """An author classification; ITI TF-3 wants its `nodeRepresentation` empty."""
    slots = slots_of(
        (v.SLOT_AUTHOR_PERSON, () if author.person is None else (author.person.render(),)),
        (v.SLOT_AUTHOR_INSTITUTION, tuple(x.render() for x in author.institutions)),
        (v.SLOT_AUTHOR_ROLE, author.roles),
        (v.SLOT_AUTHOR_SPECIALTY, author.specialties),
        (v.SLOT_AUTHOR_TELECOMMUNICATION, tuple(x.render() for x in author.telecommunications)),
    )
    return RimClassification(
        id=child_id(owner, scheme, index),
        classified_object=owner,
        scheme=scheme,
        node_representation="",
        slots=(*slots, *slots_to_rim(author.extra_slots)),
    )


def authors_to_rim(
    authors: Iterable[Author], *, owner: str, scheme: str
) -> list[RimClassification]:
    return [author_to_rim(a, owner=owner, scheme=scheme, index=i) for i, a in enumerate(authors)]
