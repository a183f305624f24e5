"""ITI-86 Remove Documents at `POST /xds/repository` (the documents only; metadata goes with
ITI-62 at the registry, see `repository.services.remove`)."""

from __future__ import annotations

from lxml import etree

from repository.state import RepositoryState
from schemas import vocabulary as v
from schemas.ebrim.remove import parse_remove_documents_request
from schemas.ebrim.response import build_registry_response
from schemas.endpoint import Handler, SoapRequest, SoapResponse
from schemas.wsdl import WsdlOperation
from servicekit.soap_http import SoapTransaction

OPERATION = WsdlOperation(
    name="DocumentRepository_RemoveDocuments",
    action=v.ACTION_REMOVE_DOCUMENTS,
    request=etree.QName(v.NS_RMD, "RemoveDocumentsRequest"),
    response=etree.QName(v.NS_RS, "RegistryResponse"),
)


def handler(state: RepositoryState) -> Handler:
    remove = state.services.remove

    def handle(request: SoapRequest) -> SoapResponse:
        response = remove.remove(parse_remove_documents_request(request.envelope.body))
        return SoapResponse(
            action=OPERATION.response_action, payload=build_registry_response(response)
        )

    return handle


TRANSACTION = SoapTransaction[RepositoryState](operation=OPERATION, handler=handler)
