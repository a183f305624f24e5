"""Which document types kjernejournalforskriften § 4 lets PJD share, as a configurable allow-list.

The forskrift names the categories *epikriser og sammenfatninger*, *henvisninger*, *prøvesvar* and
*bildediagnostikk*. In Volven 9602 three of them are whole classes (level 1: A00-1, C00-1, E00-1),
while henvisninger is one type (level 2: I01-2) inside the class I00-1 *Korrespondanse*, which also
holds I02-2 *Brev*. So the list mixes levels: an entry ending in `-1` allows every document of that
classCode, an entry ending in `-2` allows documents of that typeCode.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

CLASS_LEVEL_SUFFIX = "-1"
TYPE_LEVEL_SUFFIX = "-2"


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentTypeAllowList:
    """Volven 9602 class codes and type codes a document may carry to be shared."""

    class_codes: frozenset[str]
    type_codes: frozenset[str]

    @classmethod
    def of(cls, codes: Iterable[str]) -> DocumentTypeAllowList:
        """Sort 9602 codes into class and type level by their `-1`/`-2` suffix."""
        class_codes: set[str] = set()
        type_codes: set[str] = set()
        for raw in codes:
            code = raw.strip()
            if code.endswith(CLASS_LEVEL_SUFFIX):
                class_codes.add(code)
            elif code.endswith(TYPE_LEVEL_SUFFIX):
                type_codes.add(code)
            else:
                raise ValueError(
                    f"{code!r} is not a Volven 9602 code: class codes end in -1 (A00-1), "
                    "type codes in -2 (I01-2)"
                )
        return cls(class_codes=frozenset(class_codes), type_codes=frozenset(type_codes))

    @classmethod
    def parse(cls, text: str) -> DocumentTypeAllowList:
        """From configuration text such as `A00-1,C00-1,E00-1,I01-2`."""
        return cls.of(code for code in text.split(",") if code.strip())

    def allows(self, class_code: str | None, type_code: str | None) -> bool:
        return class_code in self.class_codes or type_code in self.type_codes

    def describe(self) -> str:
        """The allowed codes, class level first, for error messages and documentation."""
        return ", ".join([*sorted(self.class_codes), *sorted(self.type_codes)])


KJERNEJOURNAL_DOCUMENT_TYPES = DocumentTypeAllowList.of(["A00-1", "C00-1", "E00-1", "I01-2"])
"""The § 4 default: epikriser og sammenfatninger, prøvesvar, bildediagnostikk, henvisninger."""
