"""ITI-18 Registry Stored Query: the fourteen single-patient and Get… stored queries
(`registry.http.stored_queries` has the flow)."""

from __future__ import annotations

from registry.http.stored_queries import operation, query_handler
from registry.state import RegistryState
from schemas import vocabulary as v
from schemas.endpoint import Handler
from schemas.queries import Transaction as QueryTransaction
from servicekit.soap_http import SoapTransaction

OPERATION = operation("DocumentRegistry_RegistryStoredQuery", v.ACTION_STORED_QUERY)


def handler(state: RegistryState) -> Handler:
    return query_handler(state, OPERATION, QueryTransaction.REGISTRY_STORED_QUERY)


TRANSACTION = SoapTransaction[RegistryState](operation=OPERATION, handler=handler)
