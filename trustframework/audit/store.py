"""What the audit needs from storage (`AuditStore`), and how records are looked for."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from trustframework.audit.chain import ChainBreak, ChainHead, Verification, verify_chain
from trustframework.audit.record import AccessDecision, AuditEntry, AuditRecord, Result
from trustframework.audit.sealing import AuditKeyring
from trustframework.policy import Transaction


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordFilter:
    """Which records to list; every given criterion must hold (None: any)."""

    data_controller: str | None = None
    """Only records whose data controller is this organisation number."""
    patient_id: str | None = None
    patient_authorities: frozenset[str] | None = None
    practitioner_hpr: str | None = None
    organisation: str | None = None
    """Only records of callers from this organisation: the attest's legal entity, or the
    calling client's organisation."""
    since: datetime | None = None
    until: datetime | None = None
    """Exclusive."""
    transactions: frozenset[Transaction] | None = None
    decision: AccessDecision | None = None
    result: Result | None = None
    with_practitioner: bool = False
    """Only records naming a health professional (an HPR number or a name)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Appended:
    """What one append wrote: the records, and the organisations whose outbox got rows."""

    records: tuple[AuditRecord, ...]
    outbox_organisations: frozenset[str]


class AuditStore(Protocol):
    """A service's audit records and chain head."""

    service: str

    def append(self, entries: Sequence[AuditEntry]) -> Appended:
        """Chain and store `entries` in one transaction, with their outbox rows; raises when
        nothing could be stored (then nothing is)."""
        ...

    def head(self) -> ChainHead | None: ...

    def records(
        self, *, from_seq: int = 1, where: RecordFilter | None = None
    ) -> Iterator[AuditRecord]:
        """The records from `from_seq` (matching `where`) in chain order, page by page."""
        ...

    def search(
        self, where: RecordFilter, *, limit: int, before_seq: int | None = None
    ) -> list[AuditRecord]:
        """Up to `limit` matching records, newest first, older than `before_seq` if given."""
        ...

    def find(self, record_id: str) -> AuditRecord | None: ...

    def find_many(self, record_ids: Sequence[str]) -> list[AuditRecord]:
        """The records with these ids, in chain order (missing ones left out)."""
        ...

    def last_seq(self) -> int:
        """The highest stored sequence number (0 for none)."""
        ...


def verify_store(store: AuditStore, keyring: AuditKeyring) -> Verification:
    """Verify the chain as far as the head read first says it goes, then check that nothing
    lies beyond the head read last (appends running meanwhile commit records and head
    together, so they never look like a break)."""
    head = store.head()
    limit = head.seq if head is not None else 0
    records = itertools.takewhile(lambda record: record.seq <= limit, store.records())
    verification = verify_chain(keyring, store.service, records, head)
    if not verification.intact:
        return verification
    last_seq, head_now = store.last_seq(), store.head()
    if last_seq > (head_now.seq if head_now is not None else 0):
        problem = f"records up to {last_seq} lie beyond the head (added without the chain key)"
        beyond = ChainBreak(seq=None, record_id=None, problem=problem)
        return Verification(
            service=store.service, records=verification.records, head=head, first_break=beyond
        )
    return verification
