"""The repository's ITI-42 client: one `lcm:SubmitObjectsRequest` to the registry over SOAP 1.2.

Plain HTTP with urllib3 (already installed with minio and requests): its exceptions tell a failure
to connect (nothing was sent) from a failure after sending (the registry may have committed), and
that difference decides whether a registration may be abandoned. Every answer is classified:

| the registry…                                         | outcome       |
|-------------------------------------------------------|---------------|
| answered RegistryResponse Success / PartialSuccess    | ACCEPTED      |
| answered Failure with errors                          | REJECTED      |
| answered Failure only with Busy / OutOfResources      | NOT_DELIVERED |
| answered a Sender Fault (bad request)                 | REJECTED      |
| answered 403 `publisher_not_data_controller`          | REJECTED      |
| answered a Receiver Fault, 401/403, 404, 502, 503     | NOT_DELIVERED |
| could not be connected to                             | NOT_DELIVERED |
| timed out or dropped the connection after the request | IN_DOUBT      |
| answered something unreadable, or 504                 | IN_DOUBT      |

Every request carries the repository's own access token (`ClientCredentials`: a token file,
and a DPoP proof when a key is configured), the organisations of the source it registers for
(`Dokdeling-On-Behalf-Of`, which the registry believes from trusted repository clients only) and
the ITI-41's request id (`X-Request-ID`). A token that cannot be read is not delivered (nothing
is sent). A 401 or another 403 says the repository's credentials are wrong: an operator fixes
them and the outbox sends again; `publisher_not_data_controller` refuses the submission itself.
The client never retries; the outbox does (`repository.services.registration`).
"""

from __future__ import annotations

from lxml import etree
from urllib3 import BaseHTTPResponse, PoolManager, Timeout
from urllib3.exceptions import HTTPError, NewConnectionError, SSLError

from repository.model import Delivery, RegistryAnswer, Sender
from schemas import vocabulary as v
from schemas.ebrim.response import parse_registry_response
from schemas.errors import RegistryError, ResponseStatus, XdsErrorCode
from schemas.mtom import MULTIPART_RELATED, MessageLimits, MultipartRefused, read_multipart
from schemas.soap import (
    SOAP_CONTENT_TYPE,
    FaultCode,
    SoapFault,
    build_request,
    read_envelope,
    read_fault,
)
from schemas.xml import DEFAULT_LIMITS, UnsafeXml, XmlLimits, parse_xml
from trustframework.client import ClientCredentials, CredentialsUnavailable
from trustframework.failures import Reason
from trustframework.guard import ON_BEHALF_OF_HEADER, REQUEST_ID_HEADER

_TRANSIENT_CODES = frozenset(
    {XdsErrorCode.REGISTRY_BUSY.value, XdsErrorCode.REGISTRY_OUT_OF_RESOURCES.value}
)
_NOT_PROCESSED_STATUSES = frozenset({401, 403, 404, 405, 502, 503})


