"""The repository database: stored documents and the registration outbox (SQLAlchemy Core),
the repository's audit chain (`add_audit_tables`) and the patients' blocks of named health
personnel (`define_blocks_table`).

`repository/migrations/versions/` creates exactly these tables (a test compares them).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from repository.model import DocumentState
from servicekit.heartbeat import heartbeat_table
from trustframework.audit.storage.tables import add_audit_tables
from trustframework.storage import define_blocks_table

AUDIT_SERVICE = "repository"
metadata = sa.MetaData()
heartbeat = heartbeat_table("repository", metadata)


class UtcDateTime(sa.TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database (SQLite stores naive UTC text)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use UTC")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        moment: datetime = value
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


registrations = sa.Table(
    "repository_registration",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("submission_set_unique_id", sa.String(256), nullable=False),
    sa.Column("request", sa.LargeBinary, nullable=False),
    sa.Column("mode", sa.String(16), nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("in_doubt", sa.Boolean, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("next_attempt_at", UtcDateTime, nullable=False),
    sa.Column("lease_until", UtcDateTime),
    sa.Column("deadline", UtcDateTime),
    sa.Column("last_error", sa.Text),
    sa.Column("registry_errors", sa.JSON, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Column("finished_at", UtcDateTime),
    sa.Column("on_behalf_of", sa.JSON),
    sa.Column("request_id", sa.String(255)),
    sa.Index("ix_repository_registration_state", "state", "next_attempt_at"),
)

_HOLDS_UNIQUE_ID = sa.text(
    "state IN ("
    + ", ".join(f"'{state.value}'" for state in DocumentState if state.holds_unique_id)
    + ")"
)

documents = sa.Table(
    "repository_document",
    metadata,
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
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Column("purged_at", UtcDateTime),
    # what access control reads (`repository.model.AccessMetadata`); NULL for older documents
    sa.Column("patient_id", sa.String),
    sa.Column("class_code", sa.String),
    sa.Column("class_code_scheme", sa.String),
    sa.Column("confidentiality_codes", sa.JSON),
    sa.Column("creation_time", sa.String),
    sa.Column("service_start_time", sa.String),
    sa.Column("author_institutions", sa.JSON),
    # SHA-256 checkpoints (`repository.model.Sha256Checkpoints`); NULL for older documents
    sa.Column("checkpoint_interval", sa.Integer),
    sa.Column("sha256_checkpoints", sa.LargeBinary),
    sa.UniqueConstraint("storage_key", name="uq_repository_document_storage_key"),
    sa.Index("ix_repository_document_unique_id", "unique_id"),
    sa.Index("ix_repository_document_registration", "registration_id"),
    sa.Index("ix_repository_document_state", "state"),
    sa.Index(
        "uq_repository_document_live_unique_id",
        "unique_id",
        unique=True,
        sqlite_where=_HOLDS_UNIQUE_ID,
        postgresql_where=_HOLDS_UNIQUE_ID,
    ),
)

audit_tables = add_audit_tables(metadata, AUDIT_SERVICE)
blocks = define_blocks_table(metadata)
