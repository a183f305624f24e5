"""zeep sends MTOM: it has no MTOM request support, so this transport rewrites the envelope it
would send, moving each base64 `xdsb:Document` into a MIME part referenced by `xop:Include`
(infrastructure notes §4). The package is written by hand here, not by our own MTOM writer, so
the repository's reader meets a body it did not make."""

from __future__ import annotations

import base64
import copy
import re
import uuid
from collections.abc import Mapping
from typing import Any

import zeep
from lxml import etree
from zeep import Plugin
from zeep.transports import Transport
from zeep.wsa import WsAddressingPlugin
from zeep.wsdl.utils import etree_to_string

from schemas import vocabulary as v

_DOCUMENT = f"{{{v.NS_XDSB}}}Document"
_PROVIDE = f"{{{v.NS_XDSB}}}ProvideAndRegisterDocumentSetRequest"
_SUBMIT = f"{{{v.NS_LCM}}}SubmitObjectsRequest"
_ACTION = re.compile(r'action="([^"]*)"')
_ROOT_ID = "root.message@dokdeling.test"


class MtomTransport(Transport):
    """Sends ITI-41 documents as MTOM parts; `http_headers` go on every request."""

    def __init__(self, http_headers: Mapping[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)  # type: ignore[no-untyped-call]
        self.http_headers = dict(http_headers or {})
        self.sent_content_types: list[str] = []
        self.last_response_headers: Mapping[str, str] = {}

    def post(self, address: str, message: bytes, headers: dict[str, str]) -> Any:
        response = super().post(address, message, headers)  # type: ignore[no-untyped-call]
        self.last_response_headers = response.headers
        return response

    def post_xml(self, address: str, envelope: etree._Element, headers: dict[str, str]) -> Any:
        headers = {**headers, **self.http_headers}
        parts: list[tuple[str, bytes]] = []
        for document in envelope.iter(_DOCUMENT):
            parent = document.getparent()
            if parent is None or parent.tag != _PROVIDE:
                continue
            content_id = f"document{len(parts) + 1}.{uuid.uuid4().hex}@dokdeling.test"
            parts.append((content_id, base64.b64decode(document.text or "")))
            document.text = None
            etree.SubElement(document, f"{{{v.NS_XOP}}}Include", href=f"cid:{content_id}")
        if not parts:
            self.sent_content_types.append(headers["Content-Type"])
            return self.post(address, _serialized(envelope), headers)
        found = _ACTION.search(headers["Content-Type"])
        action = found.group(1) if found else ""
        boundary = f"MIMEBoundary_{uuid.uuid4().hex}"
        body = _package(boundary, _serialized(envelope), action, parts)
        headers["Content-Type"] = (
            f'multipart/related; type="application/xop+xml"; start="<{_ROOT_ID}>"; '
            f'start-info="application/soap+xml"; action="{action}"; boundary="{boundary}"'
        )
        self.sent_content_types.append(headers["Content-Type"])
        return self.post(address, body, headers)


def _serialized(envelope: etree._Element) -> bytes:
    data: bytes = etree_to_string(envelope)  # type: ignore[no-untyped-call]
    return data


def soap_client(wsdl: str, *, transport: Transport | None = None, plugins: list[Any]) -> Any:
    """A zeep client for `wsdl` with WS-Addressing and `plugins` (zeep's API is untyped)."""
    return zeep.Client(  # type: ignore[no-untyped-call]
        wsdl, transport=transport, plugins=[WsAddressingPlugin(), *plugins]
    )


def bind(client: Any, binding: str, address: str) -> Any:
    return client.create_service(binding, address)


def _package(boundary: str, root: bytes, action: str, parts: list[tuple[str, bytes]]) -> bytes:
    dash = b"--" + boundary.encode()
    root_headers = (
        "Content-Type: application/xop+xml; charset=UTF-8; "
        f'type="application/soap+xml; action=\\"{action}\\""\r\n'
        "Content-Transfer-Encoding: binary\r\n"
        f"Content-ID: <{_ROOT_ID}>\r\n\r\n"
    ).encode()
    body = dash + b"\r\n" + root_headers + root
    for content_id, data in parts:
        part_headers = (
            "Content-Type: application/octet-stream\r\n"
            "Content-Transfer-Encoding: binary\r\n"
            f"Content-ID: <{content_id}>\r\n\r\n"
        ).encode()
        body += b"\r\n" + dash + b"\r\n" + part_headers + data
    return body + b"\r\n" + dash + b"--\r\n"


class SubmissionPlugin(Plugin):
    """zeep cannot write ebRIM's substitution groups (`rim:ExtrinsicObject` for
    `rim:Identifiable`): the test builds the `lcm:SubmitObjectsRequest` with our codecs and this
    plugin puts it in the envelope zeep made, in place of the empty one."""

    def __init__(self, submission: etree._Element) -> None:
        self.submission = submission

    def egress(
        self, envelope: etree._Element, http_headers: Any, operation: Any, binding_options: Any
    ) -> tuple[etree._Element, Any]:
        for placeholder in envelope.iter(_SUBMIT):
            parent = placeholder.getparent()
            assert parent is not None
            parent.replace(placeholder, copy.deepcopy(self.submission))
        return envelope, http_headers
