"""Norwegian identifiers: fødsels-, D-, H- and felles hjelpenummer; organisation and HPR numbers.

A national identity number is 11 digits `DDMMYY III K1 K2`: a date, an individual number and two
mod-11 check digits (ehelse.no "Identifikatorer for personer", HIS 1001). The date fields also say
which kind of number it is:

- D-nummer: day + 40 (the date may be the registration date rather than the birth date, UDI);
- H-nummer (hjelpenummer): month + 40;
- felles hjelpenummer: first digit 8 or 9, the rest random (no date), still two check digits;
- synthetic test numbers: month + 80 (Skatteetaten's Tenor test register) and month + 65 (a series
  NHN's test data uses), on top of a fødselsnummer or D-nummer.

Parsing reads the structure only; `check_digits_valid` says whether the number is also well formed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from schemas.norway import oids

NATIONAL_NUMBER_LENGTH = 11
FIRST_CHECK_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2)
SECOND_CHECK_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
ORGANISATION_NUMBER_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)

D_NUMBER_DAY_OFFSET = 40
H_NUMBER_MONTH_OFFSET = 40
SYNTHETIC_MONTH_OFFSETS = (65, 80)
_MONTH_OFFSETS = (0, H_NUMBER_MONTH_OFFSET, *SYNTHETIC_MONTH_OFFSETS)

_DIGITS = re.compile(r"^[0-9]+$")
_HPR_NUMBER = re.compile(r"^[1-9][0-9]{0,8}$")
_ORGANISATION_NUMBER = re.compile(r"^[0-9]{9}$")


class InvalidIdentifier(ValueError):
    """A value is not a valid identifier of the kind its authority says it is."""


class PersonNumberKind(StrEnum):
    """Which register a Norwegian national identity number belongs to."""

    FODSELSNUMMER = "fødselsnummer"
    D_NUMMER = "D-nummer"
    H_NUMMER = "H-nummer"
    FELLES_HJELPENUMMER = "felles hjelpenummer"

    @property
    def authority_oid(self) -> str:
        """The assigning authority a CX must carry for this kind of number."""
        return _AUTHORITY_BY_KIND[self]


_AUTHORITY_BY_KIND = {
    PersonNumberKind.FODSELSNUMMER: oids.FODSELSNUMMER,
    PersonNumberKind.D_NUMMER: oids.D_NUMMER,
    PersonNumberKind.H_NUMMER: oids.H_NUMMER,
    PersonNumberKind.FELLES_HJELPENUMMER: oids.H_NUMMER,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class NationalIdentityNumber:
    """A parsed national identity number.

    `birth_date` is the date the number encodes; None for a felles hjelpenummer and when the
    individual number fits no century series for the year (the number is then not well formed).
    """

    value: str
    kind: PersonNumberKind
    synthetic: bool
    birth_date: date | None
    check_digits_valid: bool

    @property
    def authority_oid(self) -> str:
        return self.kind.authority_oid

    @property
    def is_valid(self) -> bool:
        """Both check digits match and the date part is a real date in a known century series."""
        has_date = self.birth_date is not None or self.kind is PersonNumberKind.FELLES_HJELPENUMMER
        return self.check_digits_valid and has_date


def mod11_check_digit(digits: str, weights: Sequence[int]) -> int | None:
    """The mod-11 check digit of `digits` with `weights`; None when it would be 10 (no number)."""
    remainder = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    check = (11 - remainder) % 11
    return None if check == 10 else check


def national_number_check_digits(first_nine: str) -> str | None:
    """The two check digits K1 K2 for the first nine digits, or None if no valid pair exists."""
    first = mod11_check_digit(first_nine, FIRST_CHECK_WEIGHTS)
    if first is None:
        return None
    second = mod11_check_digit(f"{first_nine}{first}", SECOND_CHECK_WEIGHTS)
    return None if second is None else f"{first}{second}"


def parse_national_identity_number(text: str) -> NationalIdentityNumber:
    """Read kind, synthetic series, encoded date and check-digit validity of an 11-digit number.

    Raises InvalidIdentifier when the text is not 11 digits or its date fields fit no scheme.
    """
    value = text.strip()
    if len(value) != NATIONAL_NUMBER_LENGTH or not _DIGITS.match(value):
        raise InvalidIdentifier(f"{text!r} is not 11 digits")
    check_digits_valid = national_number_check_digits(value[:9]) == value[9:]
    if value[0] in "89":
        return NationalIdentityNumber(
            value=value,
            kind=PersonNumberKind.FELLES_HJELPENUMMER,
            synthetic=False,
            birth_date=None,
            check_digits_valid=check_digits_valid,
        )
    day, month_offset, month = _date_fields(value)
    kind = _kind(value, month_offset)
    return NationalIdentityNumber(
        value=value,
        kind=kind,
        synthetic=month_offset in SYNTHETIC_MONTH_OFFSETS,
        birth_date=_encoded_date(value, day, month),
        check_digits_valid=check_digits_valid,
    )


def validate_national_identity_number(
    text: str, authority_oid: str | None = None
) -> NationalIdentityNumber:
    """A well-formed number of the kind `authority_oid` names (if given); else InvalidIdentifier."""
    number = parse_national_identity_number(text)
    if not number.check_digits_valid:
        raise InvalidIdentifier(f"the check digits of {number.kind} {number.value} do not match")
    if number.birth_date is None and number.kind is not PersonNumberKind.FELLES_HJELPENUMMER:
        raise InvalidIdentifier(
            f"{number.kind} {number.value}: individual number {number.value[6:9]} belongs to no "
            f"century series for year {number.value[4:6]}"
        )
    if authority_oid is not None and oids.bare_oid(authority_oid) != number.authority_oid:
        raise InvalidIdentifier(
            f"{number.value} is a {number.kind}, which belongs under assigning authority "
            f"{number.authority_oid}, not {authority_oid}"
        )
    return number


def is_valid_organisation_number(text: str) -> bool:
    """A 9-digit Enhetsregisteret organisation number with a matching mod-11 check digit."""
    value = text.strip()
    if not _ORGANISATION_NUMBER.match(value):
        return False
    return mod11_check_digit(value[:8], ORGANISATION_NUMBER_WEIGHTS) == int(value[8])


def is_valid_hpr_number(text: str) -> bool:
    """An HPR number: a positive integer of at most nine digits.

    HPR numbers are serial numbers without a published check digit (the real 9144900 and the test
    number 565501872 do not share any mod-11 scheme), so only the form is checked.
    """
    return bool(_HPR_NUMBER.match(text.strip()))


def _date_fields(value: str) -> tuple[int, int, int]:
    """(day, month offset, month) with the D-number day offset removed."""
    day = int(value[0:2])
    raw_month = int(value[2:4])
    if day > D_NUMBER_DAY_OFFSET:
        day -= D_NUMBER_DAY_OFFSET
    if not 1 <= day <= 31:
        raise InvalidIdentifier(f"{value}: day field {value[0:2]} is no day, nor a day + 40")
    for offset in _MONTH_OFFSETS:
        if 1 <= raw_month - offset <= 12:
            return day, offset, raw_month - offset
    raise InvalidIdentifier(
        f"{value}: month field {value[2:4]} is no month, nor a month + 40, + 65 or + 80"
    )


def _kind(value: str, month_offset: int) -> PersonNumberKind:
    is_d_number = int(value[0:2]) > D_NUMBER_DAY_OFFSET
    if month_offset == H_NUMBER_MONTH_OFFSET:
        if is_d_number:
            raise InvalidIdentifier(f"{value} cannot be both a D-nummer and an H-nummer")
        return PersonNumberKind.H_NUMMER
    return PersonNumberKind.D_NUMMER if is_d_number else PersonNumberKind.FODSELSNUMMER


def _century(individual: int, year: int) -> int | None:
    """The birth year's century from the individual-number series (folkeregisterforskriften)."""
    if individual <= 499:
        return 1900
    if 500 <= individual <= 749 and year >= 54:
        return 1800
    if individual >= 900 and year >= 40:
        return 1900
    if year <= 39:
        return 2000
    return None


def _encoded_date(value: str, day: int, month: int) -> date | None:
    year = int(value[4:6])
    century = _century(int(value[6:9]), year)
    try:
        # Without a century, a leap year still rules out impossible dates such as 31 February.
        encoded = date(2000 if century is None else century + year, month, day)
    except ValueError as exc:
        raise InvalidIdentifier(f"{value}: {value[0:6]} is not a calendar date") from exc
    return None if century is None else encoded
