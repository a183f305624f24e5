"""The registry's SOAP edge at `POST /xds/registry`.

One module per IHE transaction (`iti42.py`, `iti18.py`, `iti57.py`, `iti62.py`), each exposing a
`TRANSACTION: SoapTransaction[RegistryState]`; add it to `SOAP_EDGE.transactions` and the app
factory serves its action, counts it in /metrics and publishes it in the WSDL. An action not listed
is answered with the SOAP Fault `wsa:ActionNotSupported` (HTTP 400).
"""

from __future__ import annotations

from registry.state import RegistryState
from servicekit.soap_http import SoapEdge

SOAP_EDGE: SoapEdge[RegistryState] = SoapEdge(
    path="/xds/registry", wsdl_name="DocumentRegistry", transactions=()
)
