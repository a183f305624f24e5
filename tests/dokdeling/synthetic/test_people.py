"""Synthetic patients: valid Tenor-style fødselsnummer, unique, with a sex that matches."""

from __future__ import annotations

import random
from datetime import date

from dokdeling.synthetic.people import Sex, random_patient, synthetic_national_id
from schemas.norway import oids
from schemas.norway.identifiers import (
    PersonNumberKind,
    parse_national_identity_number,
    validate_national_identity_number,
)


def test_a_synthetic_number_is_a_valid_fodselsnummer_with_month_plus_80() -> None:
    number = synthetic_national_id(date(1985, 3, 14), 124)
    assert number is not None
    parsed = validate_national_identity_number(number, oids.FODSELSNUMMER)
    assert parsed.kind is PersonNumberKind.FODSELSNUMMER
    assert parsed.synthetic
    assert parsed.birth_date == date(1985, 3, 14)
    assert number == "14838512470"


def test_an_individual_number_without_valid_check_digits_gives_none() -> None:
    results = [synthetic_national_id(date(1990, 1, 1), n) for n in range(100)]
    assert None in results
    assert all(validate_national_identity_number(n).is_valid for n in results if n is not None)


def test_random_patients_are_valid_unique_and_born_in_their_century() -> None:
    rng, taken = random.Random(7), set[str]()
    patients = [random_patient(rng, taken=taken) for _ in range(2000)]
    assert len({p.national_id for p in patients}) == 2000
    for patient in patients:
        parsed = validate_national_identity_number(patient.national_id, oids.FODSELSNUMMER)
        assert parsed.synthetic
        assert parsed.birth_date == patient.born
        female = int(patient.national_id[8]) % 2 == 0
        assert (patient.sex is Sex.FEMALE) == female
    assert {p.born.year >= 2000 for p in patients} == {True, False}


def test_the_patient_as_xds_names_its_national_authority() -> None:
    patient = random_patient(random.Random(1))
    assert patient.cx.render() == f"{patient.national_id}^^^&{oids.FODSELSNUMMER}&ISO"
    info = dict(field.split("|", 1) for field in patient.source_patient_info())
    assert info["PID-3"] == patient.cx.render()
    assert info["PID-7"] == f"{patient.born:%Y%m%d}"
    assert parse_national_identity_number(patient.national_id).check_digits_valid
