"""Entity relations (spokesperson / media wing -> organisation) and merge candidates.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("entities") as batch:
        batch.add_column(sa.Column("relations", sa.JSON, nullable=False, server_default=sa.text("'[]'")))
        batch.add_column(sa.Column("candidates", sa.JSON, nullable=False, server_default=sa.text("'[]'")))


def downgrade() -> None:
    with op.batch_alter_table("entities") as batch:
        batch.drop_column("candidates")
        batch.drop_column("relations")
