"""The registry's SOAP edge at `POST /xds/registry`, and its patient feed at `/admin/patients`.

One module per IHE transaction (`iti42.py`, `iti18.py`, `iti51.py`, `iti57.py`, `iti62.py`), each
exposing a `TRANSACTION: SoapTransaction[RegistryState]`; `SOAP_EDGE.transactions` lists them, and
the app factory serves their actions, counts them in /metrics and publishes them in the WSDL. An
action not listed is answered with the SOAP Fault `wsa:ActionNotSupported` (HTTP 400). What they
share (the guard, the audit record, error responses) is in `trustframework.soap_edge` and
`edge.py`.
"""

from __future__ import annotations

from registry.http import iti18, iti42, iti51, iti57, iti62
from registry.state import RegistryState
from servicekit.soap_http import SoapEdge

SOAP_EDGE: SoapEdge[RegistryState] = SoapEdge(
    path="/xds/registry",
    wsdl_name="DocumentRegistry",
    transactions=(
        iti42.TRANSACTION,
        iti18.TRANSACTION,
        iti51.TRANSACTION,
        iti57.TRANSACTION,
        iti62.TRANSACTION,
    ),
)
