"""Casualty ledgers on events: every source's figure, ACLED's figure per category and the summary rules.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLES = ("article_events", "events")  # both carry the shared event columns


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("ledger", sa.JSON, nullable=False, server_default=sa.text("'[]'")))
            batch.add_column(sa.Column("acled", sa.JSON, nullable=False, server_default=sa.text("'{}'")))
            batch.add_column(sa.Column("figure_rules", sa.JSON, nullable=False, server_default=sa.text("'{}'")))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("figure_rules")
            batch.drop_column("acled")
            batch.drop_column("ledger")
