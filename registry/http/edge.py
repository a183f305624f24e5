"""What the registry's SOAP transactions share beyond `trustframework.soap_edge` (the guard,
one audit record per request, XDS failures as error responses): the handler shape of the write
transactions, their `rs:RegistryResponse`, and the audit record appended in the write's own
database transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from registry.interfaces import RegistryStore
from registry.state import RegistryState
from schemas import vocabulary as v
from schemas.ebrim.response import build_registry_response
from schemas.endpoint import Handler, SoapRequest, SoapResponse
from schemas.errors import RegistryError, status_for
from schemas.model import RegistryResponse
from trustframework.audit.record import Outcome
from trustframework.audit.storage.in_transaction import InTransactionAudit
from trustframework.guard import Admission
from trustframework.policy import Transaction
from trustframework.soap_edge import AuditNote, serve

T = TypeVar("T")


def registry_change(
    state: RegistryState,
    transaction: Transaction,
    action: str,
    work: Callable[[Admission, AuditNote, SoapRequest], SoapResponse],
) -> Handler:
    """The handler of a write transaction (ITI-42, ITI-57, ITI-62): `serve` with its work, and
    XDS failures answered as a Failure `rs:RegistryResponse`."""

    def handle(request: SoapRequest) -> SoapResponse:
        return serve(
            state.guard,
            request,
            transaction,
            lambda admission, note: work(admission, note, request),
            lambda errors: registry_response(action, errors),
        )

    return handle


def registry_response(action: str, errors: Sequence[RegistryError] = ()) -> SoapResponse:
    """`rs:RegistryResponse` under `action`'s response action: Success (warnings allowed) or
    Failure with every error."""
    response = RegistryResponse(status=status_for(errors), errors=tuple(errors))
    payload = build_registry_response(response)
    return SoapResponse(action=action + v.RESPONSE_ACTION_SUFFIX, payload=payload)


def write_audited(
    state: RegistryState,
    admission: Admission,
    note: AuditNote,
    write: Callable[[RegistryStore], T],
) -> T:
    """Run a registry write whose success record (from `note`, as it stands now) is appended in
    the write's own database transaction: the change and its record commit together, or
    neither (`AuditWriteFailed`, answered 503). Delivery tasks are sent after the commit."""
    event = state.guard.event(
        admission,
        Outcome.permitted(admission.decision.rule_name),
        decision=admission.decision,
        patient=note.patient,
        documents=note.documents,
    )
    hook = InTransactionAudit.of(state.audit.store, event)
    result = write(state.store.with_commit_hook(hook))
    note.recorded = True
    hook.deliver(state.notify_delivery)
    return result
