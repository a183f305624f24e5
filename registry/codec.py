"""`EbrimObjectCodec`: one registry object ↔ its standalone LeafClass ebRIM XML.

The registry stores every object in the form a query response returns it, so a response is
assembled from stored bytes. A SubmissionSet or Folder carries its package classification nested
inside the `rim:RegistryPackage`, which ebRIM allows and NIST, IPF and dcm4chee read, so each
object's XML stands on its own.
"""

from __future__ import annotations

import dataclasses

from lxml import etree

from schemas import vocabulary as v
from schemas.ebrim.rim import RimKind, RimObject, read_object, rim, write_object
from schemas.ebrim.transform import (
    association_from_rim,
    association_to_rim,
    document_entry_from_rim,
    document_entry_to_rim,
    folder_from_rim,
    folder_to_rim,
    submission_set_from_rim,
    submission_set_to_rim,
)
from schemas.ebrim.transform.common import node_classification
from schemas.model import (
    Association,
    DocumentEntry,
    Folder,
    RegistryObjectBase,
    SubmissionSet,
)
from schemas.xml import parse_xml

_KIND_BY_TAG = {rim(kind.value): kind for kind in RimKind}


class EbrimObjectCodec:
    """Implements `registry.interfaces.MetadataCodec` with the `schemas.ebrim` transforms."""

    def render(self, registry_object: RegistryObjectBase) -> bytes:
        holder = etree.Element(rim("RegistryObjectList"), nsmap={"rim": v.NS_RIM})
        element = write_object(holder, _to_rim(registry_object))
        return etree.tostring(element, encoding="UTF-8")

    def parse(self, xml: bytes) -> RegistryObjectBase:
        element = parse_xml(xml)
        kind = _KIND_BY_TAG.get(element.tag)
        if kind is None:
            raise ValueError(f"stored XML is not a registry object: {element.tag}")
        obj = read_object(element, kind)
        classifications = obj.classifications
        if kind is RimKind.EXTRINSIC_OBJECT:
            return document_entry_from_rim(obj, classifications)
        if kind is RimKind.ASSOCIATION:
            return association_from_rim(obj, classifications)
        if any(c.node == v.SS_CLASSIFICATION_NODE for c in classifications):
            return submission_set_from_rim(obj, classifications)
        return folder_from_rim(obj, classifications)


def _to_rim(registry_object: RegistryObjectBase) -> RimObject:
    match registry_object:
        case DocumentEntry():
            return document_entry_to_rim(registry_object)
        case SubmissionSet():
            package = submission_set_to_rim(registry_object)
            return _classified(package, v.SS_CLASSIFICATION_NODE)
        case Folder():
            return _classified(folder_to_rim(registry_object), v.FOLDER_CLASSIFICATION_NODE)
        case Association():
            return association_to_rim(registry_object)
        case _:
            raise TypeError(f"not a registry object XDS stores: {type(registry_object)}")


def _classified(package: RimObject, node: str) -> RimObject:
    """The package with its SubmissionSet or Folder classification nested inside."""
    marker = node_classification(package.id, node)
    return dataclasses.replace(package, classifications=(*package.classifications, marker))
