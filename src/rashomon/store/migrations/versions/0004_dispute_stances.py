"""Each article's stance towards a dispute's claim (supports / denies / reports / unrelated) on disputes.

Chained after 0006 (full-text search), which was written first and also follows 0003, so that the
history stays one line.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("disputes") as batch:
        batch.add_column(sa.Column("stances", sa.JSON, nullable=False, server_default=sa.text("'[]'")))


def downgrade() -> None:
    with op.batch_alter_table("disputes") as batch:
        batch.drop_column("stances")
