"""ITI-42 Register Document Set-b: `lcm:SubmitObjectsRequest` → `rs:RegistryResponse`.

Publish scope; validation against the configured profile (every error and warning in the
response); the publisher must control the documents; registration all or nothing, with its audit
record in the same database transaction.
"""

from __future__ import annotations

from lxml import etree

from registry.http.edge import registry_change, registry_response, write_audited
from registry.http.registered import entries_a_registration_replaces
from registry.http.submissions import validated_metadata
from registry.services import register_document_set
from registry.state import RegistryState
from schemas import vocabulary as v
from schemas.endpoint import Handler, SoapRequest, SoapResponse
from schemas.validation import Transaction as Validated
from schemas.wsdl import WsdlOperation
from servicekit.soap_http import SoapTransaction
from trustframework.audit.events import touched
from trustframework.guard import Admission
from trustframework.policy import Transaction
from trustframework.soap_edge import AuditNote

OPERATION = WsdlOperation(
    name="DocumentRegistry_RegisterDocumentSet-b",
    action=v.ACTION_REGISTER,
    request=etree.QName(v.NS_LCM, "SubmitObjectsRequest"),
    response=etree.QName(v.NS_RS, "RegistryResponse"),
)


def handler(state: RegistryState) -> Handler:
    def register(admission: Admission, note: AuditNote, request: SoapRequest) -> SoapResponse:
        metadata, warnings = validated_metadata(state, request, Validated.REGISTER)
        note.documents = touched(metadata.document_entries)
        note.patient = next((s.patient_id for s in metadata.submission_sets), None)
        replaced = entries_a_registration_replaces(state, metadata)
        state.guard.check_publisher(admission, (*metadata.document_entries, *replaced))
        write_audited(
            state,
            admission,
            note,
            lambda store: register_document_set(store, metadata, options=state.options),
        )
        return registry_response(OPERATION.action, warnings)

    return registry_change(state, Transaction.REGISTER, OPERATION.action, register)


TRANSACTION = SoapTransaction[RegistryState](operation=OPERATION, handler=handler)
