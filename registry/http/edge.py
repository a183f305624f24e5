"""What every registry SOAP transaction shares: the guard at the door, one audit record per
request whatever its end, and XDS failures answered as error responses (never a 500).

    def handler(state: RegistryState) -> Handler:
        def handle(request: SoapRequest) -> SoapResponse:
            return serve(state, request, Transaction.REGISTER, work, failure_response)

`work(admission, note)` does the transaction and fills in `note` (patient, documents, decision)
as it learns them. The record is written before the answer leaves: success after `work`
returns (unless `work` recorded it inside its own database transaction: `note.recorded`), a
failure with the XDS error codes or the fault reason. A refusal by the guard is audited by the
guard itself. When a record cannot be written the answer is the 503 fault `audit_unavailable`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from registry.interfaces import RegistryStore
from registry.state import RegistryState
from registry.storage.audit import InTransactionAudit
from schemas import vocabulary as v
from schemas.ebrim.response import build_registry_response
from schemas.endpoint import Handler, SoapRequest, SoapResponse
from schemas.errors import RegistryError, XdsFailure, status_for
from schemas.model import Cx, RegistryResponse
from schemas.soap import SoapFault
from trustframework.audit.record import Outcome, TouchedDocument
from trustframework.audit.writer import AuditWriteFailed, seal_event
from trustframework.guard import Admission, GuardFault, audit_unavailable_fault
from trustframework.policy import Decision, Transaction

log = logging.getLogger(__name__)
ERROR_LENGTH = 255  # the audit's error column
INTERNAL_ERROR = "internal error"


@dataclass(slots=True)
class AuditNote:
    """What the record of one request says, filled in while the transaction runs."""

    patient: Cx | None = None
    documents: tuple[TouchedDocument, ...] = ()
    decision: Decision | None = None
    recorded: bool = False
    """The transaction wrote its success record itself, in its own database transaction."""


T = TypeVar("T")
Work = Callable[[Admission, AuditNote], SoapResponse]
FailureResponse = Callable[[tuple[RegistryError, ...]], SoapResponse]


def serve(
    state: RegistryState,
    request: SoapRequest,
    transaction: Transaction,
    work: Work,
    failure_response: FailureResponse,
) -> SoapResponse:
    """Admit the request, run `work`, record the outcome, answer."""
    http = request.http
    admission = state.guard.admit(
        transaction, method=http.method, url=http.url, headers=http.headers
    )
    note = AuditNote()
    try:
        response = work(admission, note)
    except GuardFault:
        raise
    except XdsFailure as failure:
        _record_failure(state, admission, note, _error_codes(failure.errors))
        return failure_response(failure.errors)
    except AuditWriteFailed as error:  # the in-transaction record: the change was rolled back
        raise audit_unavailable_fault(error) from error
    except SoapFault as fault:
        _record_failure(state, admission, note, fault.reason)
        raise
    except Exception:
        log.exception("%s failed", transaction.value)
        _record_failure(state, admission, note, INTERNAL_ERROR)
        raise
    if not note.recorded:
        rule = (note.decision or admission.decision).rule_name
        state.guard.record(
            admission,
            Outcome.permitted(rule),
            decision=note.decision or admission.decision,
            patient=note.patient,
            documents=note.documents,
        )
    return response


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
            state,
            request,
            transaction,
            lambda admission, note: work(admission, note, request),
            lambda errors: registry_response(action, errors),
        )

    return handle


def _record_failure(
    state: RegistryState, admission: Admission, note: AuditNote, error: str
) -> None:
    state.guard.record(
        admission,
        Outcome.failed(error[:ERROR_LENGTH], rule=admission.decision.rule_name),
        patient=note.patient,
        documents=note.documents,
    )


def _error_codes(errors: Sequence[RegistryError]) -> str:
    return ", ".join(dict.fromkeys(e.code for e in errors if e.is_error)) or "failure"


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
    entries = seal_event(event, service=state.audit.service, keyring=state.audit.settings.keyring)
    hook = InTransactionAudit(state.audit.store, entries)
    result = write(state.store.with_commit_hook(hook))
    note.recorded = True
    if hook.organisations:
        try:
            state.notify_delivery(hook.organisations)
        except Exception:  # the outbox rows are durable; the worker's sweep sends them
            log.warning("could not send audit delivery tasks", exc_info=True)
    return result
