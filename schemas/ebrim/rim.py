"""Generic ebRIM 3.0 registry objects, read from and written to lxml elements (sans-IO).

This is the wire model: what a `rim:RegistryObjectList` literally holds, before it is read as XDS
objects. Validation runs here (multiplicities, required slots and classifications, formats), as in
IPF's ebXML layer; `schemas.ebrim.transform` then maps it to and from `schemas.model`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache

from lxml import etree

from schemas import vocabulary as v
from schemas.model.common import InternationalString, LocalizedString

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@cache
def rim(tag: str) -> str:
    """The Clark name of an ebRIM element (a handful of tags, computed once each)."""
    return f"{{{v.NS_RIM}}}{tag}"


class RimKind(StrEnum):
    EXTRINSIC_OBJECT = "ExtrinsicObject"
    REGISTRY_PACKAGE = "RegistryPackage"
    ASSOCIATION = "Association"


@dataclass(frozen=True, slots=True)
class RimSlot:
    name: str
    values: tuple[str, ...]
    slot_type: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RimClassification:
    id: str = ""
    classified_object: str = ""
    scheme: str | None = None
    node: str | None = None
    node_representation: str | None = None
    name: InternationalString = ()
    description: InternationalString = ()
    slots: tuple[RimSlot, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class RimExternalIdentifier:
    id: str = ""
    registry_object: str = ""
    scheme: str = ""
    value: str = ""
    name: InternationalString = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class RimObject:
    """An ExtrinsicObject, RegistryPackage or Association with everything it carries."""

    kind: RimKind
    id: str = ""
    lid: str | None = None
    object_type: str | None = None
    status: str | None = None
    home: str | None = None
    name: InternationalString = ()
    description: InternationalString = ()
    version_name: str | None = None
    slots: tuple[RimSlot, ...] = ()
    classifications: tuple[RimClassification, ...] = ()
    external_identifiers: tuple[RimExternalIdentifier, ...] = ()
    mime_type: str | None = None
    is_opaque: str | None = None
    association_type: str | None = None
    source_object: str | None = None
    target_object: str | None = None

    def slot(self, name: str) -> RimSlot | None:
        return next((s for s in self.slots if s.name == name), None)

    def slot_values(self, name: str) -> tuple[str, ...]:
        return tuple(val for s in self.slots if s.name == name for val in s.values)

    def first_slot_value(self, name: str) -> str | None:
        values = self.slot_values(name)
        return values[0] if values else None

    def classifications_by_scheme(self, scheme: str) -> tuple[RimClassification, ...]:
        return tuple(c for c in self.classifications if c.scheme == scheme)

    def external_identifiers_by_scheme(self, scheme: str) -> tuple[RimExternalIdentifier, ...]:
        return tuple(e for e in self.external_identifiers if e.scheme == scheme)


@dataclass(frozen=True, slots=True)
class RimObjectRef:
    id: str
    home: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RimObjectList:
    """A `rim:RegistryObjectList`.

    `classifications` are the top-level `rim:Classification`s (in XDS: the ones marking a
    RegistryPackage as SubmissionSet or Folder). `unsupported` names any other element found.
    """

    objects: tuple[RimObject, ...] = ()
    classifications: tuple[RimClassification, ...] = ()
    object_refs: tuple[RimObjectRef, ...] = ()
    unsupported: tuple[str, ...] = field(default=())

    def of_kind(self, kind: RimKind) -> Iterator[RimObject]:
        return (o for o in self.objects if o.kind is kind)

    def all_classifications_of(self, obj: RimObject) -> Iterator[RimClassification]:
        yield from obj.classifications
        yield from (c for c in self.classifications if c.classified_object == obj.id)

    def is_classified_as(self, obj: RimObject, node: str) -> bool:
        return any(c.node == node for c in self.all_classifications_of(obj))

    def submission_sets(self) -> Iterator[RimObject]:
        return (
            o
            for o in self.of_kind(RimKind.REGISTRY_PACKAGE)
            if self.is_classified_as(o, v.SS_CLASSIFICATION_NODE)
        )

    def folders(self) -> Iterator[RimObject]:
        return (
            o
            for o in self.of_kind(RimKind.REGISTRY_PACKAGE)
            if self.is_classified_as(o, v.FOLDER_CLASSIFICATION_NODE)
        )


# --------------------------------------------------------------------------- reading


def read_international(element: etree._Element | None) -> InternationalString:
    if element is None:
        return ()
    return tuple(
        LocalizedString(ls.get("value", ""), ls.get(XML_LANG), ls.get("charset"))
        for ls in element.iterchildren(rim("LocalizedString"))
    )


def read_slot(element: etree._Element) -> RimSlot:
    values = tuple(
        (value.text or "").strip()
        for value_list in element.iterchildren(rim("ValueList"))
        for value in value_list.iterchildren(rim("Value"))
    )
    return RimSlot(element.get("name", ""), values, element.get("slotType"))


def read_slots(element: etree._Element) -> tuple[RimSlot, ...]:
    return tuple(read_slot(s) for s in element.iterchildren(rim("Slot")))


def _scheme(value: str | None) -> str | None:
    """A scheme UUID without the stray blanks some samples carry (`…-8c96- df48…`)."""
    return None if value is None else value.replace(" ", "")


def read_classification(element: etree._Element) -> RimClassification:
    return RimClassification(
        id=element.get("id", ""),
        classified_object=element.get("classifiedObject", ""),
        scheme=_scheme(element.get("classificationScheme")),
        node=element.get("classificationNode"),
        node_representation=element.get("nodeRepresentation"),
        name=read_international(element.find(rim("Name"))),
        description=read_international(element.find(rim("Description"))),
        slots=read_slots(element),
    )


def read_external_identifier(element: etree._Element) -> RimExternalIdentifier:
    return RimExternalIdentifier(
        id=element.get("id", ""),
        registry_object=element.get("registryObject", ""),
        scheme=_scheme(element.get("identificationScheme")) or "",
        value=element.get("value", ""),
        name=read_international(element.find(rim("Name"))),
    )


def read_object(element: etree._Element, kind: RimKind) -> RimObject:
    version = element.find(rim("VersionInfo"))
    return RimObject(
        kind=kind,
        id=element.get("id", ""),
        lid=element.get("lid"),
        object_type=element.get("objectType"),
        status=element.get("status"),
        home=element.get("home"),
        name=read_international(element.find(rim("Name"))),
        description=read_international(element.find(rim("Description"))),
        version_name=None if version is None else version.get("versionName"),
        slots=read_slots(element),
        classifications=tuple(
            read_classification(c) for c in element.iterchildren(rim("Classification"))
        ),
        external_identifiers=tuple(
            read_external_identifier(e) for e in element.iterchildren(rim("ExternalIdentifier"))
        ),
        mime_type=element.get("mimeType"),
        is_opaque=element.get("isOpaque"),
        association_type=element.get("associationType"),
        source_object=element.get("sourceObject"),
        target_object=element.get("targetObject"),
    )


_KIND_BY_TAG = {rim(kind.value): kind for kind in RimKind}


def read_object_list(element: etree._Element | None) -> RimObjectList:
    """Read a `rim:RegistryObjectList` (None reads as an empty list)."""
    if element is None:
        return RimObjectList()
    objects: list[RimObject] = []
    classifications: list[RimClassification] = []
    refs: list[RimObjectRef] = []
    unsupported: list[str] = []
    for child in element.iterchildren("*"):  # elements only, no comments or PIs
        if child.tag in _KIND_BY_TAG:
            objects.append(read_object(child, _KIND_BY_TAG[child.tag]))
        elif child.tag == rim("Classification"):
            classifications.append(read_classification(child))
        elif child.tag == rim("ObjectRef"):
            refs.append(RimObjectRef(child.get("id", ""), child.get("home")))
        else:
            unsupported.append(etree.QName(child).localname)
    return RimObjectList(
        objects=tuple(objects),
        classifications=tuple(classifications),
        object_refs=tuple(refs),
        unsupported=tuple(unsupported),
    )


# --------------------------------------------------------------------------- writing


def _set(element: etree._Element, name: str, value: str | None) -> None:
    if value is not None:
        element.set(name, value)


def write_international(
    parent: etree._Element, tag: str, value: InternationalString
) -> etree._Element | None:
    if not value:
        return None
    element = etree.SubElement(parent, rim(tag))
    for localized in value:
        ls = etree.SubElement(element, rim("LocalizedString"))
        _set(ls, XML_LANG, localized.lang)
        _set(ls, "charset", localized.charset)
        ls.set("value", localized.value)
    return element


def write_slots(parent: etree._Element, slots: Iterable[RimSlot]) -> None:
    for slot in slots:
        element = etree.SubElement(parent, rim("Slot"), name=slot.name)
        _set(element, "slotType", slot.slot_type)
        value_list = etree.SubElement(element, rim("ValueList"))
        for value in slot.values:
            etree.SubElement(value_list, rim("Value")).text = value


def write_classification(parent: etree._Element, c: RimClassification) -> etree._Element:
    element = etree.SubElement(parent, rim("Classification"))
    element.set("id", c.id)
    element.set("objectType", v.OBJECT_TYPE_CLASSIFICATION)
    _set(element, "classificationScheme", c.scheme)
    element.set("classifiedObject", c.classified_object)
    _set(element, "classificationNode", c.node)
    _set(element, "nodeRepresentation", c.node_representation)
    write_slots(element, c.slots)
    write_international(element, "Name", c.name)
    write_international(element, "Description", c.description)
    return element


def write_external_identifier(parent: etree._Element, e: RimExternalIdentifier) -> None:
    element = etree.SubElement(parent, rim("ExternalIdentifier"))
    element.set("id", e.id)
    element.set("objectType", v.OBJECT_TYPE_EXTERNAL_IDENTIFIER)
    element.set("registryObject", e.registry_object)
    element.set("identificationScheme", e.scheme)
    element.set("value", e.value)
    write_international(element, "Name", e.name)


def write_object(parent: etree._Element, o: RimObject) -> etree._Element:
    element = etree.SubElement(parent, rim(o.kind.value))
    element.set("id", o.id)
    _set(element, "lid", o.lid)
    _set(element, "objectType", o.object_type)
    _set(element, "status", o.status)
    _set(element, "home", o.home)
    _set(element, "mimeType", o.mime_type)
    _set(element, "isOpaque", o.is_opaque)
    _set(element, "associationType", o.association_type)
    _set(element, "sourceObject", o.source_object)
    _set(element, "targetObject", o.target_object)
    write_slots(element, o.slots)
    write_international(element, "Name", o.name)
    write_international(element, "Description", o.description)
    if o.version_name is not None:
        etree.SubElement(element, rim("VersionInfo"), versionName=o.version_name)
    for classification in o.classifications:
        write_classification(element, classification)
    for identifier in o.external_identifiers:
        write_external_identifier(element, identifier)
    return element


def write_object_list(parent: etree._Element, object_list: RimObjectList) -> etree._Element:
    """Append a `rim:RegistryObjectList` to `parent`: ObjectRefs first, then objects."""
    element = etree.SubElement(parent, rim("RegistryObjectList"))
    for ref in object_list.object_refs:
        ref_element = etree.SubElement(element, rim("ObjectRef"), id=ref.id)
        _set(ref_element, "home", ref.home)
    for obj in object_list.objects:
        write_object(element, obj)
    for classification in object_list.classifications:
        write_classification(element, classification)
    return element
