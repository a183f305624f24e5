"""What every audited SOAP transaction shares: the guard at the door, one audit record per
request whatever its end, and XDS failures answered as error responses (never a 500).

    def handle(request: SoapRequest) -> SoapResponse:
        return serve(guard, request, Transaction.REGISTER, work, failure_response)

`work(admission, note)` does the transaction and fills in `note` (patient, documents, decision)
as it learns them. The record is written before the answer leaves: success after `work`
returns (unless `work` wrote its record itself, e.g. inside its own database transaction:
`note.recorded`), a failure with the XDS error codes or the fault reason. A refusal by the guard
is audited by the guard itself. When a record cannot be written the answer is the 503 fault
`audit_unavailable`. Both services' SOAP edges run every transaction through `serve`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from schemas.endpoint import SoapRequest, SoapResponse
from schemas.errors import RegistryError, XdsFailure
from schemas.model import Cx
from schemas.soap import SoapFault
from trustframework.audit.record import Outcome, TouchedDocument
from trustframework.audit.writer import AuditWriteFailed
from trustframework.guard import Admission, Guard, GuardFault, audit_unavailable_fault
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
    """The transaction wrote its success record itself (in its own database transaction, or
    together with the records of what it refused)."""


Work = Callable[[Admission, AuditNote], SoapResponse]
FailureResponse = Callable[[tuple[RegistryError, ...]], SoapResponse]


def serve(
    guard: Guard,
    request: SoapRequest,
    transaction: Transaction,
    work: Work,
    failure_response: FailureResponse,
) -> SoapResponse:
    """Admit the request, run `work`, record the outcome, answer."""
    http = request.http
    admission = guard.admit(transaction, method=http.method, url=http.url, headers=http.headers)
    note = AuditNote()
    try:
        response = work(admission, note)
    except GuardFault:
        raise
    except XdsFailure as failure:
        record_failure(guard, admission, note, error_codes(failure.errors))
        return failure_response(failure.errors)
    except AuditWriteFailed as error:  # an in-transaction record: the change was rolled back
        raise audit_unavailable_fault(error) from error
    except SoapFault as fault:
        record_failure(guard, admission, note, fault.reason)
        raise
    except Exception:
        log.exception("%s failed", transaction.value)
        record_failure(guard, admission, note, INTERNAL_ERROR)
        raise
    if not note.recorded:
        decision = note.decision or admission.decision
        guard.record(
            admission,
            Outcome.permitted(decision.rule_name),
            decision=decision,
            patient=note.patient,
            documents=note.documents,
        )
    return response


def record_failure(guard: Guard, admission: Admission, note: AuditNote, error: str) -> None:
    """The record of a permitted request that then failed (`error`: codes or a reason)."""
    guard.record(
        admission,
        Outcome.failed(error[:ERROR_LENGTH], rule=admission.decision.rule_name),
        patient=note.patient,
        documents=note.documents,
    )


def error_codes(errors: Sequence[RegistryError]) -> str:
    """The distinct XDS error codes (not warnings) of a failure, for the record's `error`."""
    return ", ".join(dict.fromkeys(e.code for e in errors if e.is_error)) or "failure"
