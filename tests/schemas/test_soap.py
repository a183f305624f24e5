from __future__ import annotations

from lxml import etree

from schemas import vocabulary as v
from schemas.soap import action_not_supported, build_fault, read_envelope, read_fault, sender_fault
from schemas.xml import parse_xml


def subcode_qname(data: bytes) -> etree.QName:
    value = parse_xml(data).find(f".//{{{v.NS_SOAP12}}}Subcode/{{{v.NS_SOAP12}}}Value")
    assert value is not None
    assert value.text is not None
    prefix, local = value.text.split(":")
    return etree.QName(value.nsmap[prefix], local)


def test_fault_subcode_qnames_resolve_in_the_serialised_envelope() -> None:
    assert subcode_qname(build_fault(action_not_supported("urn:x"))) == etree.QName(
        v.NS_WSA, "ActionNotSupported"
    )
    other = sender_fault("refused", subcode=("urn:example:codes", "Refused"))
    assert subcode_qname(build_fault(other)) == etree.QName("urn:example:codes", "Refused")


def test_fault_round_trip() -> None:
    envelope = read_envelope(parse_xml(build_fault(action_not_supported("urn:x"), relates_to="m1")))
    assert envelope.action == v.ACTION_WSA_FAULT
    fault = read_fault(envelope.body)
    assert fault is not None
    assert fault.reason.startswith("The [action] cannot be processed")
