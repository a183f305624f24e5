"""A SOAP 1.2 endpoint without a web framework: bytes in, dispatch on `wsa:Action`, bytes out.

Each service's HTTP module hands the request body and content type to `SoapEndpoint.handle` and
sends back the `HttpAnswer`. Requests are plain `application/soap+xml` or MTOM/XOP
`multipart/related`; a response with attachments is sent as MTOM, streamed. Hostile or malformed
XML or MIME, a missing or unknown action, and handler faults all become SOAP Faults with the right
HTTP status (413 for a message that is too large); nothing here raises to the caller.

Request attachments live until the handler returns: a handler stores what it must keep.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from lxml import etree

from schemas.model.messages import DocumentContent
from schemas.mtom import (
    DEFAULT_MESSAGE_LIMITS,
    MULTIPART_RELATED,
    XOP_CONTENT_TYPE,
    Attachment,
    AttachmentSpool,
    MessageLimits,
    MultipartRefused,
    OutgoingAttachment,
    ReceivedMessage,
    find_attachment,
    read_multipart,
    write_mtom,
)
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
from schemas.xml import DEFAULT_LIMITS, UnsafeXml, UnsafeXmlReason, XmlLimits, parse_xml

log = logging.getLogger(__name__)
_PLAIN_TYPES = (SOAP_CONTENT_TYPE, XOP_CONTENT_TYPE, "text/xml")


@dataclass(frozen=True, slots=True, kw_only=True)
class SoapRequest:
    """What a transaction handler receives; `attachments` are keyed by bare Content-ID."""

    envelope: SoapEnvelope
    attachments: Mapping[str, DocumentContent] = field(default_factory=dict)
    http_headers: Mapping[str, str] = field(default_factory=dict)
    spool: AttachmentSpool = field(default_factory=AttachmentSpool, repr=False)

    def attachment(self, content_id: str) -> DocumentContent:
        """The part an `xop:Include` names: the codec's parse-side `attachment` callable."""
        return find_attachment(self.attachments, content_id)

    def inline_document(self, base64_text: str) -> Attachment:
        """An inline base64 document decoded into the request's spool, with size and hashes."""
        return self.spool.decode_base64(base64_text)


@dataclass(frozen=True, slots=True, kw_only=True)
class SoapResponse:
    """What a transaction handler answers: a payload under a response action, and the parts its
    `xop:Include`s reference (see `schemas.mtom.OutgoingAttachments`); with parts it is MTOM."""

    action: str
    payload: etree._Element
    http_headers: Mapping[str, str] = field(default_factory=dict)
    attachments: Sequence[OutgoingAttachment] = ()


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


def refused_message_fault(refused: MultipartRefused) -> SoapFault:
    """The Sender Fault for a refused MIME package, XOP reference or base64 text (400 or 413)."""
    return SoapFault(
        code=FaultCode.SENDER,
        reason=f"Refused message ({refused.reason.value}): {refused.detail}",
        http_status=refused.http_status,
    )


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


class SoapEndpoint:
    """Dispatches SOAP 1.2 requests to one handler per `wsa:Action`."""

    def __init__(
        self,
        handlers: Mapping[str, Handler],
        *,
        limits: XmlLimits = DEFAULT_LIMITS,
        message_limits: MessageLimits = DEFAULT_MESSAGE_LIMITS,
    ):
        self._handlers = dict(handlers)
        self._limits = limits
        self._message_limits = message_limits

    @property
    def actions(self) -> frozenset[str]:
        return frozenset(self._handlers)

    def handle(
        self, content_type: str, body: BinaryIO, http_headers: Mapping[str, str] | None = None
    ) -> HttpAnswer:
        headers = dict(http_headers or {})
        try:
            with self._receive(content_type, body) as message:
                return self._dispatch(self._request(message, headers))
        except SoapFault as fault:
            return fault_answer(fault)
        except MultipartRefused as refused:
            return fault_answer(refused_message_fault(refused))

    def _receive(self, content_type: str, body: BinaryIO) -> ReceivedMessage:
        media_type = _media_type(content_type)
        if media_type == MULTIPART_RELATED:
            return read_multipart(content_type, body, self._message_limits)
        if media_type not in _PLAIN_TYPES:
            raise sender_fault(f"Unsupported content type {media_type or '(none)'}")
        data = body.read(self._limits.max_bytes + 1)
        return ReceivedMessage.single_part(data, content_type, self._message_limits)

    def _request(self, message: ReceivedMessage, headers: dict[str, str]) -> SoapRequest:
        try:
            root = parse_xml(message.root, self._limits)
        except UnsafeXml as exc:
            status = 413 if exc.reason is UnsafeXmlReason.TOO_LARGE else 400
            reason = f"Refused XML ({exc.reason.value}): {exc.detail}"
            raise SoapFault(code=FaultCode.SENDER, reason=reason, http_status=status) from exc
        return SoapRequest(
            envelope=read_envelope(root),
            attachments=message.attachments,
            http_headers=headers,
            spool=message.spool,
        )

    def _dispatch(self, request: SoapRequest) -> HttpAnswer:
        handler = self._handlers.get(request.envelope.action)
        if handler is None:
            return fault_answer(
                action_not_supported(request.envelope.action),
                relates_to=request.envelope.message_id,
            )
        return self._run(handler, request)

    def _run(self, handler: Handler, request: SoapRequest) -> HttpAnswer:
        relates_to = request.envelope.message_id
        try:
            response = handler(request)
        except SoapFault as fault:
            return fault_answer(fault, relates_to=relates_to)
        except MultipartRefused as refused:
            return fault_answer(refused_message_fault(refused), relates_to=relates_to)
        except Exception:
            log.exception("handler for %s failed", request.envelope.action)
            internal = SoapFault(
                code=FaultCode.RECEIVER, reason="Internal error while processing the request"
            )
            return fault_answer(internal, relates_to=relates_to)
        return _answer(response, relates_to)


def _answer(response: SoapResponse, relates_to: str | None) -> HttpAnswer:
    envelope = build_envelope(response.action, response.payload, relates_to=relates_to)
    if not response.attachments:
        return HttpAnswer(
            status=200,
            content_type=f'{SOAP_CONTENT_TYPE}; charset="UTF-8"; action="{response.action}"',
            body=[envelope],
            headers=dict(response.http_headers),
        )
    mtom = write_mtom(envelope, response.attachments, action=response.action)
    return HttpAnswer(
        status=200,
        content_type=mtom.content_type,
        body=mtom.chunks,
        headers=dict(response.http_headers),
    )
