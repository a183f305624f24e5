"""ITI-62 Delete Document Set: `lcm:RemoveObjectsRequest` → `rs:RegistryResponse`.

Delete scope; the publisher must control every DocumentEntry it removes; the removal all or
nothing, with its audit record in the same database transaction.
"""

from __future__ import annotations

from lxml import etree

from registry.http.edge import registry_change, registry_response, write_audited
from registry.http.registered import registered_entries
from registry.services import delete_document_set
from registry.state import RegistryState
from schemas import vocabulary as v
from schemas.ebrim.remove import parse_remove_objects_request
from schemas.endpoint import Handler, SoapRequest, SoapResponse
from schemas.queries import IdentifierKind
from schemas.wsdl import WsdlOperation
from servicekit.soap_http import SoapTransaction
from trustframework.audit.events import touched
from trustframework.guard import Admission
from trustframework.policy import Transaction
from trustframework.soap_edge import AuditNote

OPERATION = WsdlOperation(
    name="DocumentRegistry_DeleteDocumentSet",
    action=v.ACTION_DELETE,
    request=etree.QName(v.NS_LCM, "RemoveObjectsRequest"),
    response=etree.QName(v.NS_RS, "RegistryResponse"),
)


def handler(state: RegistryState) -> Handler:
    def delete(admission: Admission, note: AuditNote, request: SoapRequest) -> SoapResponse:
        removal = parse_remove_objects_request(request.envelope.body)
        uuids = {ref.id for ref in removal.object_refs}
        entries = registered_entries(state, IdentifierKind.ENTRY_UUID, uuids)
        note.documents = touched(entries)
        note.patient = next((e.patient_id for e in entries), None)
        state.guard.check_publisher(admission, entries)
        write_audited(
            state,
            admission,
            note,
            lambda store: delete_document_set(store, removal, options=state.options),
        )
        return registry_response(OPERATION.action)

    return registry_change(state, Transaction.DELETE_DOCUMENT_SET, OPERATION.action, delete)


TRANSACTION = SoapTransaction[RegistryState](operation=OPERATION, handler=handler)
