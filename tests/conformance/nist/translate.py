"""ebRS 2.1 `SubmitObjectsRequest` → ebRS 3.0 `lcm:SubmitObjectsRequest`, as the NIST toolkit does.

The toolkit sends most Register/PnR metadata files through `TranslateToV3` (NIST
`registry-metadata/.../TranslateToV3.java`, guide §1.2). This is the same translation:
- `rs:SubmitObjectsRequest`/`rim:LeafRegistryObjectList` (2.1) become
  `lcm:SubmitObjectsRequest`/`rim:RegistryObjectList` in the 3.0 namespaces;
- every `ObjectRef` is dropped (in these files they name the XDS classification schemes, or an
  existing object that an association points at anyway);
- short association types (`HasMember`, `RPLC`, …) become their URNs and short statuses get the
  `StatusType` prefix; `majorVersion`/`minorVersion` (2.1 only) are dropped;
- every object gets an `id` (fresh symbolic `id_N` where missing) and the ebRIM `objectType`;
  nested Classifications get `classifiedObject` and ExternalIdentifiers `registryObject`;
- children are written in the 3.0 order: Slot, Name, Description, VersionInfo, Classification,
  ExternalIdentifier.
A request already in ebRS 3.0 goes through the same normalisation (it is idempotent on valid 3.0).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import count

from lxml import etree

from schemas import vocabulary as v
from schemas.ebrim.rim import XML_LANG

_OBJECT_TYPES = {
    "RegistryPackage": v.OBJECT_TYPE_REGISTRY_PACKAGE,
    "Association": v.OBJECT_TYPE_ASSOCIATION,
    "Classification": v.OBJECT_TYPE_CLASSIFICATION,
    "ExternalIdentifier": v.OBJECT_TYPE_EXTERNAL_IDENTIFIER,
}
_ASSOCIATION_TYPES = {
    urn.rsplit(":", 1)[-1]: urn
    for urn in (
        v.ASSOC_HAS_MEMBER,
        v.ASSOC_REPLACE,
        v.ASSOC_APPEND,
        v.ASSOC_TRANSFORM,
        v.ASSOC_TRANSFORM_REPLACE,
        v.ASSOC_SIGNS,
    )
}
_STATUS_PREFIX = v.STATUS_APPROVED.rsplit(":", 1)[0] + ":"
_CHILD_ORDER = (
    "Slot",
    "Name",
    "Description",
    "VersionInfo",
    "Classification",
    "ExternalIdentifier",
)
_NESTED_OBJECTS = frozenset({"Classification", "ExternalIdentifier"})
_TOP_LEVEL = frozenset({"ExtrinsicObject", "RegistryPackage", "Association", "Classification"})
_NEEDS_ID = frozenset({"Association", "Classification", "ExternalIdentifier"})
_DROPPED_ATTRIBUTES = frozenset({"majorVersion", "minorVersion"})
_REQUESTS = {f"{{{v.NS_RS21}}}SubmitObjectsRequest", f"{{{v.NS_LCM}}}SubmitObjectsRequest"}
_OBJECT_LISTS = {f"{{{v.NS_RIM21}}}LeafRegistryObjectList", f"{{{v.NS_RIM}}}RegistryObjectList"}


class TranslationError(ValueError):
    """Metadata the translation does not know how to carry into ebRS 3.0."""


def _rim(tag: str) -> str:
    return f"{{{v.NS_RIM}}}{tag}"


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def attributes(element: etree._Element) -> list[tuple[str, str]]:
    """The attributes as text (lxml's `attrib` is typed as holding `str | bytes`)."""
    return [(str(name), str(value)) for name, value in element.attrib.items()]


def _children(element: etree._Element) -> Iterator[etree._Element]:
    return element.iterchildren(tag=etree.Element)


class _SymbolicIds:
    """`id_1`, `id_2`, … skipping ids the document already uses."""

    def __init__(self, taken: set[str]) -> None:
        self._taken = taken
        self._numbers = count(1)

    def next(self) -> str:
        while (candidate := f"id_{next(self._numbers)}") in self._taken:
            pass
        self._taken.add(candidate)
        return candidate


def _association_type(value: str) -> str:
    if ":" in value:  # already a URN
        return value
    if value not in _ASSOCIATION_TYPES:
        raise TranslationError(f"unknown ebRS 2.1 association type {value!r}")
    return _ASSOCIATION_TYPES[value]


def _copy_attributes(source: etree._Element, target: etree._Element) -> None:
    for name, value in attributes(source):
        if name in _DROPPED_ATTRIBUTES:
            continue
        if name == "lang":  # ebRS 2.1 LocalizedString wrote it without the xml: prefix
            target.set(XML_LANG, value)
        elif name == "associationType":
            target.set(name, _association_type(value))
        elif name == "status" and ":" not in value:
            target.set(name, _STATUS_PREFIX + value)
        else:
            target.set(name, value)


def _copy_plain(source: etree._Element, parent: etree._Element) -> None:
    """Slot, Name, Description, VersionInfo and what they hold, moved into the 3.0 namespace."""
    target = etree.SubElement(parent, _rim(_local(source)))
    _copy_attributes(source, target)
    target.text = source.text
    for child in _children(source):
        _copy_plain(child, target)


def _translate_object(
    source: etree._Element, parent: etree._Element, ids: _SymbolicIds, owner: str | None = None
) -> None:
    kind = _local(source)
    target = etree.SubElement(parent, _rim(kind))
    _copy_attributes(source, target)
    if kind in _OBJECT_TYPES:
        target.set("objectType", _OBJECT_TYPES[kind])
    if kind in _NEEDS_ID and not target.get("id"):
        target.set("id", ids.next())
    if kind == "Classification" and owner is not None and not target.get("classifiedObject"):
        target.set("classifiedObject", owner)
    if kind == "ExternalIdentifier" and owner is not None:
        target.set("registryObject", owner)
    children = list(_children(source))
    unknown = {_local(c) for c in children} - set(_CHILD_ORDER)
    if unknown:
        raise TranslationError(f"<{kind} id={target.get('id')!r}> holds unknown {sorted(unknown)}")
    for name in _CHILD_ORDER:
        for child in (c for c in children if _local(c) == name):
            if name in _NESTED_OBJECTS:
                _translate_object(child, target, ids, owner=target.get("id"))
            else:
                _copy_plain(child, target)


def translate_to_v3(request: etree._Element) -> etree._Element:
    """A new ebRS 3.0 `lcm:SubmitObjectsRequest` carrying what `request` (2.1 or 3.0) carries."""
    if request.tag not in _REQUESTS:
        raise TranslationError(f"not a SubmitObjectsRequest: <{request.tag}>")
    lists = list(_children(request))
    if len(lists) != 1 or lists[0].tag not in _OBJECT_LISTS:
        raise TranslationError("a SubmitObjectsRequest holds exactly one registry object list")
    taken = {value for e in request.iter(tag=etree.Element) if (value := e.get("id"))}
    ids = _SymbolicIds(taken)
    translated = etree.Element(
        f"{{{v.NS_LCM}}}SubmitObjectsRequest", nsmap={"lcm": v.NS_LCM, "rim": v.NS_RIM}
    )
    object_list = etree.SubElement(translated, _rim("RegistryObjectList"))
    for child in _children(lists[0]):
        kind = _local(child)
        if kind == "ObjectRef":
            continue
        if kind not in _TOP_LEVEL:
            raise TranslationError(f"unexpected <{kind}> in the registry object list")
        _translate_object(child, object_list, ids)
    return translated
