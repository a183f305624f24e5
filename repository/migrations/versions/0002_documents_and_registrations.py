"""Stored documents and the registration outbox.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

_LIVE = sa.text("state IN ('staged', 'registered')")


def upgrade() -> None:
    op.create_table(
        "repository_registration",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("submission_set_unique_id", sa.String(256), nullable=False),
        sa.Column("request", sa.LargeBinary, nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("in_doubt", sa.Boolean, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True)),
        sa.Column("deadline", sa.DateTime(timezone=True)),
        sa.Column("last_error", sa.Text),
        sa.Column("registry_errors", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
    )
    op.create_index(
        "ix_repository_registration_state",
        "repository_registration",
        ["state", "next_attempt_at"],
    )
    op.create_table(
        "repository_document",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
        sa.Column("unique_id", sa.String(256), nullable=False),
        sa.Column("repository_unique_id", sa.String(64), nullable=False),
        sa.Column(
            "registration_id",
            sa.String(36),
            sa.ForeignKey("repository_registration.id", name="fk_repository_document_registration"),
            nullable=False,
        ),
        sa.Column("storage_key", sa.String(512), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("sha1", sa.String(40), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("mime_type", sa.String(255), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("purged_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("storage_key", name="uq_repository_document_storage_key"),
    )
    op.create_index("ix_repository_document_unique_id", "repository_document", ["unique_id"])
    op.create_index(
        "ix_repository_document_registration", "repository_document", ["registration_id"]
    )
    op.create_index("ix_repository_document_state", "repository_document", ["state"])
    op.create_index(
        "uq_repository_document_live_unique_id",
        "repository_document",
        ["unique_id"],
        unique=True,
        sqlite_where=_LIVE,
        postgresql_where=_LIVE,
    )


def downgrade() -> None:
    op.drop_table("repository_document")
    op.drop_table("repository_registration")
