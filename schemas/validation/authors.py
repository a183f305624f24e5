"""Author classifications of DocumentEntries and SubmissionSets: slots and their HL7 formats."""

from __future__ import annotations

from schemas import vocabulary as v
from schemas.ebrim.rim import RimClassification, RimObject
from schemas.validation import formats
from schemas.validation.common import SlotSpec, check_slots, classifications
from schemas.validation.context import Checker
from schemas.validation.rules import Rule

AUTHOR_SLOTS = (
    SlotSpec(v.SLOT_AUTHOR_PERSON, checks=((Rule.XCN_MALFORMED, formats.xcn_problem),)),
    SlotSpec(
        v.SLOT_AUTHOR_INSTITUTION,
        single=False,
        checks=((Rule.XON_MALFORMED, formats.xon_problem),),
    ),
    SlotSpec(v.SLOT_AUTHOR_ROLE, single=False),
    SlotSpec(v.SLOT_AUTHOR_SPECIALTY, single=False),
    SlotSpec(
        v.SLOT_AUTHOR_TELECOMMUNICATION,
        single=False,
        checks=((Rule.XTN_MALFORMED, formats.xtn_problem),),
    ),
)
# ITI TF-3 4.2.3.1.4: an author names a person, an institution or a telecom address.
IDENTIFYING_SLOTS = frozenset(
    {v.SLOT_AUTHOR_PERSON, v.SLOT_AUTHOR_INSTITUTION, v.SLOT_AUTHOR_TELECOMMUNICATION}
)


def author_label(c: Checker, obj: RimObject, author: RimClassification) -> str:
    return f"author {author.id!r} of {c.label(obj)}"


def check_authors(c: Checker, obj: RimObject, scheme: str) -> None:
    for author in classifications(c, obj, scheme):
        _check_author(c, obj, author)


def _check_author(c: Checker, obj: RimObject, author: RimClassification) -> None:
    check_slots(c, obj, author.slots, AUTHOR_SLOTS, author_label(c, obj, author))
    for name in dict.fromkeys(s.name for s in author.slots):
        if name not in v.AUTHOR_SLOTS:
            allowed = ", ".join(sorted(v.AUTHOR_SLOTS))
            c.report(Rule.AUTHOR_UNKNOWN_SLOT, obj, id=author.id, slot=name, allowed=allowed)
    if not any(s.name in IDENTIFYING_SLOTS and any(s.values) for s in author.slots):
        c.report(Rule.AUTHOR_EMPTY, obj, id=author.id)
