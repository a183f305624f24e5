from __future__ import annotations

import pytest

from schemas.norway.kjernejournal import KJERNEJOURNAL_DOCUMENT_TYPES, DocumentTypeAllowList


@pytest.mark.parametrize(
    ("class_code", "type_code", "allowed"),
    [
        ("A00-1", "A03-2", True),  # epikrise
        ("A00-1", "A13-2", True),  # poliklinisk epikrise
        ("C00-1", "C01-2", True),  # prøvesvar
        ("E00-1", "E01-2", True),  # bildediagnostikk
        ("I00-1", "I01-2", True),  # henvisning
        ("I00-1", "I02-2", False),  # brev is correspondence, not a henvisning
        ("B00-1", "B02-2", False),  # journalnotat
        ("D00-1", "D01-2", False),
        (None, None, False),
    ],
)
def test_the_default_follows_section_4(
    class_code: str | None, type_code: str | None, allowed: bool
) -> None:
    assert KJERNEJOURNAL_DOCUMENT_TYPES.allows(class_code, type_code) is allowed


def test_parse_and_describe() -> None:
    allow = DocumentTypeAllowList.parse(" A00-1, I01-2 ,D00-1,")
    assert allow.class_codes == {"A00-1", "D00-1"}
    assert allow.type_codes == {"I01-2"}
    assert allow.describe() == "A00-1, D00-1, I01-2"
    assert KJERNEJOURNAL_DOCUMENT_TYPES.describe() == "A00-1, C00-1, E00-1, I01-2"


def test_a_code_of_no_level_is_refused() -> None:
    with pytest.raises(ValueError, match="'A00' is not a Volven 9602 code"):
        DocumentTypeAllowList.parse("A00")
