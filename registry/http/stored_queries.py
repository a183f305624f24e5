"""The stored-query flow ITI-18 and ITI-51 share: `query:AdhocQueryRequest` →
`query:AdhocQueryResponse` assembled from the stored bytes, filtered by the access policy.

1. the guard admits the caller (list scope, attest, its age, the practitioner, the binding);
2. the request is read and parsed into one typed query (`parse_stored_query`); a query of the
   other transaction is XDSUnknownStoredQuery;
3. the patients the query names are checked against the binding before anything is read;
4. the query runs (`run_stored_query`: XDSTooManyResults, XDSResultNotSinglePatient);
5. the policy decides over the DocumentEntries of the result and those its Associations point
   at, for every patient the result concerns, with the blocks of those patients; it judges the
   access facts stored with each entry's row (`trustframework.judged.AccessFacts`), no XML;
6. hidden entries, and the Associations that would reveal them, are left out
   (`registry.services.filtering`); the response carries `NHN-SecurityLabel-Nors-Count` and a
   warning for every parameter the query ignored.
"""

from __future__ import annotations

from lxml import etree

from registry.http.registered import registered_access_facts
from registry.responses import query_response_body
from registry.services import QueryResult, run_stored_query
from registry.services.filtering import read_contents, without_hidden
from registry.state import RegistryState
from schemas import vocabulary as v
from schemas.ebrim.query import build_adhoc_query_response, parse_adhoc_query_request
from schemas.endpoint import Handler, SoapRequest, SoapResponse
from schemas.errors import RegistryError, Severity, XdsErrorCode, XdsFailure, status_for
from schemas.model import AdhocQueryResponse, Cx
from schemas.queries import CATALOGUE, IdentifierKind, StoredQuery, parse_stored_query
from schemas.queries import Transaction as QueryTransaction
from schemas.wsdl import WsdlOperation
from trustframework.audit.events import touched
from trustframework.guard import Admission
from trustframework.judged import AccessFacts
from trustframework.policy import NORS_COUNT_HEADER, Filter, Permit, Transaction, patients_concerned
from trustframework.soap_edge import AuditNote, serve
from trustframework.visibility import Rule

_POLICY_TRANSACTION = {
    QueryTransaction.REGISTRY_STORED_QUERY: Transaction.STORED_QUERY,
    QueryTransaction.MULTI_PATIENT_QUERY: Transaction.MULTI_PATIENT_QUERY,
}


def operation(name: str, action: str) -> WsdlOperation:
    return WsdlOperation(
        name=name,
        action=action,
        request=etree.QName(v.NS_QUERY, "AdhocQueryRequest"),
        response=etree.QName(v.NS_QUERY, "AdhocQueryResponse"),
    )


def query_handler(
    state: RegistryState, operation: WsdlOperation, carries: QueryTransaction
) -> Handler:
    """The handler of the query transaction `carries` at `operation`'s action."""

    def failure(errors: tuple[RegistryError, ...]) -> SoapResponse:
        response = AdhocQueryResponse(status=status_for(errors), errors=errors)
        return SoapResponse(
            action=operation.response_action, payload=build_adhoc_query_response(response)
        )

    def answer(admission: Admission, note: AuditNote, request: SoapRequest) -> SoapResponse:
        query = _parsed_query(request, carries)
        named = _named_patients(query)
        note.patient = next(iter(named), None) if len(named) == 1 else None
        state.guard.decide_read(admission, patients=named)
        result = run_stored_query(state.store, query, options=state.options)
        shown, nors_count = _visible(state, admission, note, named, result)
        body = query_response_body(shown, _ignored_warnings(query))
        return SoapResponse(
            action=operation.response_action,
            payload=body,
            http_headers={NORS_COUNT_HEADER: str(nors_count)},
        )

    def handle(request: SoapRequest) -> SoapResponse:
        return serve(
            state.guard,
            request,
            _POLICY_TRANSACTION[carries],
            lambda admission, note: answer(admission, note, request),
            failure,
        )

    return handle


def _parsed_query(request: SoapRequest, carries: QueryTransaction) -> StoredQuery:
    adhoc = parse_adhoc_query_request(request.envelope.body)
    spec = CATALOGUE.get(adhoc.query_id)
    if spec is not None and spec.transaction is not carries:
        raise XdsFailure.of(
            XdsErrorCode.UNKNOWN_STORED_QUERY,
            f"{spec.name} ({adhoc.query_id}) is a {spec.transaction.value} query, not one of "
            f"{carries.value}; send it to the {spec.transaction.value} action",
            adhoc.query_id,
        )
    return parse_stored_query(adhoc)


def _named_patients(query: StoredQuery) -> frozenset[Cx]:
    """The patients the query's parameters name (none for the Get… queries)."""
    single = getattr(query, "patient_id", None)
    if isinstance(single, Cx):
        return frozenset({single})
    return frozenset(getattr(query, "patient_ids", None) or ())


def _visible(
    state: RegistryState,
    admission: Admission,
    note: AuditNote,
    named: frozenset[Cx],
    result: QueryResult,
) -> tuple[QueryResult, int]:
    """The result as the caller may see it, and how many NORS entries it hid."""
    contents = read_contents(result.objects)
    referenced = registered_access_facts(
        state, IdentifierKind.ENTRY_UUID, contents.ends_outside(result.objects)
    )
    judged = (*contents.entries, *referenced)
    patients = named | contents.patients | {e.patient_id for e in referenced if e.patient_id}
    if len(patients) == 1:
        note.patient = next(iter(patients))
    blocked = state.blocks.blocked_hpr_numbers(patients_concerned(None, judged) | patients)
    decision = state.guard.decide_read(
        admission, patients=patients, entries=judged, blocked=blocked
    )
    note.decision = decision
    visible = _visible_entries(decision, judged)
    in_result = {e.entry_uuid for e in contents.entries}
    note.documents = touched(e for e in contents.entries if e.entry_uuid in visible)
    hidden = {e.entry_uuid for e in judged if e.entry_uuid not in visible}
    shown = without_hidden(result.objects, contents, hidden)
    nors = 0
    if isinstance(decision, Filter):
        nors = sum(
            1
            for h in decision.hidden
            if h.entry.entry_uuid in in_result and h.rule is Rule.NORS_HIDDEN_FROM_PERSONNEL
        )
    return QueryResult(objects=shown, return_type=result.return_type), nors


def _visible_entries(decision: Permit | Filter, judged: tuple[AccessFacts, ...]) -> set[str]:
    entries = decision.visible if isinstance(decision, Filter) else judged
    return {e.entry_uuid for e in entries}


def _ignored_warnings(query: StoredQuery) -> tuple[RegistryError, ...]:
    return tuple(
        RegistryError(
            code=XdsErrorCode.REGISTRY_ERROR,
            context=f"ignored: {note}",
            location=note.split(":", 1)[0],
            severity=Severity.WARNING,
        )
        for note in query.options.ignored
    )
