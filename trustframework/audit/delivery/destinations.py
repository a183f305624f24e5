"""Where a data controller receives its audit records, written as one URL:

- `https://host[:port]/fhir/base`: a FHIR R4 server; each record is `PUT AuditEvent/<record id>`
  (idempotent: a resend replaces the resource with the same content).
- `syslog+tls://host[:port]`: an ATNA audit record repository; RFC 5424 messages carrying the
  DICOM audit XML over TLS (RFC 5425, octet-counted frames, port 6514 by default).

Plain HTTP and plain TCP are refused: audit records name patients.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

SYSLOG_TLS_PORT = 6514
_ORGANISATION_NUMBER = re.compile(r"\d{9}")


class DestinationKind(StrEnum):
    FHIR = "fhir"
    SYSLOG = "syslog"


class InvalidDestination(ValueError):
    """A destination URL or organisation number that cannot be used; the message says why."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Destination:
    kind: DestinationKind
    url: str
    host: str
    port: int
    path: str
    """The FHIR base path without a trailing slash ("" for syslog)."""


def parse_destination(url: str) -> Destination:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "syslog+tls"):
        raise InvalidDestination(
            f"{url!r}: use https://host/fhir-base (FHIR AuditEvent) "
            "or syslog+tls://host:port (ATNA syslog)"
        )
    if not parts.hostname:
        raise InvalidDestination(f"{url!r}: no host")
    if parts.username or parts.password or parts.query or parts.fragment:
        raise InvalidDestination(f"{url!r}: no credentials, query or fragment in a destination")
    try:
        port = parts.port
    except ValueError:
        raise InvalidDestination(f"{url!r}: the port is not a number from 1 to 65535") from None
    if parts.scheme == "https":
        return Destination(
            kind=DestinationKind.FHIR,
            url=url.strip(),
            host=parts.hostname,
            port=port or 443,
            path=parts.path.rstrip("/"),
        )
    if parts.path not in ("", "/"):
        raise InvalidDestination(f"{url!r}: a syslog destination has no path")
    return Destination(
        kind=DestinationKind.SYSLOG,
        url=url.strip(),
        host=parts.hostname,
        port=port or SYSLOG_TLS_PORT,
        path="",
    )


def check_organisation_number(organisation: str) -> str:
    if not _ORGANISATION_NUMBER.fullmatch(organisation):
        raise InvalidDestination(f"{organisation!r} is not an organisation number (9 digits)")
    return organisation
