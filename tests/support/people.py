"""Synthetic Norwegian national ids for tests: fødselsnummer with month + 80 (Tenor style).

Real people never have a month above 12, so these numbers cannot name anyone; the check digits
are valid, so they pass every validator a real number passes.
"""

from __future__ import annotations

from datetime import date
from itertools import count

_K1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_K2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _check_digit(digits: str, weights: tuple[int, ...]) -> int | None:
    remainder = 11 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    if remainder == 11:
        return 0
    return None if remainder == 10 else remainder


def synthetic_fnr(born: date, individual: int = 100, *, d_number: bool = False) -> str:
    """The first valid synthetic number for `born` from individual number `individual` upwards."""
    day = born.day + (40 if d_number else 0)
    for candidate in count(individual):
        if candidate > 999:
            break
        body = f"{day:02d}{born.month + 80:02d}{born.year % 100:02d}{candidate:03d}"
        k1 = _check_digit(body, _K1)
        if k1 is None:
            continue
        k2 = _check_digit(body + str(k1), _K2)
        if k2 is not None:
            return f"{body}{k1}{k2}"
    raise ValueError(f"no synthetic number left for {born}")


def is_valid_fnr(number: str) -> bool:
    """Check digits of an 11-digit national id (F-, D-, H- or synthetic number)."""
    if len(number) != 11 or not number.isdigit():
        return False
    return _check_digit(number[:9], _K1) == int(number[9]) and _check_digit(
        number[:10], _K2
    ) == int(number[10])


PATIENT = synthetic_fnr(date(1985, 3, 14))
OTHER_PATIENT = synthetic_fnr(date(1990, 11, 2))
GP = synthetic_fnr(date(1970, 6, 21))
OTHER_PERSON = synthetic_fnr(date(1975, 1, 9))
CITIZEN = PATIENT
