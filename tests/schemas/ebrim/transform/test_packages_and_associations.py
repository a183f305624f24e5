from __future__ import annotations

import dataclasses

from schemas import vocabulary as v
from schemas.ebrim.rim import RimSlot
from schemas.ebrim.transform import (
    association_from_rim,
    association_to_rim,
    folder_from_rim,
    folder_to_rim,
    submission_set_from_rim,
    submission_set_to_rim,
)
from schemas.model import AssociationType, Slot
from tests.support import xds_samples


def test_submission_set_round_trip_and_wire_form() -> None:
    ss = xds_samples.submission_set()
    obj = submission_set_to_rim(ss)
    assert submission_set_from_rim(obj, obj.classifications) == ss
    assert obj.object_type == v.OBJECT_TYPE_REGISTRY_PACKAGE
    identifiers = {e.scheme: (e.value, e.name[0].value) for e in obj.external_identifiers}
    assert identifiers == {
        v.SS_UNIQUE_ID: (ss.unique_id, v.NAME_SS_UNIQUE_ID),
        v.SS_SOURCE_ID: (ss.source_id, v.NAME_SS_SOURCE_ID),
        v.SS_PATIENT_ID: ("15838510075^^^&2.16.578.1.12.4.1.4.1&ISO", v.NAME_SS_PATIENT_ID),
    }
    assert obj.slot_values(v.SLOT_SUBMISSION_TIME) == ("20250101120500",)
    assert len(obj.classifications_by_scheme(v.SS_AUTHOR)) == 1
    assert len(obj.classifications_by_scheme(v.SS_CONTENT_TYPE_CODE)) == 1
    assert any(c.node == v.SS_LIMITED_METADATA for c in obj.classifications)
    # The SubmissionSet classification itself is written top-level by metadata_to_rim.
    assert not any(c.node == v.SS_CLASSIFICATION_NODE for c in obj.classifications)


def test_xds_slot_of_another_kind_is_extra_metadata() -> None:
    obj = submission_set_to_rim(xds_samples.submission_set())
    obj = dataclasses.replace(obj, slots=(*obj.slots, RimSlot(v.SLOT_CREATION_TIME, ("2025",))))
    ss = submission_set_from_rim(obj, obj.classifications)
    assert ss.extra_slots[-1] == Slot(v.SLOT_CREATION_TIME, ("2025",))


def test_folder_round_trip_and_wire_form() -> None:
    folder = xds_samples.folder()
    obj = folder_to_rim(folder)
    assert folder_from_rim(obj, obj.classifications) == folder
    assert len(obj.classifications_by_scheme(v.FOLDER_CODE_LIST)) == 2
    assert obj.slot_values(v.SLOT_LAST_UPDATE_TIME) == ("20250102",)
    assert {e.scheme for e in obj.external_identifiers} == {v.FOLDER_UNIQUE_ID, v.FOLDER_PATIENT_ID}


def test_association_round_trip_and_wire_form() -> None:
    association = xds_samples.replacement()
    obj = association_to_rim(association)
    assert association_from_rim(obj, obj.classifications) == association
    assert obj.object_type == v.OBJECT_TYPE_ASSOCIATION
    assert (obj.association_type, obj.source_object, obj.target_object) == (
        v.ASSOC_REPLACE,
        association.source,
        association.target,
    )
    assert obj.slot_values(v.SLOT_PREVIOUS_VERSION) == ("1",)
    assert obj.slot_values(v.SLOT_ORIGINAL_STATUS) == (v.STATUS_APPROVED,)
    assert obj.slot_values(v.SLOT_NEW_STATUS) == (v.STATUS_DEPRECATED,)
    assert obj.slot_values(v.SLOT_ASSOCIATION_PROPAGATION) == ("no",)
    assert obj.slot_values("urn:no:nhn:reason") == ("korrigert",)
    (documentation,) = obj.classifications_by_scheme(v.ASSOCIATION_DOCUMENTATION)
    assert documentation.node_representation == "korrigert"


def test_association_type_not_defined_by_xds_is_kept() -> None:
    association = dataclasses.replace(
        xds_samples.replacement(), association_type="urn:example:AssociationType:Cites"
    )
    again = association_from_rim(association_to_rim(association), ())
    assert again.association_type == "urn:example:AssociationType:Cites"
    assert again.kind is None
    assert association_from_rim(association_to_rim(xds_samples.replacement()), ()).kind is (
        AssociationType.REPLACE
    )
