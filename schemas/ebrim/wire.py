"""Shared plumbing of the ebRS 3.0 message codecs: qualified names, required structure, slots.

A payload that is not the expected message, or lacks structure its XSD requires, raises a
`SoapFault` (Sender) naming what is wrong: such a body is not a valid instance of the WSDL
message, so there is nothing to answer with a RegistryResponse.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from schemas import vocabulary as v
from schemas.ebrim.rim import read_slots, write_slots
from schemas.ebrim.transform import slots_from_rim, slots_to_rim
from schemas.model.common import Slot
from schemas.soap import sender_fault

_PREFIX_OF = {namespace: prefix for prefix, namespace in v.NSMAP.items()}


def lcm(tag: str) -> str:
    return f"{{{v.NS_LCM}}}{tag}"


def query(tag: str) -> str:
    return f"{{{v.NS_QUERY}}}{tag}"


def rs(tag: str) -> str:
    return f"{{{v.NS_RS}}}{tag}"


def xdsb(tag: str) -> str:
    return f"{{{v.NS_XDSB}}}{tag}"


def rmd(tag: str) -> str:
    return f"{{{v.NS_RMD}}}{tag}"


def xop(tag: str) -> str:
    return f"{{{v.NS_XOP}}}{tag}"


def display_name(tag: str) -> str:
    """`lcm:SubmitObjectsRequest` for a known namespace, Clark notation otherwise."""
    qname = etree.QName(tag)
    prefix = _PREFIX_OF.get(qname.namespace or "")
    return f"{prefix}:{qname.localname}" if prefix else qname.text


def expect_root(payload: etree._Element, *tags: str) -> None:
    if payload.tag not in tags:
        expected = " or ".join(display_name(t) for t in tags)
        raise sender_fault(f"Expected {expected}, but the body holds {display_name(payload.tag)}")


def required_child(parent: etree._Element, tag: str) -> etree._Element:
    child = parent.find(tag)
    if child is None:
        raise sender_fault(f"{display_name(parent.tag)} has no {display_name(tag)}")
    return child


def required_attribute(element: etree._Element, name: str) -> str:
    value = element.get(name)
    if value is None:
        raise sender_fault(f"{display_name(element.tag)} has no {name} attribute")
    return value


def required_text(parent: etree._Element, tag: str) -> str:
    return (required_child(parent, tag).text or "").strip()


def optional_text(parent: etree._Element, tag: str) -> str | None:
    child = parent.find(tag)
    return None if child is None else (child.text or "").strip()


def text_element(parent: etree._Element, tag: str, text: str | None) -> None:
    if text is not None:
        etree.SubElement(parent, tag).text = text


def root_element(tag: str, *prefixes: str) -> etree._Element:
    """A message root declaring the `schemas.vocabulary.NSMAP` prefixes it uses."""
    return etree.Element(tag, nsmap={p: v.NSMAP[p] for p in prefixes})


def read_slot_list(parent: etree._Element, tag: str) -> tuple[Slot, ...]:
    """The slots of an optional slot list (`rs:RequestSlotList`, `rs:ResponseSlotList`)."""
    slot_list = parent.find(tag)
    return () if slot_list is None else slots_from_rim(read_slots(slot_list))


def write_slot_list(parent: etree._Element, tag: str, slots: Iterable[Slot]) -> None:
    rim_slots = slots_to_rim(slots)
    if rim_slots:
        write_slots(etree.SubElement(parent, tag), rim_slots)
