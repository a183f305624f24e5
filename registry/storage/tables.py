"""The registry's tables: one per XDS object kind, shaped for the stored queries.

See docs/registry.md for the reasoning behind each index.

Every object has a row in `registry_objects` (its entryUUID and kind): the global
identity that associations point at with foreign keys, so no association can ever dangle. The
per-kind tables carry the indexed query columns and the pre-rendered ebRIM XML of the object;
multi-valued query attributes live in small child tables. Times are 14-digit padded DTM strings,
so From-inclusive/To-exclusive range comparison is plain string comparison at any precision.
The schema is the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    UniqueConstraint,
)

from trustframework.audit.storage.tables import add_audit_tables
from trustframework.storage import define_blocks_table

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
ObjectId = BigInteger().with_variant(Integer(), "sqlite")
DTM_LENGTH = 14
STATUS_LENGTH = 16
KIND_LENGTH = 16


def _object_id() -> Column[int]:
    """The primary key of a per-kind table: the same number as in `registry_objects`."""
    return Column(
        "id",
        ObjectId,
        ForeignKey("registry_objects.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    )


def _code_columns(prefix: str) -> tuple[Column[str], Column[str]]:
    return Column(f"{prefix}_code", String), Column(f"{prefix}_scheme", String)


def _dtm(name: str) -> Column[str]:
    return Column(name, String(DTM_LENGTH))


def _owner(name: str, table: str) -> Column[int]:
    return Column(name, ObjectId, ForeignKey(f"{table}.id", ondelete="CASCADE"), nullable=False)


registry_objects = Table(
    "registry_objects",
    metadata,
    Column("id", ObjectId, primary_key=True, autoincrement=True),
    Column("entry_uuid", String, nullable=False, unique=True),
    Column("kind", String(KIND_LENGTH), nullable=False),
)

patients = Table(
    "patients",
    metadata,
    Column("patient_id", String, primary_key=True),
    Column("registered_at", String(DTM_LENGTH), nullable=False),
)

document_entries = Table(
    "document_entries",
    metadata,
    _object_id(),
    Column("entry_uuid", String, nullable=False, unique=True),
    Column("logical_id", String, nullable=False),
    Column("version", Integer, nullable=False),
    Column("unique_id", String, nullable=False),
    Column("patient_id", String, nullable=False),
    Column("status", String(STATUS_LENGTH), nullable=False),
    Column("object_type", String, nullable=False),
    *_code_columns("class"),
    *_code_columns("type"),
    *_code_columns("format"),
    *_code_columns("healthcare_facility_type"),
    *_code_columns("practice_setting"),
    _dtm("creation_time"),
    _dtm("service_start_time"),
    _dtm("service_stop_time"),
    Column("repository_unique_id", String),
    Column("hash", String),
    Column("size", BigInteger),
    Column("mime_type", String),
    # what access control reads besides the columns above (registry.storage.access_facts);
    # written with every row, back-filled by migration 0004 (NULL: the row is never shown)
    Column("access_facts", JSON),
    Column("xml", LargeBinary, nullable=False),
    UniqueConstraint("logical_id", "version"),
    UniqueConstraint("unique_id", "version"),
    Index(None, "patient_id", "status"),
)

document_confidentiality_codes = Table(
    "document_confidentiality_codes",
    metadata,
    _owner("document_id", "document_entries"),
    Column("code", String, nullable=False),
    Column("scheme", String, nullable=False),
    PrimaryKeyConstraint("document_id", "code", "scheme"),
)

document_event_codes = Table(
    "document_event_codes",
    metadata,
    _owner("document_id", "document_entries"),
    Column("code", String, nullable=False),
    Column("scheme", String, nullable=False),
    PrimaryKeyConstraint("document_id", "code", "scheme"),
)

document_author_persons = Table(
    "document_author_persons",
    metadata,
    _owner("document_id", "document_entries"),
    Column("author_person", String, nullable=False),
    PrimaryKeyConstraint("document_id", "author_person"),
)

document_reference_ids = Table(
    "document_reference_ids",
    metadata,
    _owner("document_id", "document_entries"),
    Column("reference_id", String, nullable=False),
    PrimaryKeyConstraint("document_id", "reference_id"),
)

submission_sets = Table(
    "submission_sets",
    metadata,
    _object_id(),
    Column("entry_uuid", String, nullable=False, unique=True),
    Column("unique_id", String, nullable=False, unique=True),
    Column("patient_id", String, nullable=False),
    Column("status", String(STATUS_LENGTH), nullable=False),
    Column("source_id", String),
    _dtm("submission_time"),
    *_code_columns("content_type"),
    Column("xml", LargeBinary, nullable=False),
    Index(None, "patient_id", "status"),
)

submission_set_author_persons = Table(
    "submission_set_author_persons",
    metadata,
    _owner("submission_set_id", "submission_sets"),
    Column("author_person", String, nullable=False),
    PrimaryKeyConstraint("submission_set_id", "author_person"),
)

folders = Table(
    "folders",
    metadata,
    _object_id(),
    Column("entry_uuid", String, nullable=False, unique=True),
    Column("logical_id", String, nullable=False),
    Column("version", Integer, nullable=False),
    Column("unique_id", String, nullable=False),
    Column("patient_id", String, nullable=False),
    Column("status", String(STATUS_LENGTH), nullable=False),
    _dtm("last_update_time"),
    Column("xml", LargeBinary, nullable=False),
    UniqueConstraint("logical_id", "version"),
    UniqueConstraint("unique_id", "version"),
    Index(None, "patient_id", "status"),
)

folder_codes = Table(
    "folder_codes",
    metadata,
    _owner("folder_id", "folders"),
    Column("code", String, nullable=False),
    Column("scheme", String, nullable=False),
    PrimaryKeyConstraint("folder_id", "code", "scheme"),
)

associations = Table(
    "associations",
    metadata,
    _object_id(),
    Column("entry_uuid", String, nullable=False, unique=True),
    Column("association_type", String, nullable=False),
    Column("source_uuid", String, ForeignKey("registry_objects.entry_uuid"), nullable=False),
    Column("target_uuid", String, ForeignKey("registry_objects.entry_uuid"), nullable=False),
    Column("status", String(STATUS_LENGTH), nullable=False),
    Column("xml", LargeBinary, nullable=False),
    Index(None, "source_uuid", "association_type"),
    Index(None, "target_uuid", "association_type"),
)

# The trust framework's tables live in the registry's own database (docs/registry.md, "Access
# control and audit"): the registry's audit chain, its outbox and destinations, and the patients'
# blocks of named health personnel.
AUDIT_SERVICE = "registry"
audit_tables = add_audit_tables(metadata, AUDIT_SERVICE)
blocks = define_blocks_table(metadata)
