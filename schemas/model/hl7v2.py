"""HL7 v2 data types as XDS metadata carries them: CX, XCN, XON, XTN, HD, DTM.

Parsing is total: any string becomes a value, so metadata with odd but harmless formatting survives
a round trip, and the validation layer decides what is acceptable. `render()` gives the canonical
text (trailing empty components dropped); `parse(x.render()) == x` always holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import IntEnum
from functools import lru_cache

COMPONENT = "^"
SUBCOMPONENT = "&"
PARSED_VALUES_KEPT = 4096
"""The values are immutable, so each type remembers this many recent parses: a submission
repeats its patient id, authors and institutions in every entry, and reading, validating and
transforming it parse each of them again."""


def _components(text: str, separator: str, count: int) -> list[str]:
    parts = text.split(separator)
    return parts + [""] * (count - len(parts))


def _join(parts: list[str], separator: str) -> str:
    while parts and parts[-1] == "":
        parts.pop()
    return separator.join(parts)


@dataclass(frozen=True, slots=True)
class HierarchicDesignator:
    """HD: namespace id, universal id (an OID for XDS) and its type (`ISO`)."""

    namespace_id: str = ""
    universal_id: str = ""
    universal_id_type: str = ""

    @classmethod
    def parse(cls, text: str, separator: str = SUBCOMPONENT) -> HierarchicDesignator:
        namespace_id, universal_id, universal_id_type, *_ = _components(text, separator, 3)
        return cls(namespace_id, universal_id, universal_id_type)

    def render(self, separator: str = SUBCOMPONENT) -> str:
        return _join([self.namespace_id, self.universal_id, self.universal_id_type], separator)

    @property
    def is_empty(self) -> bool:
        return not (self.namespace_id or self.universal_id or self.universal_id_type)


@dataclass(frozen=True, slots=True)
class Cx:
    """CX: an identifier and its assigning authority: `13116900216^^^&2.16.578.1.12.4.1.4.1&ISO`.

    The CXi form used by `referenceIdList` adds an identifier type code (component 5) and an
    assigning facility (component 6, the home community for XCA).
    """

    id_number: str
    assigning_authority: HierarchicDesignator = HierarchicDesignator()
    identifier_type_code: str = ""
    assigning_facility: HierarchicDesignator = HierarchicDesignator()
    check_digit: str = ""
    check_digit_scheme: str = ""

    @classmethod
    @lru_cache(maxsize=PARSED_VALUES_KEPT)
    def parse(cls, text: str) -> Cx:
        c = _components(text, COMPONENT, 6)
        return cls(
            id_number=c[0],
            check_digit=c[1],
            check_digit_scheme=c[2],
            assigning_authority=HierarchicDesignator.parse(c[3]),
            identifier_type_code=c[4],
            assigning_facility=HierarchicDesignator.parse(c[5]),
        )

    @classmethod
    def of(cls, id_number: str, authority_oid: str) -> Cx:
        """An identifier with an ISO assigning authority, the usual XDS patient id."""
        return cls(id_number, HierarchicDesignator("", authority_oid, "ISO"))

    def render(self) -> str:
        return _join(
            [
                self.id_number,
                self.check_digit,
                self.check_digit_scheme,
                self.assigning_authority.render(),
                self.identifier_type_code,
                self.assigning_facility.render(),
            ],
            COMPONENT,
        )

    @property
    def authority_oid(self) -> str:
        return self.assigning_authority.universal_id

    def __str__(self) -> str:
        return self.render()


@dataclass(frozen=True, slots=True)
class Xcn:
    """XCN: a person, e.g. an author or legal authenticator (`id^family^given^^^^^^&oid&ISO`)."""

    id_number: str = ""
    family_name: str = ""
    given_name: str = ""
    further_given_names: str = ""
    suffix: str = ""
    prefix: str = ""
    degree: str = ""
    source_table: str = ""
    assigning_authority: HierarchicDesignator = HierarchicDesignator()

    @classmethod
    @lru_cache(maxsize=PARSED_VALUES_KEPT)
    def parse(cls, text: str) -> Xcn:
        c = _components(text, COMPONENT, 9)
        return cls(
            id_number=c[0],
            family_name=c[1],
            given_name=c[2],
            further_given_names=c[3],
            suffix=c[4],
            prefix=c[5],
            degree=c[6],
            source_table=c[7],
            assigning_authority=HierarchicDesignator.parse(c[8]),
        )

    def render(self) -> str:
        return _join(
            [
                self.id_number,
                self.family_name,
                self.given_name,
                self.further_given_names,
                self.suffix,
                self.prefix,
                self.degree,
                self.source_table,
                self.assigning_authority.render(),
            ],
            COMPONENT,
        )

    @property
    def display_name(self) -> str:
        names = [self.prefix, self.given_name, self.further_given_names, self.family_name]
        return " ".join(n for n in names if n) or self.id_number


@dataclass(frozen=True, slots=True)
class Xon:
    """XON: an organisation (`name^^^^^&oid&ISO^^^^id`); component 10 is its identifier."""

    organization_name: str = ""
    assigning_authority: HierarchicDesignator = HierarchicDesignator()
    identifier_type_code: str = ""
    organization_identifier: str = ""
    other: tuple[str, ...] = ("", "", "", "", "", "")

    @classmethod
    @lru_cache(maxsize=PARSED_VALUES_KEPT)
    def parse(cls, text: str) -> Xon:
        c = _components(text, COMPONENT, 10)
        return cls(
            organization_name=c[0],
            assigning_authority=HierarchicDesignator.parse(c[5]),
            identifier_type_code=c[6],
            organization_identifier=c[9],
            other=(c[1], c[2], c[3], c[4], c[7], c[8]),
        )

    def render(self) -> str:
        o = self.other
        return _join(
            [
                self.organization_name,
                o[0],
                o[1],
                o[2],
                o[3],
                self.assigning_authority.render(),
                self.identifier_type_code,
                o[4],
                o[5],
                self.organization_identifier,
            ],
            COMPONENT,
        )

    @property
    def identifier(self) -> str:
        """The organisation number (component 10), or component 3 in the older short form."""
        return self.organization_identifier or self.other[1]


@dataclass(frozen=True, slots=True)
class Xtn:
    """XTN: telecommunication (`^^Internet^someone@example.org` or a phone number)."""

    components: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> Xtn:
        return cls(tuple(text.split(COMPONENT)))

    def render(self) -> str:
        return _join(list(self.components), COMPONENT)

    def _component(self, index: int) -> str:
        return self.components[index] if len(self.components) > index else ""

    @property
    def use_code(self) -> str:
        return self._component(1)

    @property
    def equipment_type(self) -> str:
        return self._component(2)

    @property
    def email(self) -> str:
        return self._component(3)


class Precision(IntEnum):
    """How many digits of `YYYYMMDDhhmmss` a DTM value gives."""

    YEAR = 4
    MONTH = 6
    DAY = 8
    HOUR = 10
    MINUTE = 12
    SECOND = 14


_DTM = re.compile(
    r"^(?P<digits>\d{4}|\d{6}|\d{8}|\d{10}|\d{12}|\d{14})(?P<fraction>\.\d{1,4})?"
    r"(?P<offset>[+-]\d{4})?$"
)
_FULL_LENGTH = 14


@dataclass(frozen=True, slots=True)
class Timestamp:
    """An XDS DTM value in UTC with its own precision, e.g. `20041224` or `200412230800`.

    `value` is the normalised UTC text. A value that is not a valid DTM keeps its raw text and
    `is_valid` is False; validation reports it and the registry never stores it.
    """

    value: str

    @classmethod
    @lru_cache(maxsize=PARSED_VALUES_KEPT)
    def parse(cls, text: str) -> Timestamp:
        """A valid DTM, converted to UTC when it carries an offset; ValueError otherwise."""
        match = _DTM.match(text.strip())
        if match is None:
            raise ValueError(f"not an HL7 DTM timestamp: {text!r}")
        digits = match["digits"]
        padded = _pad(digits)
        try:
            moment = datetime(
                int(padded[0:4]),
                int(padded[4:6]),
                int(padded[6:8]),
                int(padded[8:10]),
                int(padded[10:12]),
                int(padded[12:14]),
                tzinfo=UTC,
            )
        except ValueError as exc:
            raise ValueError(f"not a calendar date: {text!r}") from exc
        offset = match["offset"]
        if offset is None:
            return cls(digits)
        sign = 1 if offset[0] == "+" else -1
        delta = timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5]))
        utc = moment - sign * delta
        return cls(utc.strftime("%Y%m%d%H%M%S")[: max(len(digits), Precision.HOUR)])

    @classmethod
    def from_wire(cls, text: str) -> Timestamp:
        """Total: a valid DTM normalised, anything else kept as it came (is_valid False)."""
        try:
            return cls.parse(text)
        except ValueError:
            return cls(text)

    @classmethod
    def of(cls, moment: datetime, precision: Precision = Precision.SECOND) -> Timestamp:
        if moment.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return cls(moment.astimezone(UTC).strftime("%Y%m%d%H%M%S")[: int(precision)])

    @classmethod
    def now(cls) -> Timestamp:
        return cls.of(datetime.now(UTC))

    @property
    def is_valid(self) -> bool:
        try:
            return Timestamp.parse(self.value) == self
        except ValueError:
            return False

    @property
    def precision(self) -> Precision:
        return Precision(len(self.value)) if self.is_valid else Precision.SECOND

    @property
    def padded(self) -> str:
        """The 14-digit form used to compare and index (`20041224` → `20041224000000`)."""
        return _pad(self.value)

    def to_datetime(self) -> datetime:
        return datetime.strptime(self.padded, "%Y%m%d%H%M%S").replace(tzinfo=UTC)

    def __str__(self) -> str:
        return self.value


def _pad(digits: str) -> str:
    if len(digits) < Precision.DAY:
        digits = digits + "0101"[: Precision.DAY - len(digits)]
    return digits.ljust(_FULL_LENGTH, "0")[:_FULL_LENGTH]
