"""Coded values: a Classification's `nodeRepresentation`, `codingScheme` slot and Name ↔ `Code`."""

from __future__ import annotations

from collections.abc import Iterable

from schemas import vocabulary as v
from schemas.ebrim.rim import RimClassification, RimSlot
from schemas.ebrim.transform.common import child_id
from schemas.model.common import Code


def code_from_rim(classification: RimClassification) -> Code:
    schemes = tuple(
        value
        for slot in classification.slots
        if slot.name == v.SLOT_CODING_SCHEME
        for value in slot.values
    )
    return Code(
        code=classification.node_representation or "",
        scheme=schemes[0] if schemes else "",
        display=classification.name,
    )


def codes_of(classifications: Iterable[RimClassification], scheme: str) -> tuple[Code, ...]:
    return tuple(code_from_rim(c) for c in classifications if c.scheme == scheme)


def single_code(classifications: Iterable[RimClassification], scheme: str) -> Code | None:
    """The first code in `scheme` (validation has reported any second one)."""
    codes = codes_of(classifications, scheme)
    return codes[0] if codes else None


def code_to_rim(code: Code, *, owner: str, scheme: str, index: int = 0) -> RimClassification:
    slots = (RimSlot(v.SLOT_CODING_SCHEME, (code.scheme,)),) if code.scheme else ()
    return RimClassification(
        id=child_id(owner, scheme, index),
        classified_object=owner,
        scheme=scheme,
        node_representation=code.code,
        name=code.display,
        slots=slots,
    )


def codes_to_rim(
    codes: Iterable[Code | None], *, owner: str, scheme: str
) -> list[RimClassification]:
    """The classifications of `owner` for `codes` in one scheme (None entries are skipped)."""
    present = [code for code in codes if code is not None]
    return [code_to_rim(c, owner=owner, scheme=scheme, index=i) for i, c in enumerate(present)]
