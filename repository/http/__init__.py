"""The repository's SOAP edge at `POST /xds/repository`.

One module per IHE transaction (`iti41.py`, `iti43.py`, `iti86.py`), each exposing a
`TRANSACTION: SoapTransaction[RepositoryState]`, listed in `SOAP_EDGE.transactions`: the app
factory serves its action, counts it in /metrics and publishes it in the WSDL. An action not listed
is answered with the SOAP Fault `wsa:ActionNotSupported` (HTTP 400). Every transaction runs through
`trustframework.soap_edge.serve` (the guard, one audit record per request, XDS failures answered as
error responses), as the registry's do; `access.py` holds ITI-43's per-document decisions.
"""

from __future__ import annotations

from repository.http import iti41, iti43, iti86
from repository.state import RepositoryState
from servicekit.soap_http import SoapEdge

SOAP_EDGE: SoapEdge[RepositoryState] = SoapEdge(
    path="/xds/repository",
    wsdl_name="DocumentRepository",
    transactions=(iti41.TRANSACTION, iti43.TRANSACTION, iti86.TRANSACTION),
)
