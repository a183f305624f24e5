"""SOAP 1.2 envelopes with WS-Addressing, and SOAP Faults (sans-IO).

`read_envelope` takes the root XML of a request (plain or the MTOM root part, already parsed by
`schemas.xml.parse_xml`) and gives the action, addressing headers and body payload. `build_envelope`
and `build_fault` produce response bytes. Faults carry the HTTP status the SOAP 1.2 HTTP binding
gives them (Sender → 400, Receiver → 500), which an edge may override (401/403 for access).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from enum import StrEnum

from lxml import etree

from schemas import vocabulary as v
from schemas.xml import to_bytes

SOAP_CONTENT_TYPE = "application/soap+xml"
_MUST_UNDERSTAND_OK = frozenset({v.NS_WSA, v.NS_WSSE})
_TRUE = frozenset({"1", "true"})


def soap(tag: str) -> str:
    return f"{{{v.NS_SOAP12}}}{tag}"


def wsa(tag: str) -> str:
    return f"{{{v.NS_WSA}}}{tag}"


class FaultCode(StrEnum):
    """SOAP 1.2 fault codes (`env:Code/env:Value`)."""

    SENDER = "Sender"
    RECEIVER = "Receiver"
    MUST_UNDERSTAND = "MustUnderstand"
    VERSION_MISMATCH = "VersionMismatch"
    DATA_ENCODING_UNKNOWN = "DataEncodingUnknown"


@dataclass(frozen=True, slots=True, kw_only=True)
class SoapFault(Exception):
    """A SOAP Fault to send back: code, optional subcode (a QName), a reason, an HTTP status."""

    code: FaultCode
    reason: str
    subcode: tuple[str, str] | None = None  # (namespace, local name)
    detail: str | None = None
    http_status: int = 0

    def __post_init__(self) -> None:
        if self.http_status == 0:
            status = 500 if self.code is FaultCode.RECEIVER else 400
            object.__setattr__(self, "http_status", status)

    def __str__(self) -> str:
        return f"SOAP Fault {self.code.value}: {self.reason}"


def action_not_supported(action: str) -> SoapFault:
    """WS-Addressing ActionNotSupported (an action this endpoint does not serve)."""
    return SoapFault(
        code=FaultCode.SENDER,
        subcode=(v.NS_WSA, "ActionNotSupported"),
        reason=f"The [action] cannot be processed at the receiver: {action or '(none)'}",
        detail=action,
    )


def sender_fault(reason: str, *, subcode: tuple[str, str] | None = None) -> SoapFault:
    return SoapFault(code=FaultCode.SENDER, reason=reason, subcode=subcode)


@dataclass(frozen=True, slots=True, kw_only=True)
class SoapEnvelope:
    """A received SOAP 1.2 request: addressing headers and the body's payload element."""

    action: str
    body: etree._Element
    message_id: str | None = None
    to: str | None = None
    reply_to: str | None = None
    headers: tuple[etree._Element, ...] = field(default=())


def _header_text(header: etree._Element | None, tag: str) -> str | None:
    if header is None:
        return None
    element = header.find(wsa(tag))
    return None if element is None or element.text is None else element.text.strip()


def _check_must_understand(header: etree._Element) -> None:
    for block in header.iterchildren("*"):
        namespace = etree.QName(block).namespace
        if block.get(soap("mustUnderstand"), "").strip() in _TRUE and (
            namespace not in _MUST_UNDERSTAND_OK
        ):
            raise SoapFault(
                code=FaultCode.MUST_UNDERSTAND,
                reason=f"Header block {etree.QName(block).text} is not understood",
            )


def read_envelope(root: etree._Element) -> SoapEnvelope:
    """Read a SOAP 1.2 envelope; a SoapFault (Sender/VersionMismatch) when it is not one."""
    if root.tag != soap("Envelope"):
        if etree.QName(root).localname == "Envelope":
            raise SoapFault(
                code=FaultCode.VERSION_MISMATCH,
                reason=f"Only SOAP 1.2 ({v.NS_SOAP12}) is supported",
            )
        raise sender_fault("The request is not a SOAP 1.2 envelope")
    header = root.find(soap("Header"))
    body = root.find(soap("Body"))
    if body is None:
        raise sender_fault("The SOAP envelope has no Body")
    payload = next(body.iterchildren("*"), None)
    if payload is None:
        raise sender_fault("The SOAP Body is empty")
    if header is not None:
        _check_must_understand(header)
    reply_to = None
    if header is not None and (element := header.find(wsa("ReplyTo"))) is not None:
        reply_to = _header_text(element, "Address")
    return SoapEnvelope(
        action=_header_text(header, "Action") or "",
        body=payload,
        message_id=_header_text(header, "MessageID"),
        to=_header_text(header, "To"),
        reply_to=reply_to,
        headers=() if header is None else tuple(header.iterchildren("*")),
    )


