"""A patient's blocks (*sperring*) of named health personnel, and where they are kept.

A block names a patient (CX: id and assigning authority) and an HPR number. The access policy
denies every read of that patient's documents by that practitioner
(`practitioner_blocked_by_patient`), whatever the purpose of use, break-the-glass included:
the patient has excluded this one person, and a colleague can act instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from schemas.model import Cx
from trustframework import codes

_HPR_NUMBER = re.compile(r"\d{1,12}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Block:
    """One patient's block of one practitioner."""

    patient: Cx
    hpr_number: str
    created_at: datetime


class BlockStore(Protocol):
    """Where blocks live (the owning service's database in production)."""

    def add(self, patient: Cx, hpr_number: str, *, now: datetime) -> bool:
        """Block; False when the block already existed."""
        ...

    def remove(self, patient: Cx, hpr_number: str) -> bool:
        """Lift a block; False when there was none."""
        ...

    def blocks_of(self, patient: Cx) -> tuple[Block, ...]:
        """The patient's blocks, oldest first."""
        ...

    def blocked_hpr_numbers(self, patients: Iterable[Cx]) -> frozenset[str]:
        """Every HPR number any of these patients has blocked."""
        ...


def block_patient(text: str) -> Cx:
    """A patient for a block: a CX with an assigning authority, or a bare national id number."""
    text = text.strip()
    if "^" not in text and len(text) == 11 and text.isdigit():
        return Cx.of(text, codes.national_id_system(text))
    patient = Cx.parse(text)
    if not patient.id_number or not patient.authority_oid:
        raise ValueError(f"{text!r} is not a CX with an assigning authority (id^^^&oid&ISO)")
    return Cx.of(patient.id_number, patient.authority_oid)


def hpr_number(text: str) -> str:
    text = text.strip()
    if not _HPR_NUMBER.fullmatch(text):
        raise ValueError(f"{text!r} is not an HPR number")
    return text
