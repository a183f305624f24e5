"""Sending rendered records to a receiver over verified TLS; what it acknowledged.

FHIR: one `PUT {base}/AuditEvent/{record id}` per record on one keep-alive connection; a 2xx
answer acknowledges that record. Syslog: one octet-counted RFC 5425 frame per record on one TLS
connection; a completed TLS write acknowledges it (RFC 5425 has no application-level
acknowledgement; docs/audit.md names the residual risk). The first failure ends the batch: the
records before it are acknowledged, the rest are tried again later.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field

from trustframework.audit.delivery.destinations import Destination, DestinationKind
from trustframework.audit.export.fhir import FHIR_JSON
from trustframework.audit.settings import TlsSettings


@dataclass(slots=True)
class Sent:
    acknowledged: list[str] = field(default_factory=list)
    error: str | None = None


def tls_context(tls: TlsSettings) -> ssl.SSLContext:
    """Certificate and host name verification against the configured CA bundle (or the
    system's), TLS 1.2 or newer, and the client certificate for mutual TLS when configured."""
    cafile = str(tls.ca_bundle) if tls.ca_bundle is not None else None
    context = ssl.create_default_context(cafile=cafile)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if tls.client_certificate is not None and tls.client_key is not None:
        context.load_cert_chain(str(tls.client_certificate), str(tls.client_key))
    return context


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def send_fhir(
    destination: Destination, tls: TlsSettings, items: Sequence[tuple[str, bytes]]
) -> Sent:
    sent = Sent()
    connection = http.client.HTTPSConnection(
        destination.host, destination.port, timeout=tls.timeout, context=tls_context(tls)
    )
    headers = {"Content-Type": FHIR_JSON, "Accept": FHIR_JSON}
    try:
        for record_id, body in items:
            connection.request("PUT", f"{destination.path}/AuditEvent/{record_id}", body, headers)
            response = connection.getresponse()
            response.read()
            if not 200 <= response.status < 300:
                sent.error = f"HTTP {response.status} {response.reason} for AuditEvent/{record_id}"
                return sent
            sent.acknowledged.append(record_id)
    except (OSError, http.client.HTTPException) as error:
        sent.error = _describe(error)
    finally:
        connection.close()
    return sent


def octet_counted(message: bytes) -> bytes:
    """RFC 5425 §4.3: `MSG-LEN SP SYSLOG-MSG`."""
    return str(len(message)).encode("ascii") + b" " + message


def send_syslog(
    destination: Destination, tls: TlsSettings, items: Sequence[tuple[str, bytes]]
) -> Sent:
    sent = Sent()
    try:
        with socket.create_connection(
            (destination.host, destination.port), timeout=tls.timeout
        ) as raw:
            context = tls_context(tls)
            with context.wrap_socket(raw, server_hostname=destination.host) as channel:
                for record_id, message in items:
                    channel.sendall(octet_counted(message))
                    sent.acknowledged.append(record_id)
                _close_orderly(channel)
    except OSError as error:
        sent.error = _describe(error)
    return sent


def _close_orderly(channel: ssl.SSLSocket) -> None:
    """Send close_notify and read until the receiver closes too. Closing at once could reset the
    connection (unread TLS 1.3 session tickets make the kernel send RST), and a reset lets the
    receiver drop frames it has not read yet. The frames are acknowledged either way."""
    with contextlib.suppress(OSError):
        channel.unwrap()


def send(destination: Destination, tls: TlsSettings, items: Sequence[tuple[str, bytes]]) -> Sent:
    if destination.kind is DestinationKind.FHIR:
        return send_fhir(destination, tls, items)
    return send_syslog(destination, tls, items)