class SoapRegistryClient:
    """Sends ITI-42 Register Document Set-b to `url`."""

    def __init__(
        self,
        url: str,
        *,
        connect_timeout: float,
        read_timeout: float,
        xml_limits: XmlLimits = DEFAULT_LIMITS,
        credentials: ClientCredentials | None = None,
        pool: PoolManager | None = None,
    ) -> None:
        self._url = url
        self._credentials = credentials
        self._timeout = Timeout(connect=connect_timeout, read=read_timeout)
        self._limits = xml_limits
        self._pool = pool or PoolManager(num_pools=2, maxsize=4)

    @property
    def url(self) -> str:
        return self._url

    def register(
        self, submit_objects_request: bytes, *, sender: Sender | None = None
    ) -> RegistryAnswer:
        """Send the serialized `lcm:SubmitObjectsRequest` once, for `sender`, and classify the
        answer."""
        payload = parse_xml(submit_objects_request, self._limits)
        envelope = build_request(v.ACTION_REGISTER, payload, to=self._url)
        try:
            headers = self._headers(sender or Sender())
        except CredentialsUnavailable as exc:
            return RegistryAnswer(
                delivery=Delivery.NOT_DELIVERED, detail=f"not sent to {self._url}: {exc}"
            )
        try:
            response = self._pool.request(
                "POST",
                self._url,
                body=envelope,
                headers=headers,
                timeout=self._timeout,
                retries=False,
                redirect=False,
                preload_content=False,
            )
        except (NewConnectionError, SSLError) as exc:
            return RegistryAnswer(
                delivery=Delivery.NOT_DELIVERED, detail=f"cannot connect to {self._url}: {exc}"
            )
        except HTTPError as exc:
            return RegistryAnswer(
                delivery=Delivery.IN_DOUBT, detail=f"no answer from {self._url}: {exc}"
            )
        try:
            return self._classify(response)
        except HTTPError as exc:
            return RegistryAnswer(
                delivery=Delivery.IN_DOUBT, detail=f"the answer of {self._url} broke off: {exc}"
            )
        finally:
            response.release_conn()

    def _headers(self, sender: Sender) -> dict[str, str]:
        content_type = f'{SOAP_CONTENT_TYPE}; charset=UTF-8; action="{v.ACTION_REGISTER}"'
        headers = {"Content-Type": content_type}
        if self._credentials is not None:
            headers |= self._credentials.headers("POST", self._url)
        if sender.organisations:
            headers[ON_BEHALF_OF_HEADER] = ",".join(sender.organisations)
        if sender.request_id:
            headers[REQUEST_ID_HEADER] = sender.request_id
        return headers

    def _classify(self, response: BaseHTTPResponse) -> RegistryAnswer:
        status = response.status
        payload = self._payload(response)
        if payload is None:
            delivery = (
                Delivery.NOT_DELIVERED if status in _NOT_PROCESSED_STATUSES else Delivery.IN_DOUBT
            )
            return RegistryAnswer(
                delivery=delivery, detail=f"{self._url} answered HTTP {status} without SOAP"
            )
        fault = read_fault(payload)
        if fault is not None:
            return self._fault_answer(fault, status)
        try:
            registry_response = parse_registry_response(payload)
        except SoapFault as exc:
            return RegistryAnswer(
                delivery=Delivery.IN_DOUBT,
                detail=f"{self._url} answered HTTP {status} with no RegistryResponse: {exc.reason}",
            )
        return _response_answer(registry_response.status, registry_response.errors)

    def _payload(self, response: BaseHTTPResponse) -> etree._Element | None:
        """The SOAP Body's payload of the answer, or None when it is not a SOAP envelope."""
        content_type = response.headers.get("Content-Type", "")
        try:
            if content_type.split(";", 1)[0].strip().lower() == MULTIPART_RELATED:
                limits = MessageLimits(
                    max_message_bytes=2 * self._limits.max_bytes,
                    max_root_bytes=self._limits.max_bytes,
                )
                with read_multipart(content_type, response, limits) as message:
                    body = message.root
            else:
                body = response.read(self._limits.max_bytes + 1)
            return read_envelope(parse_xml(body, self._limits)).body
        except (UnsafeXml, SoapFault, MultipartRefused):
            return None

    def _fault_answer(self, fault: SoapFault, status: int) -> RegistryAnswer:
        detail = f"{self._url} answered HTTP {status} with a SOAP Fault: {fault.reason}"
        policy = fault.reason.startswith(Reason.PUBLISHER_NOT_DATA_CONTROLLER.value)
        if fault.code is FaultCode.SENDER and (policy or status not in _NOT_PROCESSED_STATUSES):
            refused = RegistryError(
                code=XdsErrorCode.REGISTRY_ERROR.value,
                context=f"The registry refused the registration: {fault.reason}",
            )
            return RegistryAnswer(delivery=Delivery.REJECTED, errors=(refused,), detail=detail)
        return RegistryAnswer(delivery=Delivery.NOT_DELIVERED, detail=detail)


def _response_answer(status: ResponseStatus, errors: tuple[RegistryError, ...]) -> RegistryAnswer:
    if status is not ResponseStatus.FAILURE:
        return RegistryAnswer(delivery=Delivery.ACCEPTED, errors=errors, detail="accepted")
    failures = [e for e in errors if e.is_error]
    if failures and all(e.code in _TRANSIENT_CODES for e in failures):
        detail = "; ".join(f"{e.code}: {e.context}" for e in failures)
        return RegistryAnswer(delivery=Delivery.NOT_DELIVERED, errors=errors, detail=detail)
    if not failures:
        errors = (
            *errors,
            RegistryError(
                code=XdsErrorCode.REGISTRY_ERROR.value,
                context="The registry answered Failure without naming an error",
            ),
        )
    detail = "; ".join(f"{e.code}: {e.context}" for e in errors if e.is_error)
    return RegistryAnswer(delivery=Delivery.REJECTED, errors=errors, detail=detail)
