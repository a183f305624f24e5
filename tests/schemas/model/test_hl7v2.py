from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas.model.hl7v2 import Cx, HierarchicDesignator, Precision, Timestamp, Xcn, Xon


@pytest.mark.parametrize(
    "text",
    [
        "13116900216^^^&2.16.578.1.12.4.1.4.1&ISO",
        "SELF-5^^^&1.3.6.1.4.1.21367.2005.3.7&ISO",
        "ref1^^^&1.2.3&ISO^urn:ihe:iti:xds:2013:uniqueId^&1.2.3.4&ISO",
        "plain",
    ],
)
def test_cx_round_trips(text: str) -> None:
    assert Cx.parse(text).render() == text


def test_cx_parts() -> None:
    cx = Cx.parse("13116900216^^^&2.16.578.1.12.4.1.4.1&ISO")
    assert cx.id_number == "13116900216"
    assert cx.authority_oid == "2.16.578.1.12.4.1.4.1"
    assert cx == Cx.of("13116900216", "2.16.578.1.12.4.1.4.1")
    assert cx.assigning_authority == HierarchicDesignator("", "2.16.578.1.12.4.1.4.1", "ISO")


def test_xcn_and_xon() -> None:
    person = Xcn.parse("565505933^Nordmann^Ola^^^Dr^^^&2.16.578.1.12.4.1.4.4&ISO")
    assert person.family_name == "Nordmann"
    assert person.display_name == "Dr Ola Nordmann"
    assert person.assigning_authority.universal_id == "2.16.578.1.12.4.1.4.4"
    assert Xcn.parse(person.render()) == person
    org = Xon.parse("Cleveland Clinic^^^^^&1.2.3&ISO^^^^CleveClin")
    assert org.organization_name == "Cleveland Clinic"
    assert org.identifier == "CleveClin"
    assert org.render() == "Cleveland Clinic^^^^^&1.2.3&ISO^^^^CleveClin"


@pytest.mark.parametrize(
    ("text", "precision", "padded"),
    [
        ("2004", Precision.YEAR, "20040101000000"),
        ("200412", Precision.MONTH, "20041201000000"),
        ("20041224", Precision.DAY, "20041224000000"),
        ("200412230800", Precision.MINUTE, "20041223080000"),
        ("20041223080012", Precision.SECOND, "20041223080012"),
    ],
)
def test_timestamp_precision(text: str, precision: Precision, padded: str) -> None:
    stamp = Timestamp.parse(text)
    assert stamp.precision is precision
    assert stamp.padded == padded
    assert stamp.is_valid


def test_timestamp_offset_is_converted_to_utc() -> None:
    assert Timestamp.parse("200412230800+0100").value == "200412230700"


@pytest.mark.parametrize("text", ["2004-12-24", "20041332", "2004122", "yesterday", ""])
def test_invalid_timestamps(text: str) -> None:
    with pytest.raises(ValueError, match=r"DTM|calendar"):
        Timestamp.parse(text)
    assert not Timestamp.from_wire(text).is_valid


def test_timestamp_of_datetime() -> None:
    moment = datetime(2026, 11, 22, 3, 4, 5, tzinfo=UTC)
    assert Timestamp.of(moment).value == "20261122030405"
    assert Timestamp.of(moment, Precision.DAY).value == "20261122"
    assert Timestamp.parse("20261122030405").to_datetime() == moment
