from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemas.norway import oids
from schemas.norway.codes import code_system, code_systems, find_code_system


def test_every_code_system_loads_frozen_with_unique_ids() -> None:
    systems = code_systems()
    assert len({cs.id for cs in systems}) == len(systems)
    assert len({cs.oid for cs in systems if cs.oid}) == len([cs for cs in systems if cs.oid])
    for cs in systems:
        assert cs.concepts, cs.id
        assert len({c.code for c in cs}) == len(cs.concepts), cs.id
        with pytest.raises(AttributeError):
            cs.complete = False  # type: ignore[misc]


@pytest.mark.parametrize(
    ("system", "code", "display"),
    [
        (oids.DOKUMENTTYPE, "A00-1", "Epikriser og sammenfatninger"),
        (oids.DOKUMENTTYPE, "A13-2", "Poliklinisk epikrise"),
        (oids.DOKUMENTTYPE, "E01-2", "Bildediagnostiske svar"),
        (oids.DOKUMENTTYPE, "I01-2", "Henvisninger"),
        (oids.SPERRING_OG_NEKTING, "NORS", "Sperret"),
        (oids.SPERRING_OG_NEKTING, "NORU", "Utsatt innsyn for innbygger"),
        (oids.SPERRING_OG_NEKTING, "NORN_ANG", "Nektet, andre grunner"),
        (oids.HL7_CONFIDENTIALITY, "V", "very restricted"),
        (oids.HELSETJENESTEENHET, "86.101", "Alminnelige somatiske sykehus"),
        (oids.TJENESTETYPE, "4", "Legevakt"),
        (oids.KATEGORI_HELSEPERSONELL, "LE", "Lege"),
        (oids.KATEGORI_HELSEPERSONELL, "SP", "Sykepleier"),
        (oids.FUNKSJON_HELSEPERSONELL, "6", "Fastlege"),
        (oids.LEGESPESIALITET, "35", "Radiologi"),
        (oids.IHE_FORMAT_CODES, "urn:ihe:iti:xds:2017:mimeTypeSufficient", "mimeType Sufficient"),
        (oids.PURPOSE_OF_USE, "ETREAT", "emergency treatment"),
        (oids.PURPOSE_OF_USE_ISO_14265, "13", "Subject of care"),
    ],
)
def test_lookup_by_oid(system: str, code: str, display: str) -> None:
    cs = code_system(system)
    assert cs.oid == system
    assert code in cs
    assert cs.display(code) == display


def test_volven_9602_levels_and_parents() -> None:
    dokumenttype = code_system(oids.DOKUMENTTYPE)
    classes = [c for c in dokumenttype if c.level == 1]
    types = [c for c in dokumenttype if c.level == 2]
    assert [c.code for c in classes] == [
        "A00-1", "B00-1", "C00-1", "D00-1", "E00-1", "F00-1", "I00-1", "J00-1", "S00-1"
    ]  # fmt: skip
    assert len(types) == 55
    assert all(t.parent == t.code[0] + "00-1" and t.parent in dokumenttype for t in types)
    epikrise = dokumenttype.concept("A03-2")
    assert epikrise is not None
    assert epikrise.parent == "A00-1"


def test_other_names_and_unknowns() -> None:
    assert code_system("urn:oid:2.16.578.1.12.4.1.1.9603").id == "volven-9603"
    hl7 = code_system("http://terminology.hl7.org/CodeSystem/v3-Confidentiality")
    assert hl7.oid == oids.HL7_CONFIDENTIALITY
    assert hl7.urn == "urn:oid:2.16.840.1.113883.5.25"
    assert code_system("norwegian-format-codes").display("urn:no:ehelse:document:pdf")
    assert find_code_system("1.2.3.4") is None
    assert code_system(oids.DOKUMENTTYPE).concept("Z99-9") is None
    with pytest.raises(KeyError, match=r"1\.2\.3"):
        code_system("1.2.3")


def test_norwegian_codes_in_the_nhn_test_data_are_known(conformance: Path) -> None:
    """Every 9602/9603/1303/8653/9034/7426 code NHN's registry test data uses is in our files."""
    path = conformance / "nhn-xcads" / "TestData" / "TestDataRegistryObjects.json"
    pools = json.loads(path.read_text(encoding="utf-8"))["possibleDocumentEntryValues"]
    rows = [
        *pools["classCodes"],
        *pools["typeCodes"],
        *pools["confidentialityCodes"],
        *pools["healthcareFacilityTypeCodes"],
        *pools["practiceSettingCodes"],
        *pools["authors"]["roles"],
        *pools["authors"]["specialities"],
    ]
    checked = 0
    for row in rows:
        if not row.get("code") or not row.get("codeSystem"):
            continue
        cs = find_code_system(row["codeSystem"])
        assert cs is not None, row
        assert row["code"] in cs, row
        checked += 1
    assert checked > 300
