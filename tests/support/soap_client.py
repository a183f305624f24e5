"""zeep, the real SOAP client of the tests (its API is untyped, so it is handed out as Any)."""

from __future__ import annotations

from typing import Any

import zeep


def zeep_client(wsdl: str) -> Any:
    """A zeep client for the WSDL at `wsdl` (a file:// or http:// URL)."""
    return zeep.Client(wsdl)  # type: ignore[no-untyped-call]
