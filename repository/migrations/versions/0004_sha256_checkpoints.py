"""SHA-256 checkpoints of each stored document: its digest every `checkpoint_interval` bytes
(`repository.model.Sha256Checkpoints`), so ITI-43 verifies a large document piece by piece
while it streams it. Documents stored before have none (NULL) and are verified whole first.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column("repository_document", sa.Column("checkpoint_interval", sa.Integer()))
    op.add_column("repository_document", sa.Column("sha256_checkpoints", sa.LargeBinary()))


def downgrade() -> None:
    with op.batch_alter_table("repository_document") as table:
        table.drop_column("sha256_checkpoints")
        table.drop_column("checkpoint_interval")
