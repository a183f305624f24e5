"""`GET /citizen/api/access-log`: who read the citizen's documents.

For the citizen of the token (scope `…/citizen`, `pid` the citizen): the permitted, successful
reads (ITI-18, ITI-43) by health personnel of records whose patient is the citizen's national id.
Each line gives the professional's name, HPR number and authorization, the organisation, place of
care and department, the time, the purpose, and whether it was break-the-glass; never a
practitioner's national id (ATT-8): that is only in the sealed attest, which this view never opens.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, request, url_for

from schemas.model import Cx
from trustframework import codes
from trustframework.audit.record import AccessDecision, Outcome, Result
from trustframework.audit.store import RecordFilter
from trustframework.audit.views.access import Gate
from trustframework.audit.views.presentation import citizen_entry
from trustframework.audit.views.responses import json_refusal
from trustframework.failures import AccessFailure
from trustframework.policy import Transaction

PAGE_SIZE = 100
_LOG = Transaction.CITIZEN_ACCESS_LOG
READS = frozenset({Transaction.STORED_QUERY, Transaction.RETRIEVE})


def access_log(gate: Gate) -> Response:
    access = gate.admit(request, _LOG)
    if isinstance(access, AccessFailure):
        return json_refusal(access.status, access.reason.value, access.detail, access)
    pid = access.principal.pid or ""
    before = request.args.get("before", "")
    if before and not before.isdigit():
        gate.record(request, _LOG, access, Outcome.failed("bad_request: before"))
        return json_refusal(400, "invalid_request", "before: a sequence number")
    where = RecordFilter(
        patient_id=pid,
        patient_authorities=codes.NATIONAL_PERSON_IDS,
        transactions=READS,
        decision=AccessDecision.PERMIT,
        result=Result.SUCCESS,
        with_practitioner=True,
    )
    found = gate.audit.store.search(
        where, limit=PAGE_SIZE + 1, before_seq=int(before) if before else None
    )
    page = found[:PAGE_SIZE]
    gate.record(request, _LOG, access, Outcome.permitted("scope_granted"), patient=Cx.of(pid, ""))
    following = None
    if len(found) > PAGE_SIZE:
        following = url_for(".citizen_access_log", before=page[-1].seq, _external=True)
    body = {"entries": [citizen_entry(record.entry) for record in page], "next": following}
    return Response(json.dumps(body, ensure_ascii=False), mimetype="application/json")


def register(blueprint: Blueprint, gate: Gate) -> None:
    blueprint.add_url_rule(
        "/citizen/api/access-log", "citizen_access_log", lambda: access_log(gate)
    )
