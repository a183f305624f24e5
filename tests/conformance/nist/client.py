"""HTTP to the deployment under test: SOAP 1.2 requests, plain or MTOM, and the patient feed.

Nothing here judges: a `SoapExchange` is what came back (the response payload or a SOAP Fault, the
MIME parts, or why there is nothing to read), and a `FeedAnswer` what the feed endpoint said.
Requests carry the `Authorization` header that the `Credentials` give for what they do.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit

import requests
from lxml import etree

from schemas.model.hl7v2 import Cx
from schemas.mtom import (
    MULTIPART_RELATED,
    MultipartRefused,
    OutgoingAttachment,
    read_multipart,
    write_mtom,
)
from schemas.soap import SOAP_CONTENT_TYPE, SoapFault, build_request, read_envelope, read_fault
from schemas.xml import UnsafeXml, parse_xml
from trustframework.policy import PATIENT_NIN_HEADER

REGISTRY_PATH = "/xds/registry"
PATIENT_FEED_PATH = "/admin/patients"
_EXCERPT = 300


class Access(StrEnum):
    """What a request does, which decides the scope its token needs (interface §4)."""

    PUBLISH = "publish"  # ITI-41, ITI-42
    READ_METADATA = "read-documentreferences"  # ITI-18
    READ_DOCUMENT = "read-document"  # ITI-43
    UPDATE = "update"  # ITI-57
    ADMIN = "admin"  # the patient identity feed


_READS = frozenset({Access.READ_METADATA, Access.READ_DOCUMENT})


class Credentials(Protocol):
    """The headers that authorise a request (`Authorization`, and `DPoP` for a bound token):
    what it does, where it goes, and the patient it concerns (None: no patient)."""

    def headers(self, access: Access, *, url: str, patient_id: str | None) -> dict[str, str]: ...


@dataclass(frozen=True, slots=True)
class NoCredentials:
    def headers(self, access: Access, *, url: str, patient_id: str | None) -> dict[str, str]:
        return {}


@dataclass(frozen=True, slots=True)
class BearerToken:
    """One token, given by the operator, for every request. A read also names its patient in
    `nhn-patient-nin`, which binds the patient when the token's attest names none (interface
    §4): one token then serves every patient of the run."""

    token: str = field(repr=False)

    def headers(self, access: Access, *, url: str, patient_id: str | None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}"}
        if access in _READS and patient_id is not None:
            headers[PATIENT_NIN_HEADER] = Cx.parse(patient_id).id_number
        return headers


@dataclass(frozen=True, slots=True, kw_only=True)
class Endpoints:
    registry: str
    repository: str
    patient_feed: str

    @classmethod
    def of(cls, registry: str, repository: str, patient_feed: str | None = None) -> Endpoints:
        feed = patient_feed or default_patient_feed(registry)
        return cls(registry=registry, repository=repository, patient_feed=feed)


def default_patient_feed(registry: str) -> str:
    """`{registry-base}/admin/patients`, where the base is the registry URL without its
    `/xds/registry` path (a deployment under a path prefix keeps the prefix)."""
    parts = urlsplit(registry)
    path = parts.path.rstrip("/")
    base = path[: -len(REGISTRY_PATH)] if path.endswith(REGISTRY_PATH) else ""
    return urlunsplit((parts.scheme, parts.netloc, base + PATIENT_FEED_PATH, "", ""))


@dataclass(frozen=True, slots=True)
class ReceivedPart:
    """A MIME part of an MTOM response."""

    content_type: str
    data: bytes


@dataclass(frozen=True, slots=True, kw_only=True)
class SoapExchange:
    """A request sent and what came back; `problem` says why there is no payload or fault."""

    url: str
    action: str
    http_status: int | None = None
    payload: etree._Element | None = None
    fault: SoapFault | None = None
    parts: Mapping[str, ReceivedPart] = field(default_factory=dict)
    problem: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedAnswer:
    url: str
    http_status: int | None
    detail: str = ""

    @property
    def accepted(self) -> bool:
        return self.http_status is not None and 200 <= self.http_status < 300


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _EXCERPT else text[:_EXCERPT] + "…"


@dataclass(frozen=True, slots=True)
class _Reply:
    payload: etree._Element | None
    fault: SoapFault | None
    parts: Mapping[str, ReceivedPart]


def _read_reply(content_type: str, body: bytes) -> _Reply:
    """The SOAP payload (or Fault) and MIME parts of a response body; ValueError if unreadable."""
    parts: dict[str, ReceivedPart] = {}
    root = body
    if content_type.split(";", 1)[0].strip().lower() == MULTIPART_RELATED:
        with read_multipart(content_type, io.BytesIO(body)) as message:
            root = message.root
            for content_id, attachment in message.attachments.items():
                with attachment.open() as stream:
                    parts[content_id] = ReceivedPart(attachment.content_type, stream.read())
    envelope = read_envelope(parse_xml(root))
    fault = read_fault(envelope.body)
    return _Reply(None if fault else envelope.body, fault, parts)


class XdsClient:
    """Sends SOAP requests and patient feeds to one deployment."""

    def __init__(
        self,
        endpoints: Endpoints,
        credentials: Credentials,
        *,
        timeout: float = 60.0,
        session: requests.Session | None = None,
    ) -> None:
        self.endpoints = endpoints
        self._credentials = credentials
        self._timeout = timeout
        self._session = session or requests.Session()

    def _headers(
        self, access: Access, url: str, content_type: str, patient_id: str | None
    ) -> dict[str, str]:
        credentials = self._credentials.headers(access, url=url, patient_id=patient_id)
        return {"Content-Type": content_type, **credentials}

    def soap(
        self,
        url: str,
        action: str,
        payload: etree._Element,
        access: Access,
        attachments: Sequence[OutgoingAttachment] | None = None,
        *,
        patient_id: str | None = None,
    ) -> SoapExchange:
        """POST a SOAP 1.2 request; MTOM/XOP when `attachments` is given (even empty).
        `patient_id` is the patient the request concerns, for the credentials."""
        body = build_request(action, payload, to=url)
        content_type = f'{SOAP_CONTENT_TYPE}; charset=UTF-8; action="{action}"'
        if attachments is not None:
            # with a Content-Length, not chunked: every server reads that, and testkit
            # documents are small
            mtom = write_mtom(body, attachments, action=action)
            content_type, body = mtom.content_type, b"".join(mtom.chunks)
        try:
            response = self._session.post(
                url,
                data=body,
                headers=self._headers(access, url, content_type, patient_id),
                timeout=self._timeout,
            )
        except requests.RequestException as exc:
            return SoapExchange(url=url, action=action, problem=f"no answer: {exc}")
        answer = SoapExchange(url=url, action=action, http_status=response.status_code)
        try:
            reply = _read_reply(response.headers.get("Content-Type", ""), response.content)
        except (SoapFault, UnsafeXml, MultipartRefused, ValueError) as exc:
            problem = f"HTTP {response.status_code} without a readable SOAP 1.2 answer ({exc}): "
            return replace(answer, problem=problem + _excerpt(response.text))
        return replace(answer, payload=reply.payload, fault=reply.fault, parts=reply.parts)

    def feed_patient(self, patient_id: str) -> FeedAnswer:
        """`POST {feed}` with `{"patient_id": CX}`: make a patient id known to the registry."""
        url = self.endpoints.patient_feed
        headers = self._headers(Access.ADMIN, url, "application/json", None)
        try:
            response = self._session.post(
                url, json={"patient_id": patient_id}, headers=headers, timeout=self._timeout
            )
        except requests.RequestException as exc:
            return FeedAnswer(url=url, http_status=None, detail=f"no answer: {exc}")
        return FeedAnswer(url=url, http_status=response.status_code, detail=_excerpt(response.text))
