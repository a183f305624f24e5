"""Export documents, written record by record (memory stays flat for any number of records):
a FHIR Bundle of type `collection`, or `<AuditMessages>` holding one DICOM AuditMessage each."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
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


def _fhir_chunks(
    records: Iterable[AuditRecord], source: AuditSource, keyring: AuditKeyring | None
) -> Iterator[bytes]:
    stamp = json.dumps(canonical_time(datetime.now(UTC)))
    yield b'{"resourceType":"Bundle","type":"collection","timestamp":' + stamp.encode()
    yield b',"entry":['
    separator = b""
    for record in records:
        resource = audit_event(record, source, national_id=_national_id(keyring, record))
        entry = {"fullUrl": f"urn:uuid:{record.entry.record_id}", "resource": resource}
        yield separator + json.dumps(entry, ensure_ascii=False).encode()
        separator = b","
    yield b"]}\n"


def _atna_chunks(
    records: Iterable[AuditRecord], source: AuditSource, keyring: AuditKeyring | None
) -> Iterator[bytes]:
    yield b'<?xml version="1.0" encoding="UTF-8"?>\n<AuditMessages>\n'
    for record in records:
        message = audit_message(record, source, national_id=_national_id(keyring, record))
        yield etree.tostring(message, encoding="UTF-8") + b"\n"
    yield b"</AuditMessages>\n"


def export_chunks(
    records: Iterable[AuditRecord],
    *,
    form: ExportFormat,
    source: AuditSource,
    keyring: AuditKeyring | None,
) -> Iterator[bytes]:
    """The export document in pieces, one record at a time. With `keyring`, each
    practitioner's national id is unsealed into the export (for the data controller)."""
    if form is ExportFormat.FHIR:
        return _fhir_chunks(records, source, keyring)
    return _atna_chunks(records, source, keyring)


def write_export(
    out: IO[bytes],
    records: Iterable[AuditRecord],
    *,
    form: ExportFormat,
    source: AuditSource,
    keyring: AuditKeyring | None,
) -> int:
    """Write the export document to `out`; returns the number of records."""
    count = 0

    def counted() -> Iterator[AuditRecord]:
        nonlocal count
        for record in records:
            count += 1
            yield record

    for chunk in export_chunks(counted(), form=form, source=source, keyring=keyring):
        out.write(chunk)
    return count
