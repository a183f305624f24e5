"""The registry's SOAP edge at `POST /xds/registry`.

One module per IHE transaction (`iti42.py`, `iti18.py`, `iti57.py`, `iti62.py`), each exposing a
`TRANSACTION: SoapTransaction[RegistryState]`; list it in `TRANSACTIONS` and the app factory serves
its action, counts it in /metrics and publishes it in the WSDL. An action not listed here is
answered with the SOAP Fault `wsa:ActionNotSupported` (HTTP 400).
"""

from __future__ import annotations

from registry.state import RegistryState
from servicekit.soap_http import SoapTransaction

PATH = "/xds/registry"
WSDL_NAME = "DocumentRegistry"
TRANSACTIONS: tuple[SoapTransaction[RegistryState], ...] = ()
