"""The auditor's views: the record list and a record's detail (HTML, usable without JavaScript),
exports, and the FHIR search API.

An auditor (scope `…/audit`) sees the records whose data controller is the organisation of the
token (`orgnr_parent`): the data controller's view of who touched its documents. The operator of
the source (`DOKDELING_AUDIT_OPERATOR_ORGANISATION`) sees every record, including those without a
data controller (refusals before any document was known, empty queries).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Response, render_template, request, stream_with_context, url_for

from schemas.model import Cx
from trustframework.audit.export.documents import ExportFormat, export_chunks
from trustframework.audit.export.fhir import FHIR_JSON, audit_event, bundle
from trustframework.audit.record import AuditRecord, Outcome
from trustframework.audit.sealing import AuditKeyError
from trustframework.audit.unseal import unseal
from trustframework.audit.views import presentation
from trustframework.audit.views.access import Gate, organisation_missing
from trustframework.audit.views.filters import AuditQuery, BadFilter, parse_query
from trustframework.audit.views.responses import html_refusal, operation_outcome
from trustframework.context import AccessContext
from trustframework.failures import AccessFailure
from trustframework.policy import Transaction

PAGE_SIZE = 50
API_PAGE_SIZE = 100
API_MAX_PAGE_SIZE = 1000
_VIEW = Transaction.AUDIT_VIEW


def _link(endpoint: str, given: Mapping[str, str], **extra: Any) -> str:
    """A URL to `endpoint` keeping the filter parameters `given`."""
    values: dict[str, Any] = {**given, **extra}
    return url_for(endpoint, **values)


def _auditor(gate: Gate) -> AccessContext | AccessFailure:
    access = gate.admit(request, _VIEW)
    if isinstance(access, AccessContext) and access.principal.orgnr_parent is None:
        failure = organisation_missing()
        gate.record(request, _VIEW, access, Outcome.denied(failure.reason.value))
        return failure
    return access


def _controller_scope(gate: Gate, context: AccessContext) -> str | None:
    """The data controller whose records this auditor sees; None: all (the operator)."""
    organisation = context.principal.orgnr_parent
    return None if organisation == gate.audit.settings.operator_organisation else organisation


def _query(gate: Gate, context: AccessContext, *, limit: int) -> AuditQuery | BadFilter:
    try:
        return parse_query(
            request.args,
            data_controller=_controller_scope(gate, context),
            default_limit=limit,
            max_limit=max(limit, API_MAX_PAGE_SIZE),
        )
    except BadFilter as error:
        gate.record(request, _VIEW, context, Outcome.failed(f"bad_request: {error}"))
        return error


def _page(gate: Gate, query: AuditQuery) -> tuple[list[AuditRecord], int | None]:
    """One page (newest first) and the sequence number the next page starts below."""
    found = gate.audit.store.search(query.where, limit=query.limit + 1, before_seq=query.before)
    page = found[: query.limit]
    return page, (page[-1].seq if len(found) > query.limit else None)


def _record_look(gate: Gate, context: AccessContext, *, patient: Cx | None) -> None:
    organisation = context.principal.orgnr_parent
    gate.record(
        request,
        _VIEW,
        context,
        Outcome.permitted("scope_granted"),
        patient=patient,
        data_controller=organisation,
    )


def record_list(gate: Gate) -> Response | str:
    access = _auditor(gate)
    if isinstance(access, AccessFailure):
        return html_refusal(access)
    query = _query(gate, access, limit=PAGE_SIZE)
    if isinstance(query, BadFilter):
        return html_refusal(None, status=400, message=str(query))
    records, next_before = _page(gate, query)
    _record_look(gate, access, patient=query.patient)
    next_url = _link(".audit_list", query.given, before=next_before) if next_before else None
    return render_template(
        "audit/list.html",
        service=gate.audit.service,
        organisation=access.principal.orgnr_parent,
        given=query.given,
        records=[record.entry for record in records],
        next_url=next_url,
        fhir_export=_link(".audit_export", query.given, format="fhir"),
        atna_export=_link(".audit_export", query.given, format="atna"),
        labels=presentation,
    )


def record_detail(gate: Gate, record_id: str) -> Response | str:
    access = _auditor(gate)
    if isinstance(access, AccessFailure):
        return html_refusal(access)
    record = gate.audit.store.find(record_id)
    scope = _controller_scope(gate, access)
    controller = record.entry.data_controller if record is not None else None
    visible = record is not None and (
        scope is None or (controller is not None and controller.id == scope)
    )
    if record is None or not visible:
        gate.record(request, _VIEW, access, Outcome.failed("not_found"))
        return html_refusal(None, status=404, message="Ingen slik hendelse i din virksomhets logg.")
    patient = record.entry.patient
    _record_look(gate, access, patient=Cx.of(patient.id, patient.authority) if patient else None)
    try:
        sealed: dict[str, Any] | None = unseal(gate.audit.settings.keyring, record).attest
        problem = None
    except AuditKeyError as error:
        sealed, problem = None, str(error)
    return render_template(
        "audit/detail.html",
        record=record,
        entry=record.entry,
        attest=json.dumps(sealed, indent=2, ensure_ascii=False) if sealed else None,
        problem=problem,
        labels=presentation,
    )


def export(gate: Gate) -> Response | str:
    access = _auditor(gate)
    if isinstance(access, AccessFailure):
        return html_refusal(access)
    query = _query(gate, access, limit=PAGE_SIZE)
    form_name = request.args.get("format", ExportFormat.FHIR.value)
    if isinstance(query, BadFilter):
        return html_refusal(None, status=400, message=str(query))
    if form_name not in {f.value for f in ExportFormat}:
        gate.record(request, _VIEW, access, Outcome.failed("bad_request: format"))
        return html_refusal(None, status=400, message="format: fhir or atna")
    _record_look(gate, access, patient=query.patient)
    form = ExportFormat(form_name)
    media = FHIR_JSON if form is ExportFormat.FHIR else "application/xml"
    name = f"audit-{gate.audit.service}.{'json' if form is ExportFormat.FHIR else 'xml'}"
    chunks = export_chunks(
        gate.audit.store.records(where=query.where),
        form=form,
        source=gate.audit.source,
        keyring=gate.audit.settings.keyring,
    )
    response = Response(stream_with_context(chunks), mimetype=media)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def events_api(gate: Gate) -> Response:
    access = _auditor(gate)
    if isinstance(access, AccessFailure):
        return operation_outcome(access.status, access.reason.value, access.detail, access)
    query = _query(gate, access, limit=API_PAGE_SIZE)
    if isinstance(query, BadFilter):
        return operation_outcome(400, "invalid", str(query))
    records, next_before = _page(gate, query)
    _record_look(gate, access, patient=query.patient)
    keyring = gate.audit.settings.keyring
    resources = []
    for record in records:
        try:
            national_id = unseal(keyring, record).national_id
        except AuditKeyError:
            national_id = None
        resources.append(audit_event(record, gate.audit.source, national_id=national_id))
    result = bundle(resources, bundle_type="searchset")
    links = [{"relation": "self", "url": request.url}]
    if next_before is not None:
        links.append(
            {
                "relation": "next",
                "url": url_for(".audit_events", **query.given, before=next_before, _external=True),
            }
        )
    result["link"] = links
    return Response(json.dumps(result, ensure_ascii=False), mimetype=FHIR_JSON)


def register(blueprint: Blueprint, gate: Gate) -> None:
    blueprint.add_url_rule("/audit/", "audit_list", lambda: record_list(gate))
    blueprint.add_url_rule(
        "/audit/records/<record_id>",
        "audit_record",
        lambda record_id: record_detail(gate, record_id),
    )
    blueprint.add_url_rule("/audit/export", "audit_export", lambda: export(gate))
    blueprint.add_url_rule("/audit/api/events", "audit_events", lambda: events_api(gate))
