from __future__ import annotations

import dataclasses

import pytest

from schemas import vocabulary as v
from schemas.ebrim.rim import RimClassification, RimExternalIdentifier, RimKind, RimObject, RimSlot
from schemas.ebrim.transform import document_entry_from_rim, document_entry_to_rim
from schemas.model import AvailabilityStatus, Code, DocumentEntry, DocumentEntryType, Timestamp
from tests.support import xds_samples


def round_trip(entry: DocumentEntry) -> DocumentEntry:
    obj = document_entry_to_rim(entry)
    return document_entry_from_rim(obj, obj.classifications)


def test_every_field_survives_a_round_trip() -> None:
    entry = xds_samples.document_entry()
    assert round_trip(entry) == entry


def test_wire_form_of_attributes_slots_and_identifiers() -> None:
    entry = xds_samples.document_entry()
    obj = document_entry_to_rim(entry)
    assert obj.kind is RimKind.EXTRINSIC_OBJECT
    assert obj.object_type == v.OBJECT_TYPE_STABLE_DOCUMENT
    assert obj.mime_type == "application/pdf"
    assert (obj.id, obj.lid, obj.version_name) == (entry.entry_uuid, entry.logical_id, "2")
    assert obj.status == v.STATUS_APPROVED
    assert obj.home == "urn:oid:2.16.578.1.12.4.5.100.1.1"
    assert obj.slot_values(v.SLOT_CREATION_TIME) == ("20250101120000",)
    assert obj.slot_values(v.SLOT_SIZE) == ("1024",)
    assert obj.slot_values(v.SLOT_SOURCE_PATIENT_ID) == (
        "15838510075^^^&2.16.578.1.12.4.1.4.1&ISO",
    )
    assert len(obj.slot_values(v.SLOT_REFERENCE_ID_LIST)) == 2
    patient_ids = obj.external_identifiers_by_scheme(v.DE_PATIENT_ID)
    unique_ids = obj.external_identifiers_by_scheme(v.DE_UNIQUE_ID)
    assert [e.value for e in patient_ids] == ["15838510075^^^&2.16.578.1.12.4.1.4.1&ISO"]
    assert patient_ids[0].name[0].value == v.NAME_DE_PATIENT_ID
    assert [e.value for e in unique_ids] == [entry.unique_id]
    assert unique_ids[0].name[0].value == v.NAME_DE_UNIQUE_ID
    assert all(e.registry_object == entry.entry_uuid for e in obj.external_identifiers)


def test_extra_slots_follow_the_xds_slots_and_keep_their_type() -> None:
    obj = document_entry_to_rim(xds_samples.document_entry())
    assert obj.slots[-1] == RimSlot("urn:no:nhn:extra", ("a", "b"), "String")
    assert {s.name for s in obj.slots[:-1]} == v.DOCUMENT_ENTRY_SLOTS


def test_codes_are_classifications_with_coding_scheme_and_name() -> None:
    obj = document_entry_to_rim(xds_samples.document_entry())
    (class_code,) = obj.classifications_by_scheme(v.DE_CLASS_CODE)
    assert class_code.node_representation == "A00-1"
    assert class_code.slots == (RimSlot(v.SLOT_CODING_SCHEME, ("2.16.578.1.12.4.1.1.9602",)),)
    assert class_code.name[0].value == "Epikrise"
    assert class_code.classified_object == obj.id
    assert len(obj.classifications_by_scheme(v.DE_CONFIDENTIALITY_CODE)) == 2
    assert len(obj.classifications_by_scheme(v.DE_EVENT_CODE)) == 2
    assert len(obj.classifications_by_scheme(v.DE_AUTHOR)) == 2


def test_limited_metadata_is_written_as_classification_node_and_read_in_either_form() -> None:
    obj = document_entry_to_rim(xds_samples.document_entry())
    flags = [c for c in obj.classifications if c.node == v.DE_LIMITED_METADATA]
    assert len(flags) == 1
    assert flags[0].scheme is None
    ipf_form = RimClassification(id="x", classified_object=obj.id, scheme=v.DE_LIMITED_METADATA)
    plain = RimObject(kind=RimKind.EXTRINSIC_OBJECT, id="Document01")
    assert document_entry_from_rim(plain, (ipf_form,)).limited_metadata
    assert not document_entry_from_rim(plain, ()).limited_metadata


