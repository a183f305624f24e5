"""The patient identity feed over HTTP: `POST /admin/patients` with `{"patient_id": "<CX>"}`.

Scope `dokdeling/admin` (bearer or DPoP token). 201 when the patient is new, 200 when already
known, 400 with an RFC 9457 problem body for a body or CX that cannot be used, 401/403 from the
guard (problem body, `WWW-Authenticate`), 503 when the audit cannot be written. Every request is
audited (transaction `admin`). The NIST replayer feeds its patients here (docs/nist-testkit.md);
`dokdeling patients add CX` does the same from the command line.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, jsonify, request

from registry.services import UnusablePatientId, feed_patient
from registry.state import RegistryState
from schemas.model import Cx
from trustframework.audit.record import Outcome
from trustframework.guard import Admission, GuardFault
from trustframework.policy import Transaction

PATIENTS_PATH = "/admin/patients"
PROBLEM_TYPE = "application/problem+json"
_OID = re.compile(r"[0-2](\.(0|[1-9]\d*))+")


class _BadPatient(ValueError):
    """The request body does not name a usable patient id."""


def admin_blueprint(state: RegistryState) -> Blueprint:
    blueprint = Blueprint("registry_admin", __name__)

    @blueprint.post(PATIENTS_PATH)
    def add_patient() -> Response:
        try:
            admission = state.guard.admit(
                Transaction.ADMIN,
                method=request.method,
                url=request.url,
                headers=list(request.headers.items()),
            )
        except GuardFault as fault:
            return _fault_problem(fault)
        return _feed(state, admission, request.get_json(silent=True))

    return blueprint


def _feed(state: RegistryState, admission: Admission, body: Any) -> Response:
    try:
        patient = _patient_of(body)
        added = feed_patient(state.store, patient, options=state.options)
    except (_BadPatient, UnusablePatientId) as error:
        _record(state, admission, Outcome.failed(f"invalid patient id: {error}"[:255]))
        return problem(400, "Invalid patient id", str(error))
    except GuardFault as fault:
        return _fault_problem(fault)
    _record(state, admission, Outcome.permitted(admission.decision.rule_name), patient)
    answer = jsonify(patient_id=patient.render(), status="added" if added else "known")
    answer.status_code = 201 if added else 200
    return answer


def _record(
    state: RegistryState, admission: Admission, outcome: Outcome, patient: Cx | None = None
) -> None:
    state.guard.record(admission, outcome, decision=admission.decision, patient=patient)


def _patient_of(body: Any) -> Cx:
    text = body.get("patient_id") if isinstance(body, dict) else None
    if not isinstance(text, str) or not text.strip():
        raise _BadPatient('send a JSON object {"patient_id": "<CX>"}')
    patient = Cx.parse(text.strip())
    if not patient.id_number or not _OID.fullmatch(patient.authority_oid or ""):
        raise _BadPatient(
            f"{text.strip()!r} is not a CX with an id and an assigning authority OID "
            "(id^^^&oid&ISO)"
        )
    return patient


def problem(
    status: int, title: str, detail: str, headers: dict[str, str] | None = None
) -> Response:
    """An RFC 9457 problem response."""
    answer = jsonify(type="about:blank", title=title, status=status, detail=detail)
    answer.status_code = status
    answer.mimetype = PROBLEM_TYPE
    answer.headers.update(headers or {})
    return answer


def _fault_problem(fault: GuardFault) -> Response:
    title = "Refused" if fault.http_status != 503 else "Unavailable"
    return problem(fault.http_status, title, fault.reason, dict(fault.http_headers))
