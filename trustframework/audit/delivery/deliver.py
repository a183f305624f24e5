"""One delivery round for one organisation: claim its due outbox rows, render, send, settle.

Acknowledged rows leave the outbox; the others stay, counted, with the error and a backoff
(base·2^attempts seconds, at most the maximum, with jitter). Nothing is ever dropped: a row with a
permanent problem (no destination, a receiver refusing it) waits for an operator, visible in
`dokdeling audit destinations list`.
"""

from __future__ import annotations

import json
import logging
import random
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from trustframework.audit.delivery.destinations import (
    DestinationKind,
    InvalidDestination,
    parse_destination,
)
from trustframework.audit.delivery.syslog import DEFAULT_SD_ID, syslog_message
from trustframework.audit.delivery.transport import send
from trustframework.audit.export.atna import audit_message_bytes
from trustframework.audit.export.fhir import AuditSource, audit_event
from trustframework.audit.record import AuditRecord, utc_now
from trustframework.audit.sealing import AuditKeyError, AuditKeyring
from trustframework.audit.settings import DeliverySettings
from trustframework.audit.storage.outbox import OutboxRow, SqlOutbox
from trustframework.audit.store import AuditStore
from trustframework.audit.unseal import unseal

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=5)


@dataclass(frozen=True, slots=True, kw_only=True)
class Delivery:
    """What a delivery round needs: the service's records, outbox, keys and settings."""

    store: AuditStore
    outbox: SqlOutbox
    keyring: AuditKeyring
    settings: DeliverySettings
    source: AuditSource
    syslog_sd_id: str = DEFAULT_SD_ID


@dataclass(frozen=True, slots=True, kw_only=True)
class DeliveryReport:
    organisation: str
    delivered: int
    waiting: int
    """Claimed rows that stay in the outbox after this round."""
    error: str | None = None
    retry_in: float | None = None
    """Seconds until the waiting rows are due again."""


def backoff_seconds(settings: DeliverySettings, attempts: int) -> float:
    delay = min(settings.retry_max, settings.retry_base * 2.0 ** min(attempts, 30))
    spread: float = random.uniform(0.75, 1.0)  # noqa: S311 (spreading retries, not a secret)
    return delay * spread


def _national_id(delivery: Delivery, record: AuditRecord) -> str | None:
    try:
        return unseal(delivery.keyring, record).national_id
    except AuditKeyError:
        log.warning("record %s: sealed attest does not open; sent without national id", record.seq)
        return None


def _render(delivery: Delivery, kind: DestinationKind, record: AuditRecord) -> bytes:
    national_id = _national_id(delivery, record)
    if kind is DestinationKind.FHIR:
        resource = audit_event(record, delivery.source, national_id=national_id)
        return json.dumps(resource, ensure_ascii=False, separators=(",", ":")).encode()
    xml = audit_message_bytes(record, delivery.source, national_id=national_id)
    return syslog_message(
        record,
        xml,
        hostname=socket.gethostname(),
        app_name=f"dokdeling-{delivery.source.service}",
        sd_id=delivery.syslog_sd_id,
    )


def _settle(
    delivery: Delivery,
    organisation: str,
    rows: Sequence[OutboxRow],
    *,
    acknowledged: Sequence[str],
    error: str | None,
    now: datetime,
) -> DeliveryReport:
    delivery.outbox.acknowledge(acknowledged)
    done = set(acknowledged)
    waiting = [row.record_id for row in rows if row.record_id not in done]
    if not waiting:
        return DeliveryReport(organisation=organisation, delivered=len(done), waiting=0)
    attempts = max(row.attempts for row in rows if row.record_id not in done)
    delay = backoff_seconds(delivery.settings, attempts)
    reason = error or "not acknowledged"
    delivery.outbox.postpone(waiting, until=now + timedelta(seconds=delay), error=reason)
    log.warning("audit delivery to %s: %d waiting (%s)", organisation, len(waiting), reason)
    return DeliveryReport(
        organisation=organisation,
        delivered=len(done),
        waiting=len(waiting),
        error=reason,
        retry_in=delay,
    )


def deliver_due(
    delivery: Delivery, organisation: str, *, now: datetime | None = None
) -> DeliveryReport:
    """Send what is due for `organisation` (at most one batch)."""
    now = now or utc_now()
    rows = delivery.outbox.claim(
        organisation, now=now, lease=LEASE, limit=delivery.settings.batch_size
    )
    if not rows:
        return DeliveryReport(organisation=organisation, delivered=0, waiting=0)
    url = delivery.outbox.destination(organisation)
    try:
        if url is None:
            raise InvalidDestination(f"no destination for organisation {organisation}")
        destination = parse_destination(url)
    except InvalidDestination as error:
        return _settle(delivery, organisation, rows, acknowledged=(), error=str(error), now=now)
    records = delivery.store.find_many([row.record_id for row in rows])
    items = [(r.entry.record_id, _render(delivery, destination.kind, r)) for r in records]
    sent = send(destination, delivery.settings.tls, items)
    return _settle(
        delivery, organisation, rows, acknowledged=sent.acknowledged, error=sent.error, now=now
    )
