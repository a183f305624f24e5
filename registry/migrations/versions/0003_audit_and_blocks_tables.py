"""The trust framework's tables in the registry database: the audit chain of the registry
(`add_audit_tables(metadata, "registry")`: records, chain head, delivery outbox, destinations) and
the patients' blocks of named health personnel (`define_blocks_table`).

Generated with `alembic revision --autogenerate` against `registry.storage.tables.metadata`, then
reviewed: indexes as plain `create_index` (no batch mode needed), downgrade in reverse order. The
blocks table is shared when registry and repository use one database: it is made only when the
repository's migration has not made it already.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None

AUDIT_INDEXES = {
    "registry_audit_record": ("controller", "patient", "practitioner", "recorded_at"),
    "registry_audit_outbox": ("due",),
}


def upgrade() -> None:
    op.create_table(
        "registry_audit_chain_head",
        sa.Column("chain", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("mac", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("chain", name=op.f("pk_registry_audit_chain_head")),
    )
    op.create_table(
        "registry_audit_destination",
        sa.Column("organisation", sa.String(length=32), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.PrimaryKeyConstraint("organisation", name=op.f("pk_registry_audit_destination")),
    )
    op.create_table(
        "registry_audit_outbox",
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("organisation", sa.String(length=32), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.String(length=1000), nullable=True),
        sa.PrimaryKeyConstraint("record_id", name=op.f("pk_registry_audit_outbox")),
    )
    op.create_index(
        "ix_registry_audit_outbox_due", "registry_audit_outbox", ["organisation", "due_at"]
    )
    op.create_table(
        "registry_audit_record",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("transaction", sa.String(length=32), nullable=False),
        sa.Column("decision", sa.String(length=8), nullable=False),
        sa.Column("result", sa.String(length=8), nullable=False),
        sa.Column("rule", sa.String(length=64), nullable=True),
        sa.Column("error", sa.String(length=255), nullable=True),
        sa.Column("request_id", sa.String(length=255), nullable=True),
        sa.Column("client_id", sa.String(length=255), nullable=True),
        sa.Column("organisation", sa.String(length=32), nullable=True),
        sa.Column("token_id", sa.String(length=255), nullable=True),
        sa.Column("legal_basis", sa.String(length=64), nullable=True),
        sa.Column("access_basis", sa.String(length=64), nullable=True),
        sa.Column("nors_revealed", sa.Integer(), nullable=False),
        sa.Column("practitioner_hpr", sa.String(length=32), nullable=True),
        sa.Column("practitioner_name", sa.String(length=255), nullable=True),
        sa.Column("authorization_code", sa.String(length=64), nullable=True),
        sa.Column("authorization_system", sa.String(length=255), nullable=True),
        sa.Column("authorization_text", sa.String(length=255), nullable=True),
        sa.Column("legal_entity_id", sa.String(length=64), nullable=True),
        sa.Column("legal_entity_name", sa.String(length=255), nullable=True),
        sa.Column("point_of_care_id", sa.String(length=64), nullable=True),
        sa.Column("point_of_care_name", sa.String(length=255), nullable=True),
        sa.Column("department_id", sa.String(length=64), nullable=True),
        sa.Column("department_name", sa.String(length=255), nullable=True),
        sa.Column("healthcare_service_code", sa.String(length=64), nullable=True),
        sa.Column("healthcare_service_system", sa.String(length=255), nullable=True),
        sa.Column("healthcare_service_text", sa.String(length=255), nullable=True),
        sa.Column("purpose_of_use_code", sa.String(length=64), nullable=True),
        sa.Column("purpose_of_use_system", sa.String(length=255), nullable=True),
        sa.Column("purpose_of_use_text", sa.String(length=255), nullable=True),
        sa.Column("purpose_of_use_details_code", sa.String(length=64), nullable=True),
        sa.Column("purpose_of_use_details_system", sa.String(length=255), nullable=True),
        sa.Column("purpose_of_use_details_text", sa.String(length=255), nullable=True),
        sa.Column("decision_id", sa.String(length=255), nullable=True),
        sa.Column("decision_user_selected", sa.Boolean(), nullable=True),
        sa.Column("patient_id", sa.String(length=64), nullable=True),
        sa.Column("patient_authority", sa.String(length=64), nullable=True),
        sa.Column("document_ids", sa.Text(), nullable=False),
        sa.Column("repository_id", sa.String(length=64), nullable=True),
        sa.Column("data_controller_id", sa.String(length=64), nullable=True),
        sa.Column("data_controller_name", sa.String(length=255), nullable=True),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("nonce", sa.LargeBinary(), nullable=False),
        sa.Column("ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("record_hash", sa.String(length=64), nullable=False),
        sa.Column("record_mac", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_registry_audit_record")),
        sa.UniqueConstraint("record_id", name=op.f("uq_registry_audit_record_record_id")),
    )
    op.create_index(
        "ix_registry_audit_record_controller",
        "registry_audit_record",
        ["data_controller_id", "seq"],
    )
    op.create_index(
        "ix_registry_audit_record_patient", "registry_audit_record", ["patient_id", "seq"]
    )
    op.create_index(
        "ix_registry_audit_record_practitioner",
        "registry_audit_record",
        ["practitioner_hpr", "seq"],
    )
    op.create_index(
        "ix_registry_audit_record_recorded_at", "registry_audit_record", ["recorded_at"]
    )
    if sa.inspect(op.get_bind()).has_table("trust_patient_block"):
        return  # shared with the repository, whose migration made it (one database)
    op.create_table(
        "trust_patient_block",
        sa.Column("patient_id", sa.String(length=64), nullable=False),
        sa.Column("patient_authority", sa.String(length=128), nullable=False),
        sa.Column("hpr_number", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "patient_id", "patient_authority", "hpr_number", name=op.f("pk_trust_patient_block")
        ),
    )


def downgrade() -> None:
    op.drop_table("trust_patient_block")
    for table, suffixes in AUDIT_INDEXES.items():
        for suffix in suffixes:
            op.drop_index(f"ix_{table}_{suffix}", table_name=table)
    for table in (
        "registry_audit_record",
        "registry_audit_outbox",
        "registry_audit_destination",
        "registry_audit_chain_head",
    ):
        op.drop_table(table)