def new_message_id() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


def envelope(
    action: str,
    payload: etree._Element | None,
    *,
    relates_to: str | None = None,
    reply_to: str | None = None,
    to: str | None = None,
) -> etree._Element:
    """A SOAP 1.2 envelope element with WS-Addressing Action, MessageID and the optional rest."""
    root = etree.Element(soap("Envelope"), nsmap={"soap": v.NS_SOAP12, "wsa": v.NS_WSA})
    header = etree.SubElement(root, soap("Header"))
    action_element = etree.SubElement(header, wsa("Action"))
    action_element.set(soap("mustUnderstand"), "true")
    action_element.text = action
    etree.SubElement(header, wsa("MessageID")).text = new_message_id()
    if relates_to:
        etree.SubElement(header, wsa("RelatesTo")).text = relates_to
    if reply_to:
        etree.SubElement(etree.SubElement(header, wsa("ReplyTo")), wsa("Address")).text = reply_to
    if to:
        to_element = etree.SubElement(header, wsa("To"))
        to_element.set(soap("mustUnderstand"), "true")
        to_element.text = to
    body = etree.SubElement(root, soap("Body"))
    if payload is not None:
        body.append(payload)
    return root


def build_envelope(action: str, payload: etree._Element, *, relates_to: str | None = None) -> bytes:
    """A response envelope."""
    return to_bytes(envelope(action, payload, relates_to=relates_to))


def build_request(action: str, payload: etree._Element, *, to: str | None = None) -> bytes:
    """A client request envelope (the repository's ITI-42 call, tools, tests)."""
    return to_bytes(envelope(action, payload, reply_to=v.WSA_ANONYMOUS, to=to))


def build_fault(fault: SoapFault, *, relates_to: str | None = None) -> bytes:
    """A SOAP 1.2 Fault envelope (WS-Addressing fault action)."""
    # Built in place: moving a subtree into the envelope would let lxml drop the subcode's
    # namespace declaration in favour of the envelope's, leaving its QName text unresolvable.
    root = envelope(v.ACTION_WSA_FAULT, None, relates_to=relates_to)
    fault_element = etree.SubElement(root[-1], soap("Fault"))  # root[-1] is the Body
    code = etree.SubElement(fault_element, soap("Code"))
    etree.SubElement(code, soap("Value")).text = f"soap:{fault.code.value}"
    if fault.subcode is not None:
        namespace, local = fault.subcode
        subcode = etree.SubElement(code, soap("Subcode"))
        value = etree.SubElement(subcode, soap("Value"), nsmap={"sub": namespace})
        prefix = next(p for p, uri in value.nsmap.items() if uri == namespace)
        value.text = f"{prefix}:{local}"
    reason = etree.SubElement(fault_element, soap("Reason"))
    text = etree.SubElement(reason, soap("Text"))
    text.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
    text.text = fault.reason
    if fault.detail:
        etree.SubElement(fault_element, soap("Detail")).text = fault.detail
    return to_bytes(root)


def read_fault(payload: etree._Element) -> SoapFault | None:
    """The fault in a response body payload, or None when the payload is not a Fault."""
    if payload.tag != soap("Fault"):
        return None
    value = payload.findtext(f"{soap('Code')}/{soap('Value')}", default="")
    local = value.rsplit(":", 1)[-1]
    code = FaultCode(local) if local in FaultCode.__members__.values() else FaultCode.RECEIVER
    sub = payload.findtext(f"{soap('Code')}/{soap('Subcode')}/{soap('Value')}")
    subcode = ("", sub.rsplit(":", 1)[-1]) if sub else None
    return SoapFault(
        code=code,
        subcode=subcode,
        reason=payload.findtext(f"{soap('Reason')}/{soap('Text')}", default=""),
        detail=payload.findtext(soap("Detail")),
    )


def response_action(request_action: str) -> str:
    return request_action + v.RESPONSE_ACTION_SUFFIX
