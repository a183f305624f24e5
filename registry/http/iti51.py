"""ITI-51 Multi-Patient Stored Query: FindDocumentsForMultiplePatients and
FindFoldersForMultiplePatients at their own action (`registry.http.stored_queries` has the flow).

A health-personnel read is bound to one patient, so a result spanning patients is refused by the
policy (`patient_not_bound_to_attest`); ITI-51 serves one patient per request in practice.
"""

from __future__ import annotations

from registry.http.stored_queries import operation, query_handler
from registry.state import RegistryState
from schemas import vocabulary as v
from schemas.endpoint import Handler
from schemas.queries import Transaction as QueryTransaction
from servicekit.soap_http import SoapTransaction

OPERATION = operation("DocumentRegistry_MultiPatientStoredQuery", v.ACTION_MULTI_PATIENT_QUERY)


def handler(state: RegistryState) -> Handler:
    return query_handler(state, OPERATION, QueryTransaction.MULTI_PATIENT_QUERY)


TRANSACTION = SoapTransaction[RegistryState](operation=OPERATION, handler=handler)
