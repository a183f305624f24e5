from __future__ import annotations

from schemas import vocabulary as v
from schemas.ebrim.rim import RimClassification, RimSlot
from schemas.ebrim.transform import author_from_rim, author_to_rim
from schemas.model import Author, Slot, Xcn, Xon, Xtn
from tests.support import xds_samples


def test_author_round_trip_with_extra_slot() -> None:
    author = xds_samples.author()
    classification = author_to_rim(author, owner="Document01", scheme=v.DE_AUTHOR, index=0)
    assert author_from_rim(classification) == author


def test_author_wire_form() -> None:
    classification = author_to_rim(
        xds_samples.author(), owner="Document01", scheme=v.SS_AUTHOR, index=3
    )
    assert classification.scheme == v.SS_AUTHOR
    assert classification.node_representation == ""
    assert classification.classified_object == "Document01"
    names = [s.name for s in classification.slots]
    assert names == [
        v.SLOT_AUTHOR_PERSON,
        v.SLOT_AUTHOR_INSTITUTION,
        v.SLOT_AUTHOR_ROLE,
        v.SLOT_AUTHOR_SPECIALTY,
        v.SLOT_AUTHOR_TELECOMMUNICATION,
        "urn:no:nhn:author:hpr",
    ]
    assert classification.slots[0].values == (
        "565505933^Lege^Kari^^^^^^&2.16.578.1.12.4.1.4.4&ISO",
    )


def test_author_from_ipf_sample_slots() -> None:
    classification = RimClassification(
        scheme=v.DE_AUTHOR,
        slots=(
            RimSlot(v.SLOT_AUTHOR_PERSON, ("Gerald Smitty",)),
            RimSlot(v.SLOT_AUTHOR_INSTITUTION, ("Cleveland Clinic", "Parma Community")),
            RimSlot("authorSpeciality", ("Orthopedic",)),  # misspelt: kept as an extra slot
        ),
    )
    author = author_from_rim(classification)
    assert author.person == Xcn("Gerald Smitty")
    assert author.institutions == (Xon("Cleveland Clinic"), Xon("Parma Community"))
    assert author.specialties == ()
    assert author.extra_slots == (Slot("authorSpeciality", ("Orthopedic",)),)


def test_author_without_person_and_only_telecom() -> None:
    author = Author(telecommunications=(Xtn.parse("^^Internet^a@example.org"),))
    classification = author_to_rim(author, owner="o", scheme=v.DE_AUTHOR, index=0)
    assert [s.name for s in classification.slots] == [v.SLOT_AUTHOR_TELECOMMUNICATION]
    assert author_from_rim(classification) == author
