"""ITI-41 Provide and Register Document Set-b at `POST /xds/repository`.

The request may be MTOM (documents as `xop:Include`, spooled and hashed by the MTOM reader) or
inline base64. By default the answer is the registry's (wait mode). A source doing bulk backfill
asks for deferred registration with the HTTP header `Prefer: respond-async` (RFC 7240): the
answer then comes once the documents are stored durably, with `Preference-Applied:
respond-async`, and the registration follows from the outbox. `DOKDELING_REGISTRATION_MODE=
deferred` makes that the default for every request.
"""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from repository.model import RegistrationMode
from repository.state import RepositoryState
from schemas import vocabulary as v
from schemas.ebrim.provide import read_provide_and_register_request
from schemas.ebrim.response import build_registry_response
from schemas.endpoint import Handler, SoapRequest, SoapResponse
from schemas.errors import ResponseStatus, XdsFailure
from schemas.model.messages import RegistryResponse
from schemas.wsdl import WsdlOperation
from servicekit.soap_http import SoapTransaction

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


def handler(state: RepositoryState) -> Handler:
    provide = state.services.provide

    def handle(request: SoapRequest) -> SoapResponse:
        received = read_provide_and_register_request(request.envelope.body, request.attachment)
        mode = RegistrationMode.DEFERRED if asks_deferred(request.http_headers) else None
        headers: dict[str, str] = {}
        try:
            outcome = provide.provide(received, mode=mode)
        except XdsFailure as failure:
            response = RegistryResponse(status=ResponseStatus.FAILURE, errors=failure.errors)
        else:
            response = outcome.response
            if outcome.mode is RegistrationMode.DEFERRED:
                headers["Preference-Applied"] = RESPOND_ASYNC
        return SoapResponse(
            action=OPERATION.response_action,
            payload=build_registry_response(response),
            http_headers=headers,
        )

    return handle


TRANSACTION = SoapTransaction[RepositoryState](operation=OPERATION, handler=handler)