def test_child_ids_are_deterministic_distinct_uuids() -> None:
    entry = xds_samples.document_entry()
    first, second = document_entry_to_rim(entry), document_entry_to_rim(entry)
    ids = [c.id for c in first.classifications] + [e.id for e in first.external_identifiers]
    assert ids == [c.id for c in second.classifications] + [
        e.id for e in second.external_identifiers
    ]
    assert len(set(ids)) == len(ids)
    assert all(i.startswith(v.UUID_PREFIX) for i in ids)
    other = document_entry_to_rim(dataclasses.replace(entry, entry_uuid="Document02"))
    assert not set(ids) & {c.id for c in other.classifications}


def test_on_demand_entry_type() -> None:
    entry = dataclasses.replace(
        xds_samples.document_entry(), entry_type=DocumentEntryType.ON_DEMAND
    )
    assert document_entry_to_rim(entry).object_type == v.OBJECT_TYPE_ON_DEMAND_DOCUMENT
    assert round_trip(entry).is_on_demand


def test_versioning_fields() -> None:
    entry = dataclasses.replace(
        xds_samples.document_entry(), logical_id="urn:uuid:lid", version="7", status=None
    )
    again = round_trip(entry)
    assert (again.logical_id, again.version, again.status) == ("urn:uuid:lid", "7", None)


@pytest.mark.parametrize(
    ("slot", "value", "field", "expected"),
    [
        (v.SLOT_CREATION_TIME, "2025-01-01", "creation_time", Timestamp("2025-01-01")),
        (v.SLOT_CREATION_TIME, "20250101120000+0100", "creation_time", Timestamp("20250101110000")),
        (v.SLOT_SIZE, "12a", "size", None),
        (v.SLOT_SIZE, "5_000", "size", None),
        (v.SLOT_SIZE, "007", "size", 7),
        (v.SLOT_SIZE, "", "size", None),
    ],
)
def test_odd_slot_values_never_raise(slot: str, value: str, field: str, expected: object) -> None:
    obj = RimObject(
        kind=RimKind.EXTRINSIC_OBJECT, id="Document01", slots=(RimSlot(slot, (value,)),)
    )
    assert getattr(document_entry_from_rim(obj, ()), field) == expected


def test_invalid_timestamp_stays_raw_and_round_trips() -> None:
    entry = dataclasses.replace(
        xds_samples.document_entry(), creation_time=Timestamp.from_wire("yesterday")
    )
    again = round_trip(entry)
    assert again.creation_time == Timestamp("yesterday")
    assert again.creation_time is not None
    assert not again.creation_time.is_valid


def test_unknown_status_and_object_type_read_as_none_and_stable() -> None:
    obj = RimObject(
        kind=RimKind.EXTRINSIC_OBJECT,
        id="Document01",
        status="urn:example:StatusType:Archived",
        object_type="urn:uuid:00000000-0000-0000-0000-000000000000",
    )
    entry = document_entry_from_rim(obj, ())
    assert entry.status is None
    assert entry.entry_type is DocumentEntryType.STABLE


def test_an_empty_extrinsic_object_reads_as_defaults() -> None:
    entry = document_entry_from_rim(RimObject(kind=RimKind.EXTRINSIC_OBJECT), ())
    assert entry == DocumentEntry(entry_uuid="")
    assert round_trip(entry) == entry


def test_reading_takes_the_first_of_repeated_values() -> None:
    obj = RimObject(
        kind=RimKind.EXTRINSIC_OBJECT,
        id="Document01",
        status=v.STATUS_DEPRECATED,
        slots=(RimSlot(v.SLOT_HASH, ("a", "b")),),
        external_identifiers=(
            RimExternalIdentifier(scheme=v.DE_UNIQUE_ID, value="1.2.3"),
            RimExternalIdentifier(scheme=v.DE_UNIQUE_ID, value="1.2.4"),
        ),
    )
    classifications = (
        RimClassification(scheme=v.DE_CLASS_CODE, node_representation="first"),
        RimClassification(scheme=v.DE_CLASS_CODE, node_representation="second"),
    )
    entry = document_entry_from_rim(obj, classifications)
    assert (entry.hash, entry.unique_id, entry.status) == (
        "a",
        "1.2.3",
        AvailabilityStatus.DEPRECATED,
    )
    assert entry.class_code == Code("first", "")


def test_code_without_coding_scheme_writes_no_slot() -> None:
    entry = dataclasses.replace(xds_samples.document_entry(), class_code=Code("X", ""))
    (classification,) = document_entry_to_rim(entry).classifications_by_scheme(v.DE_CLASS_CODE)
    assert classification.slots == ()
    assert round_trip(entry).class_code == Code("X", "")
