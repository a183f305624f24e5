"""The hash chain over a service's audit records, and its verification (pure: no I/O).

Record n stores `seq = n`, `prev_hash` (record n-1's hash, or 64 zeros for n = 1) and

    record_hash = SHA-256(canonical JSON of every stored field but record_hash and record_mac)
    record_mac  = HMAC-SHA256(chain key of the record's key id, "record|" + record_hash)

The canonical JSON is UTF-8, keys sorted, no insignificant whitespace, absent values as null,
times as `YYYY-MM-DDTHH:MM:SS.ffffffZ`, bytes as standard base64 (docs/audit.md gives the field
list). The chain head (last seq, last hash) carries its own HMAC, so cutting records off the end
shows even though plain SHA-256 could be recomputed by anyone who can write the table.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from trustframework.audit.fields import entry_fields
from trustframework.audit.record import AuditEntry, AuditRecord, ChainLink
from trustframework.audit.sealing import AuditKey, AuditKeyError, AuditKeyring

CANONICAL_VERSION = 1
GENESIS_HASH = "0" * 64


@dataclass(frozen=True, slots=True, kw_only=True)
class ChainHead:
    """The last record of a chain as the head row remembers it, keyed by the chain key."""

    seq: int
    last_hash: str
    key_id: str
    mac: str


def canonical_time(moment: datetime) -> str:
    """UTC with microseconds; a naive time (as SQLite returns it) is taken as UTC."""
    utc = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _canonical_value(value: object) -> object:
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, datetime):
        return canonical_time(value)
    return value


def canonical_fields(service: str, seq: int, prev_hash: str, entry: AuditEntry) -> dict[str, Any]:
    """Every hashed field of a record: the stored fields plus service, seq and prev_hash."""
    fields: dict[str, Any] = {"v": CANONICAL_VERSION, "service": service, "seq": seq}
    fields["prev_hash"] = prev_hash
    for name, value in entry_fields(entry).items():
        fields[name] = _canonical_value(value)
    return fields


def canonical_bytes(service: str, seq: int, prev_hash: str, entry: AuditEntry) -> bytes:
    fields = canonical_fields(service, seq, prev_hash, entry)
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def record_hash(service: str, seq: int, prev_hash: str, entry: AuditEntry) -> str:
    return hashlib.sha256(canonical_bytes(service, seq, prev_hash, entry)).hexdigest()


def record_mac(key: AuditKey, service: str, hash_hex: str) -> str:
    return key.chain_mac(service, b"record|" + hash_hex.encode("ascii"))


def head_mac(key: AuditKey, service: str, seq: int, last_hash: str) -> str:
    return key.chain_mac(service, f"head|{seq}|{last_hash}".encode("ascii"))


def link(
    keyring: AuditKeyring, service: str, seq: int, prev_hash: str, entry: AuditEntry
) -> ChainLink:
    """The chain link of `entry` appended after `prev_hash` as number `seq`."""
    hash_hex = record_hash(service, seq, prev_hash, entry)
    key = keyring.key(entry.sealed.key_id)
    return ChainLink(
        seq=seq,
        prev_hash=prev_hash,
        record_hash=hash_hex,
        record_mac=record_mac(key, service, hash_hex),
    )


def sign_head(keyring: AuditKeyring, service: str, seq: int, last_hash: str) -> ChainHead:
    key = keyring.current
    mac = head_mac(key, service, seq, last_hash)
    return ChainHead(seq=seq, last_hash=last_hash, key_id=key.key_id, mac=mac)


@dataclass(frozen=True, slots=True, kw_only=True)
class ChainBreak:
    """The first place the chain does not hold, and what is wrong there."""

    seq: int | None
    record_id: str | None
    problem: str

    def __str__(self) -> str:
        where = "chain head" if self.seq is None else f"record {self.seq} ({self.record_id})"
        return f"{where}: {self.problem}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Verification:
    service: str
    records: int
    """How many records were read before the first break (all of them when intact)."""
    head: ChainHead | None
    first_break: ChainBreak | None

    @property
    def intact(self) -> bool:
        return self.first_break is None


def _authentication_problem(
    keyring: AuditKeyring, key_id: str, expected_mac: Callable[[AuditKey], str], mac: str
) -> str | None:
    try:
        key = keyring.key(key_id)
    except AuditKeyError as error:
        return f"cannot authenticate: {error}"
    if expected_mac(key) != mac:
        return "MAC does not authenticate it (rewritten without the chain key)"
    return None


def _record_problem(
    keyring: AuditKeyring, record: AuditRecord, expected_seq: int, prev_hash: str
) -> str | None:
    if record.seq > expected_seq:
        return f"records {expected_seq}..{record.seq - 1} are missing (deleted)"
    if record.seq < expected_seq:
        return f"sequence number repeats or goes back (expected {expected_seq})"
    if record.link.prev_hash != prev_hash:
        return "prev_hash is not the previous record's hash (inserted, removed or reordered)"
    computed = record_hash(record.service, record.seq, prev_hash, record.entry)
    if computed != record.link.record_hash:
        return "content does not match record_hash (changed after it was written)"
    return _authentication_problem(
        keyring,
        record.entry.sealed.key_id,
        lambda key: record_mac(key, record.service, computed),
        record.link.record_mac,
    )


def _head_problem(
    keyring: AuditKeyring, service: str, head: ChainHead | None, last_seq: int, last_hash: str
) -> str | None:
    if head is None:
        return None if last_seq == 0 else "missing although records exist"
    if head.seq > last_seq:
        return f"records {last_seq + 1}..{head.seq} are missing at the end (truncated)"
    if head.seq < last_seq:
        return f"says the chain ends at {head.seq}, but records go on to {last_seq}"
    if head.last_hash != last_hash:
        return "last_hash is not the last record's hash"
    return _authentication_problem(
        keyring, head.key_id, lambda key: head_mac(key, service, head.seq, head.last_hash), head.mac
    )


def verify_chain(
    keyring: AuditKeyring, service: str, records: Iterable[AuditRecord], head: ChainHead | None
) -> Verification:
    """Walk `records` in seq order; stop at the first break. Detects change, insertion,
    deletion, reordering and (through the keyed head) truncation at the end."""
    expected_seq, prev_hash, count = 1, GENESIS_HASH, 0
    for record in records:
        problem = _record_problem(keyring, record, expected_seq, prev_hash)
        if problem is not None:
            found = ChainBreak(seq=record.seq, record_id=record.entry.record_id, problem=problem)
            return Verification(service=service, records=count, head=head, first_break=found)
        count += 1
        expected_seq, prev_hash = record.seq + 1, record.link.record_hash
    problem = _head_problem(keyring, service, head, expected_seq - 1, prev_hash)
    at_head = None if problem is None else ChainBreak(seq=None, record_id=None, problem=problem)
    return Verification(service=service, records=count, head=head, first_break=at_head)
