"""ITI-57 Update Document Set: `lcm:SubmitObjectsRequest` (metadata update) → `rs:RegistryResponse`.

Update scope; validation as ITI-57 against the configured profile; the publisher must control
the submitted versions and every registered DocumentEntry the request changes; the update all
or nothing, with its audit record in the same database transaction.
"""

from __future__ import annotations

from lxml import etree

from registry.http.edge import registry_change, registry_response, write_audited
from registry.http.registered import entries_an_update_touches
from registry.http.submissions import validated_metadata
from registry.services import update_document_set
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
    name="DocumentRegistry_UpdateDocumentSet",
    action=v.ACTION_UPDATE,
    request=etree.QName(v.NS_LCM, "SubmitObjectsRequest"),
    response=etree.QName(v.NS_RS, "RegistryResponse"),
)


def handler(state: RegistryState) -> Handler:
    def update(admission: Admission, note: AuditNote, request: SoapRequest) -> SoapResponse:
        metadata, warnings = validated_metadata(state, request, Validated.UPDATE)
        registered = entries_an_update_touches(state, metadata)
        changed = (*metadata.document_entries, *registered)
        note.documents = touched({e.unique_id: e for e in changed}.values())  # versions: one doc
        note.patient = next((s.patient_id for s in metadata.submission_sets), None)
        state.guard.check_publisher(admission, changed)
        outcome = write_audited(
            state,
            admission,
            note,
            lambda store: update_document_set(store, metadata, options=state.options),
        )
        return registry_response(OPERATION.action, (*warnings, *outcome.warnings))

    return registry_change(state, Transaction.UPDATE, OPERATION.action, update)


TRANSACTION = SoapTransaction[RegistryState](operation=OPERATION, handler=handler)
