"""The repository's trust-framework tables and the facts access control reads: the audit chain of
the repository (`add_audit_tables(metadata, "repository")`: records, chain head, delivery outbox,
destinations), the patients' blocks of named health personnel (`define_blocks_table`), the access
metadata of each stored document (patient, class, confidentiality codes, clinical times, author
institutions) and, per registration, the source it registers for and its ITI-41's request id.

Generated with `alembic revision --autogenerate` against `repository.storage.tables.metadata`,
then reviewed. `trust_patient_block` is shared when the registry and the repository use one
database (the registry's migration 0003 makes it too): it is created only when missing, and a
downgrade leaves it to the registry when the registry's tables are there.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None

BLOCKS_TABLE = "trust_patient_block"
REGISTRY_VERSION_TABLE = "registry_alembic_version"
AUDIT_INDEXES = {
    "repository_audit_record": ("controller", "patient", "practitioner", "recorded_at"),
    "repository_audit_outbox": ("due",),
}
ColumnType = Callable[[], sa.types.TypeEngine[Any]]
DOCUMENT_COLUMNS: dict[str, ColumnType] = {
    "patient_id": sa.String,
    "class_code": sa.String,
    "class_code_scheme": sa.String,
    "confidentiality_codes": sa.JSON,
    "creation_time": sa.String,
    "service_start_time": sa.String,
    "author_institutions": sa.JSON,
}
REGISTRATION_COLUMNS: dict[str, ColumnType] = {
    "on_behalf_of": sa.JSON,
    "request_id": lambda: sa.String(length=255),
}


def _has_table(name: str) -> bool:
    return sa.inspect(op.get_bind()).has_table(name)


def upgrade() -> None:
    op.create_table(
        "repository_audit_chain_head",
        sa.Column("chain", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("mac", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("chain"),
    )
    op.create_table(
        "repository_audit_destination",
        sa.Column("organisation", sa.String(length=32), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.PrimaryKeyConstraint("organisation"),
    )
    op.create_table(
        "repository_audit_outbox",
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("organisation", sa.String(length=32), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.String(length=1000), nullable=True),
        sa.PrimaryKeyConstraint("record_id"),
    )
    op.create_index(
        "ix_repository_audit_outbox_due", "repository_audit_outbox", ["organisation", "due_at"]
    )
    op.create_table(
        "repository_audit_record",
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
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("record_id"),
    )
    op.create_index(
        "ix_repository_audit_record_controller",
        "repository_audit_record",
        ["data_controller_id", "seq"],
    )
    op.create_index(
        "ix_repository_audit_record_patient", "repository_audit_record", ["patient_id", "seq"]
    )
    op.create_index(
        "ix_repository_audit_record_practitioner",
        "repository_audit_record",
        ["practitioner_hpr", "seq"],
    )
    op.create_index(
        "ix_repository_audit_record_recorded_at", "repository_audit_record", ["recorded_at"]
    )
    if not _has_table(BLOCKS_TABLE):
        op.create_table(
            BLOCKS_TABLE,
            sa.Column("patient_id", sa.String(length=64), nullable=False),
            sa.Column("patient_authority", sa.String(length=128), nullable=False),
            sa.Column("hpr_number", sa.String(length=16), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("patient_id", "patient_authority", "hpr_number"),
        )
    with op.batch_alter_table("repository_document") as batch:
        for name, kind in DOCUMENT_COLUMNS.items():
            batch.add_column(sa.Column(name, kind(), nullable=True))
    with op.batch_alter_table("repository_registration") as batch:
        for name, kind in REGISTRATION_COLUMNS.items():
            batch.add_column(sa.Column(name, kind(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("repository_registration") as batch:
        for name in REGISTRATION_COLUMNS:
            batch.drop_column(name)
    with op.batch_alter_table("repository_document") as batch:
        for name in DOCUMENT_COLUMNS:
            batch.drop_column(name)
    if not _has_table(REGISTRY_VERSION_TABLE):
        op.drop_table(BLOCKS_TABLE)
    for table, suffixes in AUDIT_INDEXES.items():
        for suffix in suffixes:
            op.drop_index(f"ix_{table}_{suffix}", table_name=table)
    for table in (
        "repository_audit_record",
        "repository_audit_outbox",
        "repository_audit_destination",
        "repository_audit_chain_head",
    ):
        op.drop_table(table)
