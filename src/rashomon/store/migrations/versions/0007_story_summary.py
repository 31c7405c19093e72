"""Per-story summary columns on ``stories`` (counts, first / last publication date, outlets, incident places)
with an index for each sort of the stories list, filled for the stored stories (see
``rashomon.store.summary``). Chained after 0006 (full-text search).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from rashomon.store.summary import refresh

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_COUNTS = ("n_articles", "n_claims", "n_disputes", "n_incidents")


def upgrade() -> None:
    with op.batch_alter_table("stories") as batch:
        for name in _COUNTS:
            batch.add_column(sa.Column(name, sa.Integer, nullable=False, server_default=sa.text("0")))
        batch.add_column(sa.Column("first_published", sa.String(32), nullable=True))
        batch.add_column(sa.Column("last_published", sa.String(32), nullable=True))
        batch.add_column(sa.Column("outlets", sa.JSON, nullable=False, server_default=sa.text("'[]'")))
        batch.add_column(sa.Column("places", sa.JSON, nullable=False, server_default=sa.text("'[]'")))
    # newest first: last_published DESC, n_disputes DESC, seq DESC (a backward scan); most disputed first likewise
    op.create_index("ix_stories_newest", "stories", ["last_published", "n_disputes", "seq"])
    op.create_index("ix_stories_disputed", "stories", ["n_disputes", "last_published", "seq"])
    if not op.get_context().as_sql:  # SQL written out, not run: there are no rows to summarise
        refresh(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_stories_disputed", "stories")
    op.drop_index("ix_stories_newest", "stories")
    with op.batch_alter_table("stories") as batch:
        for name in ("places", "outlets", "last_published", "first_published", *reversed(_COUNTS)):
            batch.drop_column(name)
