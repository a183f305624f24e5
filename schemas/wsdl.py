"""The WSDL 1.1 document a service publishes at `GET <endpoint>?wsdl` (sans-IO).

The official IHE WSDLs type their messages with the ebRS 3.0 / IHE XSDs, which dokdeling does not
ship (third-party files are never copied into the repository). This WSDL is therefore permissive:
each message part is a global element in its real namespace (`lcm:SubmitObjectsRequest`, ...)
whose content is open (`xsd:any`, `xsd:anyAttribute`, lax). A SOAP client (zeep) loads it, sees
every operation with its `wsaw:Action` and SOAP 1.2 binding, and sends any payload element
(`_value_1=[children]`); clients wanting typed objects load the official WSDL and point it at our
address (the tests do both).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from schemas import vocabulary as v
from schemas.xml import to_bytes

_TNS_PREFIX = "ihe"


@dataclass(frozen=True, slots=True, kw_only=True)
class WsdlOperation:
    """One operation: its name, request action and the body elements it exchanges."""

    name: str
    action: str
    request: etree.QName
    response: etree.QName

    @property
    def response_action(self) -> str:
        return self.action + v.RESPONSE_ACTION_SUFFIX


def _wsdl(tag: str) -> str:
    return f"{{{v.NS_WSDL}}}{tag}"


def _soap12(tag: str) -> str:
    return f"{{{v.NS_WSDL_SOAP12}}}{tag}"


def _prefixes(operations: Sequence[WsdlOperation]) -> dict[str, str]:
    namespaces = sorted(
        {q.namespace for op in operations for q in (op.request, op.response) if q.namespace}
    )
    return {namespace: f"m{index}" for index, namespace in enumerate(namespaces)}


def _open_element(schema: etree._Element, name: str) -> None:
    """`<xsd:element name=...>` whose content is any elements and attributes (lax)."""
    element = etree.SubElement(schema, f"{{{v.NS_XSD}}}element", name=name)
    content = etree.SubElement(element, f"{{{v.NS_XSD}}}complexType")
    etree.SubElement(
        etree.SubElement(content, f"{{{v.NS_XSD}}}sequence"),
        f"{{{v.NS_XSD}}}any",
        processContents="lax",
        minOccurs="0",
        maxOccurs="unbounded",
    )
    etree.SubElement(content, f"{{{v.NS_XSD}}}anyAttribute", processContents="lax")


def _types(parent: etree._Element, operations: Sequence[WsdlOperation]) -> None:
    types = etree.SubElement(parent, _wsdl("types"))
    schemas: dict[str, etree._Element] = {}
    declared: set[etree.QName] = set()
    for element in (q for op in operations for q in (op.request, op.response)):
        if element in declared or element.namespace is None:
            continue
        declared.add(element)
        if element.namespace not in schemas:
            schemas[element.namespace] = etree.SubElement(
                types,
                f"{{{v.NS_XSD}}}schema",
                targetNamespace=element.namespace,
                elementFormDefault="qualified",
            )
        _open_element(schemas[element.namespace], element.localname)


def _messages(
    parent: etree._Element, operations: Sequence[WsdlOperation], prefixes: dict[str, str]
) -> None:
    for op in operations:
        for suffix, element in (("_Message", op.request), ("Response_Message", op.response)):
            message = etree.SubElement(parent, _wsdl("message"), name=op.name + suffix)
            reference = f"{prefixes[element.namespace or '']}:{element.localname}"
            etree.SubElement(message, _wsdl("part"), name="body", element=reference)


def _port_type(parent: etree._Element, service: str, operations: Sequence[WsdlOperation]) -> None:
    port_type = etree.SubElement(parent, _wsdl("portType"), name=f"{service}_PortType")
    for op in operations:
        operation = etree.SubElement(port_type, _wsdl("operation"), name=op.name)
        for tag, suffix, action in (
            ("input", "_Message", op.action),
            ("output", "Response_Message", op.response_action),
        ):
            io = etree.SubElement(operation, _wsdl(tag), message=f"{_TNS_PREFIX}:{op.name}{suffix}")
            io.set(f"{{{v.NS_WSAW}}}Action", action)


def _binding(parent: etree._Element, service: str, operations: Sequence[WsdlOperation]) -> None:
    binding = etree.SubElement(
        parent,
        _wsdl("binding"),
        name=f"{service}_Binding_Soap12",
        type=f"{_TNS_PREFIX}:{service}_PortType",
    )
    etree.SubElement(binding, _soap12("binding"), style="document", transport=v.SOAP_HTTP_TRANSPORT)
    for op in operations:
        operation = etree.SubElement(binding, _wsdl("operation"), name=op.name)
        etree.SubElement(operation, _soap12("operation"), soapAction=op.action)
        for tag in ("input", "output"):
            message = etree.SubElement(operation, _wsdl(tag))
            etree.SubElement(message, _soap12("body"), use="literal")


def build_wsdl(service: str, address: str, operations: Sequence[WsdlOperation]) -> bytes:
    """The WSDL of `service` (e.g. "DocumentRegistry") served at `address`."""
    prefixes = _prefixes(operations)
    nsmap = {
        "wsdl": v.NS_WSDL,
        "soap12": v.NS_WSDL_SOAP12,
        "wsaw": v.NS_WSAW,
        "xsd": v.NS_XSD,
        _TNS_PREFIX: v.NS_XDSB,
    } | {prefix: namespace for namespace, prefix in prefixes.items()}
    root = etree.Element(_wsdl("definitions"), nsmap=nsmap, name=service, targetNamespace=v.NS_XDSB)
    etree.SubElement(root, _wsdl("documentation")).text = (
        f"IHE XDS.b {service} (dokdeling). Message parts have open content (xsd:any); the official "
        "IHE WSDL with the ebRS 3.0 schemas describes the same operations with full types."
    )
    _types(root, operations)
    _messages(root, operations, prefixes)
    _port_type(root, service, operations)
    _binding(root, service, operations)
    wsdl_service = etree.SubElement(root, _wsdl("service"), name=f"{service}_Service")
    port = etree.SubElement(
        wsdl_service,
        _wsdl("port"),
        name=f"{service}_Port_Soap12",
        binding=f"{_TNS_PREFIX}:{service}_Binding_Soap12",
    )
    etree.SubElement(port, _soap12("address"), location=address)
    return to_bytes(root)
