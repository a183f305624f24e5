"""Synthetic people: patients with Tenor-style fødselsnummer (month + 80) and health personnel.

Real people never have a month above 12, so these numbers name no one; their check digits are
valid, so they pass every check a real number passes (`schemas.norway.identifiers`). Names are
common Norwegian given names and surnames, combined at random.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from schemas.model.hl7v2 import Cx, HierarchicDesignator, Xcn
from schemas.norway import oids
from schemas.norway.identifiers import SYNTHETIC_MONTH_OFFSETS, national_number_check_digits

SYNTHETIC_MONTH_OFFSET = SYNTHETIC_MONTH_OFFSETS[1]  # + 80, Skatteetaten's Tenor test register
_FIRST_BORN = date(1930, 1, 1)
_LAST_BORN = date(2024, 12, 31)

_FEMALE_NAMES = (
    "Anne", "Inger", "Kari", "Marit", "Ingrid", "Liv", "Eva", "Berit", "Astrid", "Bjørg",
    "Hilde", "Randi", "Solveig", "Nora", "Emma", "Sofie", "Ida", "Maja", "Sigrid", "Tone",
)  # fmt: skip
_MALE_NAMES = (
    "Jan", "Per", "Bjørn", "Ole", "Lars", "Kjell", "Knut", "Arne", "Svein", "Thomas",
    "Hans", "Geir", "Tor", "Morten", "Jakob", "Emil", "Noah", "Magnus", "Håkon", "Erlend",
)  # fmt: skip
_SURNAMES = (
    "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
    "Jensen", "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen",
    "Johannessen", "Andreassen", "Jacobsen", "Dahl", "Jørgensen", "Halvorsen", "Lie", "Strand",
)  # fmt: skip


class Sex(StrEnum):
    """Administrative sex as HL7 PID-8 writes it."""

    FEMALE = "F"
    MALE = "M"


def _century_series(born: date) -> range:
    """Individual numbers (folkeregisterforskriften) that give `born`'s century."""
    if born.year < 2000:
        return range(500)
    return range(500, 1000)


def synthetic_national_id(born: date, individual: int) -> str | None:
    """The synthetic fødselsnummer for `born` with individual number `individual` (000–999),
    or None when no valid check digits exist for it (about one in five)."""
    body = f"{born.day:02d}{born.month + SYNTHETIC_MONTH_OFFSET:02d}{born.year % 100:02d}"
    first_nine = f"{body}{individual:03d}"
    checks = national_number_check_digits(first_nine)
    return None if checks is None else first_nine + checks


@dataclass(frozen=True, slots=True, kw_only=True)
class Patient:
    """A synthetic patient with a fødselsnummer under its national OID."""

    national_id: str
    given_name: str
    family_name: str
    born: date
    sex: Sex

    @property
    def cx(self) -> Cx:
        return Cx.of(self.national_id, oids.FODSELSNUMMER)

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def source_patient_info(self) -> tuple[str, ...]:
        """The PID segment fields XDS carries in sourcePatientInfo."""
        return (
            f"PID-3|{self.cx.render()}",
            f"PID-5|{self.family_name}^{self.given_name}^^^",
            f"PID-7|{self.born:%Y%m%d}",
            f"PID-8|{self.sex.value}",
        )


def random_patient(rng: random.Random, *, taken: set[str] | None = None) -> Patient:
    """A new synthetic patient; `taken` (when given) keeps national ids unique across calls."""
    while True:
        born = _FIRST_BORN + timedelta(days=rng.randrange((_LAST_BORN - _FIRST_BORN).days + 1))
        individual = rng.choice(_century_series(born))
        number = synthetic_national_id(born, individual)
        if number is None or (taken is not None and number in taken):
            continue
        if taken is not None:
            taken.add(number)
        # The third individual digit says the sex: even for women, odd for men.
        sex = Sex.FEMALE if individual % 2 == 0 else Sex.MALE
        given = rng.choice(_FEMALE_NAMES if sex is Sex.FEMALE else _MALE_NAMES)
        return Patient(
            national_id=number,
            given_name=given,
            family_name=rng.choice(_SURNAMES),
            born=born,
            sex=sex,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Practitioner:
    """A synthetic health professional with an HPR number (made up, 99 prefix)."""

    hpr_number: str
    given_name: str
    family_name: str
    role: str
    """authorRole text, e.g. `Utskrivende lege`."""
    specialty: str
    """authorSpecialty text (Volven 7426 display), e.g. `Indremedisin`."""

    @property
    def xcn(self) -> Xcn:
        return Xcn(
            id_number=self.hpr_number,
            family_name=self.family_name,
            given_name=self.given_name,
            assigning_authority=HierarchicDesignator("", oids.HPR_NUMMER, "ISO"),
        )

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"
