"""Export documents, written record by record (memory stays flat for any number of records):
a FHIR Bundle of type `collection`, or `<AuditMessages>` holding one DICOM AuditMessage each."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from enum import StrEnum
from typing import IO

from lxml import etree

from trustframework.audit.chain import canonical_time
from trustframework.audit.export.atna import audit_message
from trustframework.audit.export.fhir import AuditSource, audit_event
from trustframework.audit.record import AuditRecord
from trustframework.audit.sealing import AuditKeyError, AuditKeyring
from trustframework.audit.unseal import unseal

log = logging.getLogger(__name__)


class ExportFormat(StrEnum):
    FHIR = "fhir"
    ATNA = "atna"


def _national_id(keyring: AuditKeyring | None, record: AuditRecord) -> str | None:
    if keyring is None:
        return None
    try:
        return unseal(keyring, record).national_id
    except AuditKeyError as error:
        log.warning("record %d exported without national id: %s", record.seq, error)
        return None


def _write_fhir(
    out: IO[bytes],
    records: Iterable[AuditRecord],
    source: AuditSource,
    keyring: AuditKeyring | None,
) -> int:
    stamp = json.dumps(canonical_time(datetime.now(UTC)))
    out.write(b'{"resourceType":"Bundle","type":"collection","timestamp":' + stamp.encode())
    out.write(b',"entry":[')
    count = 0
    for record in records:
        resource = audit_event(record, source, national_id=_national_id(keyring, record))
        entry = {"fullUrl": f"urn:uuid:{record.entry.record_id}", "resource": resource}
        out.write((b"," if count else b"") + json.dumps(entry, ensure_ascii=False).encode())
        count += 1
    out.write(b"]}\n")
    return count


def _write_atna(
    out: IO[bytes],
    records: Iterable[AuditRecord],
    source: AuditSource,
    keyring: AuditKeyring | None,
) -> int:
    out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<AuditMessages>\n')
    count = 0
    for record in records:
        message = audit_message(record, source, national_id=_national_id(keyring, record))
        out.write(etree.tostring(message, encoding="UTF-8") + b"\n")
        count += 1
    out.write(b"</AuditMessages>\n")
    return count


def write_export(
    out: IO[bytes],
    records: Iterable[AuditRecord],
    *,
    form: ExportFormat,
    source: AuditSource,
    keyring: AuditKeyring | None,
) -> int:
    """Write the export document; returns the number of records. With `keyring`, each
    practitioner's national id is unsealed into the export (for the data controller)."""
    if form is ExportFormat.FHIR:
        return _write_fhir(out, records, source, keyring)
    return _write_atna(out, records, source, keyring)
