"""ITI-41 Provide and Register Document Set-b at `POST /xds/repository`.

The guard admits the source (publish scope); the source may only publish documents its own
organisation controls (`Guard.check_publisher`, checked before any byte is stored); the
registration then goes to the registry on behalf of that organisation (`Sender`). The request
may be MTOM (documents as `xop:Include`, spooled and hashed by the MTOM reader) or inline base64.
By default the answer is the registry's (wait mode). A source doing bulk backfill asks for
deferred registration with the HTTP header `Prefer: respond-async` (RFC 7240): the answer then
comes once the documents are stored durably, with `Preference-Applied: respond-async`, and the
registration follows from the outbox. `DOKDELING_REGISTRATION_MODE=deferred` makes that the
default for every request. The transaction's audit record (the documents, the outcome) is
written before the answer leaves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from lxml import etree

from repository.model import RegistrationMode, Sender
from repository.services.provide import Source
from repository.state import RepositoryState
from schemas import vocabulary as v
from schemas.ebrim.provide import read_provide_and_register_request
from schemas.ebrim.response import build_registry_response
from schemas.endpoint import Handler, SoapRequest, SoapResponse
from schemas.errors import RegistryError, ResponseStatus, XdsFailure
from schemas.model import DocumentEntry
from schemas.model.messages import RegistryResponse
from schemas.wsdl import WsdlOperation
from servicekit.soap_http import SoapTransaction
from trustframework.audit.events import touched
from trustframework.guard import Admission
from trustframework.policy import Transaction
from trustframework.soap_edge import AuditNote, serve

RESPOND_ASYNC = "respond-async"

OPERATION = WsdlOperation(
    name="DocumentRepository_ProvideAndRegisterDocumentSet-b",
    action=v.ACTION_PROVIDE_AND_REGISTER,
    request=etree.QName(v.NS_XDSB, "ProvideAndRegisterDocumentSetRequest"),
    response=etree.QName(v.NS_RS, "RegistryResponse"),
)


def asks_deferred(headers: Mapping[str, str]) -> bool:
    """Whether the `Prefer` header (RFC 7240) holds the preference `respond-async`."""
    items = (
        item
        for name, value in headers.items()
        if name.lower() == "prefer"
        for item in value.split(",")
    )
    preferences = (item.split(";", 1)[0].split("=", 1)[0].strip().lower() for item in items)
    return RESPOND_ASYNC in preferences


def _response(response: RegistryResponse, headers: Mapping[str, str] | None = None) -> SoapResponse:
    return SoapResponse(
        action=OPERATION.response_action,
        payload=build_registry_response(response),
        http_headers=headers or {},
    )


def _failure(errors: tuple[RegistryError, ...]) -> SoapResponse:
    return _response(RegistryResponse(status=ResponseStatus.FAILURE, errors=errors))


def handler(state: RepositoryState) -> Handler:
    provide = state.services.provide
    repository_unique_id = state.settings.repository_unique_id

    def source(admission: Admission, note: AuditNote) -> Source:
        def may_publish(entries: Sequence[DocumentEntry]) -> None:
            held_here = [replace(e, repository_unique_id=repository_unique_id) for e in entries]
            note.documents = touched(held_here)
            note.patient = next((e.patient_id for e in entries if e.patient_id), None)
            state.guard.check_publisher(admission, entries)

        organisations = state.guard.publishing_organisations(admission)
        sender = Sender(organisations=tuple(sorted(organisations)), request_id=admission.request_id)
        return Source(may_publish=may_publish, sender=sender)

    def answer(admission: Admission, note: AuditNote, request: SoapRequest) -> SoapResponse:
        received = read_provide_and_register_request(request.envelope.body, request.attachment)
        mode = RegistrationMode.DEFERRED if asks_deferred(request.http_headers) else None
        outcome = provide.provide(received, mode=mode, source=source(admission, note))
        if outcome.response.status is ResponseStatus.FAILURE:  # recorded as the failure it is
            raise XdsFailure(*outcome.response.errors)
        deferred = outcome.mode is RegistrationMode.DEFERRED
        return _response(
            outcome.response, {"Preference-Applied": RESPOND_ASYNC} if deferred else None
        )

    def handle(request: SoapRequest) -> SoapResponse:
        return serve(
            state.guard,
            request,
            Transaction.PROVIDE_AND_REGISTER,
            lambda admission, note: answer(admission, note, request),
            _failure,
        )

    return handle


TRANSACTION = SoapTransaction[RepositoryState](operation=OPERATION, handler=handler)
