"""RFC 5424 syslog messages carrying a record's DICOM audit XML (the ATNA form, IHE ITI-20).

    <PRI>1 TIMESTAMP HOSTNAME APP-NAME - IHE+RFC-3881 [SD-ID record="…" seq="…" hash="…"] BOM XML

MSGID stays `IHE+RFC-3881`, which ATNA repositories look for. The record's identity travels in
the structured data: `record` (its UUID, the same as the FHIR AuditEvent id) is stable across
resends, and receivers deduplicate on it; `seq` and `hash` place it in the source's chain. The
SD-ID is `name@PEN` (RFC 5424 §6.3.2); the default uses RFC 5612's documentation number 32473,
and a deployment with its own private enterprise number configures it.
"""

from __future__ import annotations

from typing import Final

from trustframework.audit.chain import canonical_time
from trustframework.audit.record import AccessDecision, AuditRecord, Result

ATNA_MSGID: Final = "IHE+RFC-3881"
DEFAULT_SD_ID: Final = "dokdeling@32473"
_FACILITY_AUTHPRIV: Final = 10  # security/authorization messages
_SEVERITY_NOTICE: Final = 5
_SEVERITY_WARNING: Final = 4
_BOM: Final = "\ufeff".encode()


def _sd_value(value: str) -> str:
    """PARAM-VALUE escaping (RFC 5424 §6.3.3)."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("]", "\\]")


def _header_field(value: str, limit: int) -> str:
    """A header field: printable US-ASCII without spaces, at most `limit` characters."""
    cleaned = "".join(c for c in value if 33 <= ord(c) <= 126)[:limit]
    return cleaned or "-"


def syslog_message(
    record: AuditRecord,
    audit_xml: bytes,
    *,
    hostname: str,
    app_name: str,
    sd_id: str = DEFAULT_SD_ID,
) -> bytes:
    entry = record.entry
    refused = (
        entry.outcome.decision is AccessDecision.DENY or entry.outcome.result is Result.FAILURE
    )
    severity = _SEVERITY_WARNING if refused else _SEVERITY_NOTICE
    params = {"record": entry.record_id, "service": record.service}
    params |= {"seq": str(record.seq), "hash": record.link.record_hash}
    structured = " ".join(f'{name}="{_sd_value(value)}"' for name, value in params.items())
    header = " ".join(
        (
            f"<{_FACILITY_AUTHPRIV * 8 + severity}>1",
            canonical_time(entry.recorded_at),
            _header_field(hostname, 255),
            _header_field(app_name, 48),
            "-",
            ATNA_MSGID,
            f"[{sd_id} {structured}]",
        )
    )
    return header.encode("ascii") + b" " + _BOM + audit_xml
