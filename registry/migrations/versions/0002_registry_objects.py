"""The registry objects: their identity, query columns, child tables and pre-rendered XML.

Generated with `alembic revision --autogenerate` against `registry.storage.tables.metadata`, then
reviewed: creation order follows the foreign keys, indexes are plain `create_index` (no batch
mode needed), and downgrade drops in reverse order. See docs/registry.md for the schema's reasons.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.sql.schema import SchemaItem

revision = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

OBJECT_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
DTM = sa.String(length=14)
SHORT = sa.String(length=16)


def _object_id(table: str) -> list[SchemaItem]:
    """The per-kind table's key: the registry object's id."""
    return [
        sa.Column("id", OBJECT_ID, autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["id"],
            ["registry_objects.id"],
            name=f"fk_{table}_id",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
        sa.UniqueConstraint("entry_uuid", name=f"uq_{table}_entry_uuid"),
    ]


def _owned(table: str, owner_column: str, owner_table: str) -> list[SchemaItem]:
    return [
        sa.Column(owner_column, OBJECT_ID, nullable=False),
        sa.ForeignKeyConstraint(
            [owner_column],
            [f"{owner_table}.id"],
            name=f"fk_{table}_{owner_column}",
            ondelete="CASCADE",
        ),
    ]


def _codes(prefix: str) -> list[sa.Column[str]]:
    return [
        sa.Column(f"{prefix}_code", sa.String(), nullable=True),
        sa.Column(f"{prefix}_scheme", sa.String(), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "patients",
        sa.Column("patient_id", sa.String(), nullable=False),
        sa.Column("registered_at", DTM, nullable=False),
        sa.PrimaryKeyConstraint("patient_id", name="pk_patients"),
    )
    op.create_table(
        "registry_objects",
        sa.Column("id", OBJECT_ID, autoincrement=True, nullable=False),
        sa.Column("entry_uuid", sa.String(), nullable=False),
        sa.Column("kind", SHORT, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_registry_objects"),
        sa.UniqueConstraint("entry_uuid", name="uq_registry_objects_entry_uuid"),
    )
    _create_document_entries()
    _create_submission_sets()
    _create_folders()
    _create_associations()


def _create_document_entries() -> None:
    op.create_table(
        "document_entries",
        sa.Column("entry_uuid", sa.String(), nullable=False),
        sa.Column("logical_id", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("unique_id", sa.String(), nullable=False),
        sa.Column("patient_id", sa.String(), nullable=False),
        sa.Column("status", SHORT, nullable=False),
        sa.Column("object_type", sa.String(), nullable=False),
        *_codes("class"),
        *_codes("type"),
        *_codes("format"),
        *_codes("healthcare_facility_type"),
        *_codes("practice_setting"),
        sa.Column("creation_time", DTM, nullable=True),
        sa.Column("service_start_time", DTM, nullable=True),
        sa.Column("service_stop_time", DTM, nullable=True),
        sa.Column("repository_unique_id", sa.String(), nullable=True),
        sa.Column("hash", sa.String(), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("mime_type", sa.String(), nullable=True),
        sa.Column("xml", sa.LargeBinary(), nullable=False),
        *_object_id("document_entries"),
        sa.UniqueConstraint("logical_id", "version", name="uq_document_entries_logical_id_version"),
        sa.UniqueConstraint("unique_id", "version", name="uq_document_entries_unique_id_version"),
    )
    op.create_index(
        "ix_document_entries_patient_id_status", "document_entries", ["patient_id", "status"]
    )
    for child, columns in (
        ("document_confidentiality_codes", ("code", "scheme")),
        ("document_event_codes", ("code", "scheme")),
        ("document_author_persons", ("author_person",)),
        ("document_reference_ids", ("reference_id",)),
    ):
        op.create_table(
            child,
            *_owned(child, "document_id", "document_entries"),
            *(sa.Column(name, sa.String(), nullable=False) for name in columns),
            sa.PrimaryKeyConstraint("document_id", *columns, name=f"pk_{child}"),
        )


def _create_submission_sets() -> None:
    op.create_table(
        "submission_sets",
        sa.Column("entry_uuid", sa.String(), nullable=False),
        sa.Column("unique_id", sa.String(), nullable=False),
        sa.Column("patient_id", sa.String(), nullable=False),
        sa.Column("status", SHORT, nullable=False),
        sa.Column("source_id", sa.String(), nullable=True),
        sa.Column("submission_time", DTM, nullable=True),
        *_codes("content_type"),
        sa.Column("xml", sa.LargeBinary(), nullable=False),
        *_object_id("submission_sets"),
        sa.UniqueConstraint("unique_id", name="uq_submission_sets_unique_id"),
    )
    op.create_index(
        "ix_submission_sets_patient_id_status", "submission_sets", ["patient_id", "status"]
    )
    op.create_table(
        "submission_set_author_persons",
        *_owned("submission_set_author_persons", "submission_set_id", "submission_sets"),
        sa.Column("author_person", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint(
            "submission_set_id", "author_person", name="pk_submission_set_author_persons"
        ),
    )


def _create_folders() -> None:
    op.create_table(
        "folders",
        sa.Column("entry_uuid", sa.String(), nullable=False),
        sa.Column("logical_id", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("unique_id", sa.String(), nullable=False),
        sa.Column("patient_id", sa.String(), nullable=False),
        sa.Column("status", SHORT, nullable=False),
        sa.Column("last_update_time", DTM, nullable=True),
        sa.Column("xml", sa.LargeBinary(), nullable=False),
        *_object_id("folders"),
        sa.UniqueConstraint("logical_id", "version", name="uq_folders_logical_id_version"),
        sa.UniqueConstraint("unique_id", "version", name="uq_folders_unique_id_version"),
    )
    op.create_index("ix_folders_patient_id_status", "folders", ["patient_id", "status"])
    op.create_table(
        "folder_codes",
        *_owned("folder_codes", "folder_id", "folders"),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("scheme", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("folder_id", "code", "scheme", name="pk_folder_codes"),
    )


def _create_associations() -> None:
    op.create_table(
        "associations",
        sa.Column("entry_uuid", sa.String(), nullable=False),
        sa.Column("association_type", sa.String(), nullable=False),
        sa.Column("source_uuid", sa.String(), nullable=False),
        sa.Column("target_uuid", sa.String(), nullable=False),
        sa.Column("status", SHORT, nullable=False),
        sa.Column("xml", sa.LargeBinary(), nullable=False),
        *_object_id("associations"),
        sa.ForeignKeyConstraint(
            ["source_uuid"],
            ["registry_objects.entry_uuid"],
            name="fk_associations_source_uuid",
        ),
        sa.ForeignKeyConstraint(
            ["target_uuid"],
            ["registry_objects.entry_uuid"],
            name="fk_associations_target_uuid",
        ),
    )
    for end in ("source_uuid", "target_uuid"):
        op.create_index(
            f"ix_associations_{end}_association_type", "associations", [end, "association_type"]
        )


def downgrade() -> None:
    for table in (
        "associations",
        "folder_codes",
        "folders",
        "submission_set_author_persons",
        "submission_sets",
        "document_reference_ids",
        "document_author_persons",
        "document_event_codes",
        "document_confidentiality_codes",
        "document_entries",
        "registry_objects",
        "patients",
    ):
        op.drop_table(table)
