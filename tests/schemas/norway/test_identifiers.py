from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from schemas.norway import oids
from schemas.norway.identifiers import (
    InvalidIdentifier,
    PersonNumberKind,
    is_valid_hpr_number,
    is_valid_organisation_number,
    national_number_check_digits,
    parse_national_identity_number,
    validate_national_identity_number,
)

KIND_BY_PEER_NAME = {
    "Nin": PersonNumberKind.FODSELSNUMMER,
    "TNin": PersonNumberKind.D_NUMMER,
    "ENin": PersonNumberKind.H_NUMMER,
}
# Six of NHN's vectors are Line Danser's number with the day or month shifted by hand, so their
# check digits no longer match: they test the date fields only.
HAND_SHIFTED = {
    "53116900216",
    "13516900216",
    "13916900216",
    "53916900216",
    "13766900216",
    "53766900216",
}
# A D-nummer may encode the registration date instead of the birth date (UDI). 65739381163 is
# RUND JUKEBOKS's D-nummer: it encodes 25.08.?93 with individual number 811, which fits no century
# series, so the number itself yields no date; 1889-03-09 is the person's registered birth date.
DATE_NOT_ENCODED = {"65739381163"}


def _vectors(conformance: Path) -> dict[str, Any]:
    path = conformance / "nhn-xcads" / "derived" / "nin_parsing_vectors.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_every_vector_with_expectations(conformance: Path) -> None:
    vectors = _vectors(conformance)["with_expected"]
    assert len(vectors) == 16
    for vector in vectors:
        number = parse_national_identity_number(vector["value"])
        assert number.kind is KIND_BY_PEER_NAME[vector["kind"]], vector
        assert number.authority_oid == vector["assigning_authority"], vector
        assert number.check_digits_valid is (vector["value"] not in HAND_SHIFTED), vector
        if vector["value"] in DATE_NOT_ENCODED:
            assert number.birth_date is None
            assert not number.is_valid
        else:
            assert number.birth_date == date.fromisoformat(vector["birth_date"]), vector


def test_every_must_parse_vector_is_a_valid_fodselsnummer(conformance: Path) -> None:
    values = _vectors(conformance)["must_parse"]
    assert len(values) == 500
    for value in values:
        number = validate_national_identity_number(value, oids.FODSELSNUMMER)
        assert number.kind is PersonNumberKind.FODSELSNUMMER
        assert number.birth_date is not None


@pytest.mark.parametrize(
    ("value", "kind", "synthetic", "born"),
    [
        ("12838512311", PersonNumberKind.FODSELSNUMMER, True, date(1985, 3, 12)),  # Tenor +80
        ("17855599120", PersonNumberKind.FODSELSNUMMER, True, date(1955, 5, 17)),
        ("09838973652", PersonNumberKind.FODSELSNUMMER, True, date(1889, 3, 9)),
        ("22810999865", PersonNumberKind.FODSELSNUMMER, True, date(2009, 1, 22)),
    ],
)
def test_structure_and_birth_date(
    value: str, kind: PersonNumberKind, synthetic: bool, born: date
) -> None:
    number = validate_national_identity_number(value)
    assert (number.kind, number.synthetic, number.birth_date) == (kind, synthetic, born)
    assert number.is_valid


def test_d_and_h_numbers_with_valid_check_digits() -> None:
    d_number = "52838512" + "3"  # 12.03.1985 + 40 on the day
    h_number = "12438512" + "3"  # month + 40
    for first_nine, kind, authority in [
        (d_number, PersonNumberKind.D_NUMMER, oids.D_NUMMER),
        (h_number, PersonNumberKind.H_NUMMER, oids.H_NUMMER),
    ]:
        check = national_number_check_digits(first_nine)
        assert check is not None
        number = validate_national_identity_number(first_nine + check, authority)
        assert number.kind is kind
        assert number.birth_date == date(1985, 3, 12)


def test_felles_hjelpenummer_has_no_date_but_check_digits() -> None:
    check = national_number_check_digits("812345678")
    assert check is not None
    number = validate_national_identity_number("812345678" + check, oids.H_NUMMER)
    assert number.kind is PersonNumberKind.FELLES_HJELPENUMMER
    assert number.birth_date is None
    assert number.is_valid


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("1283851231", "not 11 digits"),
        ("1283851231a", "not 11 digits"),
        ("32838512311", "day field"),
        ("12138512311", "month field"),
        ("31828512311", "not a calendar date"),  # 31 February
        ("52438512311", "both a D-nummer and an H-nummer"),
    ],
)
def test_structurally_impossible_numbers(value: str, reason: str) -> None:
    with pytest.raises(InvalidIdentifier, match=reason):
        parse_national_identity_number(value)


def test_wrong_check_digits_and_wrong_authority() -> None:
    with pytest.raises(InvalidIdentifier, match="check digits"):
        validate_national_identity_number("12838512312")
    with pytest.raises(InvalidIdentifier, match=r"belongs under assigning authority .*4\.1, not"):
        validate_national_identity_number("12838512311", oids.D_NUMMER)
    # the authority may be spelled as a urn:oid
    assert validate_national_identity_number("12838512311", "urn:oid:" + oids.FODSELSNUMMER)


def test_check_digit_ten_means_no_number() -> None:
    # 311299567 → K1 = 1, K2 = 5 (fnrinfo's worked example); search for a nine-digit prefix
    # whose first check digit would be 10 and make sure it yields no number.
    assert national_number_check_digits("311299567") == "15"
    impossible = next(
        f"0101851{i:02d}"
        for i in range(100)
        if national_number_check_digits(f"0101851{i:02d}") is None
    )
    assert national_number_check_digits(impossible) is None


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("983974724", True),  # HELSE BERGEN HF
        ("993467049", True),  # OSLO UNIVERSITETSSYKEHUS HF
        ("100100673", True),  # NHN test legekontor
        ("983974725", False),
        ("98397472", False),
        ("98397472a", False),
    ],
)
def test_organisation_numbers(value: str, valid: bool) -> None:
    assert is_valid_organisation_number(value) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("9144900", True),
        ("565501872", True),
        ("1", True),
        ("1234567890", False),
        ("0123456", False),
        ("12838512311", False),  # a fødselsnummer under the HPR authority is not an HPR number
        ("91449OO", False),
        ("", False),
    ],
)
def test_hpr_numbers(value: str, valid: bool) -> None:
    assert is_valid_hpr_number(value) is valid
