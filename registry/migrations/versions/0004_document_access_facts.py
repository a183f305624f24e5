"""The access facts of every DocumentEntry (`document_entries.access_facts`): what the access
policy and the audit judge besides the query columns (confidentiality codes, author institutions),
so a stored query is judged without parsing the stored XML (`registry.storage.access_facts`).

Existing rows are back-filled from their stored XML, in batches, with the same
`stored_access_facts` that registration writes. The column stays nullable (SQLite cannot make an
added column NOT NULL without rebuilding the table); a row without facts is never shown.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from registry.codec import EbrimObjectCodec
from registry.storage.access_facts import stored_access_facts
from schemas.model import DocumentEntry

revision = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

BATCH = 1000


def upgrade() -> None:
    op.add_column("document_entries", sa.Column("access_facts", sa.JSON(), nullable=True))
    _back_fill(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("document_entries") as batch:
        batch.drop_column("access_facts")


def _back_fill(connection: sa.Connection) -> None:
    """Write the facts of every row that has none, parsing its stored XML."""
    table = sa.table(
        "document_entries",
        sa.column("id", sa.BigInteger),
        sa.column("xml", sa.LargeBinary),
        sa.column("access_facts", sa.JSON),
    )
    codec = EbrimObjectCodec()
    update = (
        table.update()
        .where(table.c.id == sa.bindparam("row_id"))
        .values(access_facts=sa.bindparam("facts"))
    )
    last = -1
    while True:
        batch = connection.execute(
            sa.select(table.c.id, table.c.xml)
            .where(table.c.id > last, table.c.access_facts.is_(None))
            .order_by(table.c.id)
            .limit(BATCH)
        ).all()
        if not batch:
            return
        values = []
        for row in batch:
            entry = codec.parse(bytes(row.xml))
            if not isinstance(entry, DocumentEntry):
                raise ValueError(f"document_entries row {row.id} does not hold a DocumentEntry")
            values.append({"row_id": row.id, "facts": stored_access_facts(entry)})
        connection.execute(update, values)
        last = batch[-1].id
