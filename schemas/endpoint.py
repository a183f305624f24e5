"""A SOAP 1.2 endpoint without a web framework: bytes in, dispatch on `wsa:Action`, bytes out.

Each service's HTTP module hands the request body and content type to `SoapEndpoint.handle` and
sends back the `HttpAnswer`. Hostile or malformed XML, a missing or unknown action, and handler
faults all become SOAP Faults with the right HTTP status; nothing here raises to the caller.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import BinaryIO

from lxml import etree

from schemas.model.messages import DocumentContent
from schemas.soap import (
    SOAP_CONTENT_TYPE,
    FaultCode,
    SoapEnvelope,
    SoapFault,
    action_not_supported,
    build_envelope,
    build_fault,
    read_envelope,
    sender_fault,
)
from schemas.xml import DEFAULT_LIMITS, UnsafeXml, XmlLimits, parse_xml

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class SoapRequest:
    """What a transaction handler receives."""

    envelope: SoapEnvelope
    attachments: Mapping[str, DocumentContent] = field(default_factory=dict)
    http_headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class SoapResponse:
    """What a transaction handler answers: a payload element under a response action."""

    action: str
    payload: etree._Element
    http_headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class HttpAnswer:
    status: int
    content_type: str
    body: Iterable[bytes]
    headers: Mapping[str, str] = field(default_factory=dict)


Handler = Callable[[SoapRequest], SoapResponse]


def fault_answer(
    fault: SoapFault, *, relates_to: str | None = None, headers: Mapping[str, str] | None = None
) -> HttpAnswer:
    return HttpAnswer(
        status=fault.http_status,
        content_type=f'{SOAP_CONTENT_TYPE}; charset="UTF-8"',
        body=[build_fault(fault, relates_to=relates_to)],
        headers=dict(headers or {}),
    )


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


class SoapEndpoint:
    """Dispatches SOAP 1.2 requests to one handler per `wsa:Action`."""

    def __init__(self, handlers: Mapping[str, Handler], *, limits: XmlLimits = DEFAULT_LIMITS):
        self._handlers = dict(handlers)
        self._limits = limits

    @property
    def actions(self) -> frozenset[str]:
        return frozenset(self._handlers)

    def handle(
        self, content_type: str, body: BinaryIO, http_headers: Mapping[str, str] | None = None
    ) -> HttpAnswer:
        headers = dict(http_headers or {})
        try:
            request = self._read(content_type, body, headers)
        except SoapFault as fault:
            return fault_answer(fault)
        handler = self._handlers.get(request.envelope.action)
        if handler is None:
            return fault_answer(
                action_not_supported(request.envelope.action),
                relates_to=request.envelope.message_id,
            )
        return self._run(handler, request)

    def _read(self, content_type: str, body: BinaryIO, headers: dict[str, str]) -> SoapRequest:
        media_type = _media_type(content_type)
        if media_type not in (SOAP_CONTENT_TYPE, "application/xop+xml", "text/xml"):
            raise sender_fault(f"Unsupported content type {media_type or '(none)'}")
        data = body.read(self._limits.max_bytes + 1)
        try:
            root = parse_xml(data, self._limits)
        except UnsafeXml as exc:
            raise sender_fault(f"Refused XML ({exc.reason.value}): {exc.detail}") from exc
        return SoapRequest(envelope=read_envelope(root), http_headers=headers)

    def _run(self, handler: Handler, request: SoapRequest) -> HttpAnswer:
        relates_to = request.envelope.message_id
        try:
            response = handler(request)
        except SoapFault as fault:
            return fault_answer(fault, relates_to=relates_to)
        except Exception:
            log.exception("handler for %s failed", request.envelope.action)
            internal = SoapFault(
                code=FaultCode.RECEIVER, reason="Internal error while processing the request"
            )
            return fault_answer(internal, relates_to=relates_to)
        return HttpAnswer(
            status=200,
            content_type=f'{SOAP_CONTENT_TYPE}; charset="UTF-8"; action="{response.action}"',
            body=[build_envelope(response.action, response.payload, relates_to=relates_to)],
            headers=dict(response.http_headers),
        )
