"""Full-text search: SQLite FTS5 tables over article titles / texts and claim sentences, kept current by
triggers; on PostgreSQL, GIN indexes over the same text (see ``rashomon.store.search``).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

from rashomon.store.search import create_statements, drop_statements

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for sql in create_statements(op.get_context().dialect.name):
        op.execute(sql)


def downgrade() -> None:
    for sql in drop_statements(op.get_context().dialect.name):
        op.execute(sql)
