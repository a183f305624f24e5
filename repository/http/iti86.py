"""ITI-86 Remove Documents at `POST /xds/repository` (the documents only; metadata goes with
ITI-62 at the registry, see `repository.services.remove`).

Delete scope; the caller may only remove documents its own organisation controls (their data
controller, from the repository's record of each document); the removal is one database
transaction together with its audit record, so a document is never removed unrecorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lxml import etree

from repository.model import StoredDocument
from repository.state import RepositoryState
from schemas import vocabulary as v
from schemas.ebrim.remove import parse_remove_documents_request
from schemas.ebrim.response import build_registry_response
from schemas.endpoint import Handler, SoapRequest, SoapResponse
from schemas.errors import RegistryError, ResponseStatus, XdsFailure, status_for
from schemas.model.messages import RegistryResponse
from schemas.wsdl import WsdlOperation
from servicekit.soap_http import SoapTransaction
from trustframework.audit.events import touched
from trustframework.audit.record import Outcome
from trustframework.audit.storage.in_transaction import InTransactionAudit
from trustframework.guard import Admission
from trustframework.policy import Transaction
from trustframework.soap_edge import AuditNote, serve

OPERATION = WsdlOperation(
    name="DocumentRepository_RemoveDocuments",
    action=v.ACTION_REMOVE_DOCUMENTS,
    request=etree.QName(v.NS_RMD, "RemoveDocumentsRequest"),
    response=etree.QName(v.NS_RS, "RegistryResponse"),
)


def _response(response: RegistryResponse) -> SoapResponse:
    return SoapResponse(action=OPERATION.response_action, payload=build_registry_response(response))


def _failure(errors: tuple[RegistryError, ...]) -> SoapResponse:
    return _response(RegistryResponse(status=status_for(errors), errors=errors))


class RemovalRecord:
    """The removal's audit record, appended inside the removal's transaction (the store's
    `RemovalHook`) with the documents it removed."""

    def __init__(self, state: RepositoryState, admission: Admission, note: AuditNote) -> None:
        self._state = state
        self._admission = admission
        self._note = note
        self._appended: InTransactionAudit | None = None

    def __call__(self, connection: Any, removed: Sequence[StoredDocument]) -> None:
        state, admission, note = self._state, self._admission, self._note
        note.documents = touched(document.entry() for document in removed)
        event = state.guard.event(
            admission,
            Outcome.permitted(admission.decision.rule_name),
            decision=admission.decision,
            patient=note.patient,
            documents=note.documents,
        )
        self._appended = InTransactionAudit.of(state.audit.store, event)
        self._appended(connection)
        note.recorded = True

    def deliver(self) -> None:
        """After the commit: the delivery tasks of the data controllers concerned."""
        if self._appended is not None:
            self._appended.deliver(self._state.notify_delivery)


def handler(state: RepositoryState) -> Handler:
    remove = state.services.remove

    def answer(admission: Admission, note: AuditNote, request: SoapRequest) -> SoapResponse:
        removal = parse_remove_documents_request(request.envelope.body)
        entries = [document.entry() for document in remove.held(removal)]
        note.documents = touched(entries)
        patients = {e.patient_id for e in entries if e.patient_id is not None}
        note.patient = next(iter(patients)) if len(patients) == 1 else None
        state.guard.check_publisher(admission, entries)
        record = RemovalRecord(state, admission, note)
        response = remove.remove(removal, hook=record)
        if response.status is ResponseStatus.FAILURE:  # nothing removed: recorded as a failure
            raise XdsFailure(*response.errors)
        record.deliver()
        return _response(response)

    def handle(request: SoapRequest) -> SoapResponse:
        return serve(
            state.guard,
            request,
            Transaction.REMOVE_DOCUMENTS,
            lambda admission, note: answer(admission, note, request),
            _failure,
        )

    return handle


TRANSACTION = SoapTransaction[RepositoryState](operation=OPERATION, handler=handler)
