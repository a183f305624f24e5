"""The audit tables, added to the owning service's MetaData under the service's name.

`add_audit_tables(metadata, "registry")` adds `registry_audit_record`, `registry_audit_chain_head`,
`registry_audit_outbox` and `registry_audit_destination`, so two services may share one database
and each keeps its own chain. Column names are the entry's field names (`audit.fields`).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

_TEXT = 255
_CODE = 64
_ORGNR = 32


@dataclass(frozen=True, slots=True)
class AuditTables:
    service: str
    record: sa.Table
    head: sa.Table
    outbox: sa.Table
    destination: sa.Table

    @property
    def all(self) -> tuple[sa.Table, ...]:
        return (self.record, self.head, self.outbox, self.destination)


def _code(prefix: str) -> list[sa.Column[str]]:
    return [
        sa.Column(f"{prefix}_code", sa.String(_CODE)),
        sa.Column(f"{prefix}_system", sa.String(_TEXT)),
        sa.Column(f"{prefix}_text", sa.String(_TEXT)),
    ]


def _party(prefix: str) -> list[sa.Column[str]]:
    return [
        sa.Column(f"{prefix}_id", sa.String(_CODE)),
        sa.Column(f"{prefix}_name", sa.String(_TEXT)),
    ]


def _record_table(metadata: sa.MetaData, service: str) -> sa.Table:
    name = f"{service}_audit_record"
    return sa.Table(
        name,
        metadata,
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("record_id", sa.String(36), nullable=False, unique=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("transaction", sa.String(32), nullable=False),
        sa.Column("decision", sa.String(8), nullable=False),
        sa.Column("result", sa.String(8), nullable=False),
        sa.Column("rule", sa.String(_CODE)),
        sa.Column("error", sa.String(_TEXT)),
        sa.Column("request_id", sa.String(_TEXT)),
        sa.Column("client_id", sa.String(_TEXT)),
        sa.Column("organisation", sa.String(_ORGNR)),
        sa.Column("token_id", sa.String(_TEXT)),
        sa.Column("legal_basis", sa.String(_CODE)),
        sa.Column("access_basis", sa.String(_CODE)),
        sa.Column("nors_revealed", sa.Integer, nullable=False),
        sa.Column("practitioner_hpr", sa.String(_ORGNR)),
        sa.Column("practitioner_name", sa.String(_TEXT)),
        *_code("authorization"),
        *_party("legal_entity"),
        *_party("point_of_care"),
        *_party("department"),
        *_code("healthcare_service"),
        *_code("purpose_of_use"),
        *_code("purpose_of_use_details"),
        sa.Column("decision_id", sa.String(_TEXT)),
        sa.Column("decision_user_selected", sa.Boolean),
        sa.Column("patient_id", sa.String(_CODE)),
        sa.Column("patient_authority", sa.String(_CODE)),
        sa.Column("document_ids", sa.Text, nullable=False),
        sa.Column("repository_id", sa.String(_CODE)),
        *_party("data_controller"),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("nonce", sa.LargeBinary, nullable=False),
        sa.Column("ciphertext", sa.LargeBinary, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("record_hash", sa.String(64), nullable=False),
        sa.Column("record_mac", sa.String(64), nullable=False),
        sa.Index(f"ix_{name}_controller", "data_controller_id", "seq"),
        sa.Index(f"ix_{name}_patient", "patient_id", "seq"),
        sa.Index(f"ix_{name}_practitioner", "practitioner_hpr", "seq"),
        sa.Index(f"ix_{name}_recorded_at", "recorded_at"),
    )


def add_audit_tables(metadata: sa.MetaData, service: str) -> AuditTables:
    """Add the audit tables of `service` to `metadata` (the service's own MetaData)."""
    head = sa.Table(
        f"{service}_audit_chain_head",
        metadata,
        sa.Column("chain", sa.String(32), primary_key=True),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("mac", sa.String(64), nullable=False),
    )
    outbox_name = f"{service}_audit_outbox"
    outbox = sa.Table(
        outbox_name,
        metadata,
        sa.Column("record_id", sa.String(36), primary_key=True),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("organisation", sa.String(_ORGNR), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.String(1000)),
        sa.Index(f"ix_{outbox_name}_due", "organisation", "due_at"),
    )
    destination = sa.Table(
        f"{service}_audit_destination",
        metadata,
        sa.Column("organisation", sa.String(_ORGNR), primary_key=True),
        sa.Column("url", sa.String(1000), nullable=False),
    )
    record = _record_table(metadata, service)
    return AuditTables(
        service=service, record=record, head=head, outbox=outbox, destination=destination
    )
