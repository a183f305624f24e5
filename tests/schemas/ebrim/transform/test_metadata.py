from __future__ import annotations

from lxml import etree

from schemas import vocabulary as v
from schemas.ebrim.rim import (
    RimClassification,
    RimKind,
    RimObject,
    RimObjectList,
    RimObjectRef,
    read_object_list,
    write_object_list,
)
from schemas.ebrim.transform import metadata_from_rim, metadata_to_rim
from schemas.model import Code, ObjectRef, XdsMetadata
from tests.support import xds_samples


def full_metadata() -> XdsMetadata:
    de = xds_samples.document_entry()
    ss = xds_samples.submission_set()
    folder = xds_samples.folder()
    return XdsMetadata(
        submission_sets=(ss,),
        document_entries=(de,),
        folders=(folder,),
        associations=(
            xds_samples.has_member(ss.entry_uuid, de.entry_uuid),
            xds_samples.has_member(ss.entry_uuid, folder.entry_uuid),
            xds_samples.has_member(folder.entry_uuid, de.entry_uuid),
            xds_samples.replacement(),
        ),
        object_refs=(ObjectRef("urn:uuid:12345678-1234-4123-8123-123456789abc", "urn:oid:1.2.3"),),
    )


def test_metadata_round_trips_through_xml() -> None:
    metadata = full_metadata()
    parent = etree.Element("parent")
    write_object_list(parent, metadata_to_rim(metadata))
    reparsed = etree.fromstring(etree.tostring(parent))
    assert metadata_from_rim(read_object_list(reparsed[0])) == metadata


def test_package_classifications_are_top_level() -> None:
    objects = metadata_to_rim(full_metadata())
    nodes = {(c.classified_object, c.node) for c in objects.classifications}
    assert nodes == {
        (xds_samples.SUBMISSION_SET_UUID, v.SS_CLASSIFICATION_NODE),
        (xds_samples.FOLDER_UUID, v.FOLDER_CLASSIFICATION_NODE),
    }
    assert objects.object_refs == (
        RimObjectRef("urn:uuid:12345678-1234-4123-8123-123456789abc", "urn:oid:1.2.3"),
    )


def package(package_id: str, *nested: RimClassification) -> RimObject:
    return RimObject(kind=RimKind.REGISTRY_PACKAGE, id=package_id, classifications=nested)


def test_package_kind_comes_from_nested_or_top_level_node() -> None:
    nested = package("SS", RimClassification(classified_object="SS", node=v.SS_CLASSIFICATION_NODE))
    top = package("F")
    neither = package("P")
    both = package("B", RimClassification(classified_object="B", node=v.SS_CLASSIFICATION_NODE))
    objects = RimObjectList(
        objects=(nested, top, neither, both),
        classifications=(
            RimClassification(classified_object="F", node=v.FOLDER_CLASSIFICATION_NODE),
            RimClassification(classified_object="B", node=v.FOLDER_CLASSIFICATION_NODE),
        ),
    )
    metadata = metadata_from_rim(objects)
    assert [s.entry_uuid for s in metadata.submission_sets] == ["SS", "B"]
    assert [f.entry_uuid for f in metadata.folders] == ["F"]  # "P" has no XDS meaning


def test_top_level_code_classification_counts_for_its_object() -> None:
    entry = RimObject(kind=RimKind.EXTRINSIC_OBJECT, id="Document01")
    objects = RimObjectList(
        objects=(entry,),
        classifications=(
            RimClassification(
                classified_object="Document01", scheme=v.DE_TYPE_CODE, node_representation="T"
            ),
        ),
    )
    (document,) = metadata_from_rim(objects).document_entries
    assert document.type_code == Code("T", "")


def test_object_ref_only_list() -> None:
    objects = RimObjectList(object_refs=(RimObjectRef("urn:uuid:a"), RimObjectRef("urn:uuid:b")))
    metadata = metadata_from_rim(objects)
    assert metadata.object_refs == (ObjectRef("urn:uuid:a"), ObjectRef("urn:uuid:b"))
    assert not list(metadata.registry_objects())
    assert metadata_to_rim(metadata) == objects
