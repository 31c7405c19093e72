"""Per-story summary columns on ``stories`` (counts, first / last publication date, outlets, incident places)
with an index for each sort of the stories list, and ``story_outlets`` (which outlets cover a story), filled
for the stored stories (see ``rashomon.store.summary``); indexes for the list's event-type filter and an
outlet's newest articles.
Chained after 0006 (full-text search).

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
    # Plain ADD COLUMN, never batch mode: on SQLite a batch copy drops ``stories``, and the foreign key's
    # ON DELETE CASCADE would empty ``story_articles`` with it.
    for name in _COUNTS:
        op.add_column("stories", sa.Column(name, sa.Integer, nullable=False, server_default=sa.text("0")))
    op.add_column("stories", sa.Column("first_published", sa.String(32), nullable=True))
    op.add_column("stories", sa.Column("last_published", sa.String(32), nullable=True))
    op.add_column("stories", sa.Column("outlets", sa.JSON, nullable=False, server_default=sa.text("'[]'")))
    op.add_column("stories", sa.Column("places", sa.JSON, nullable=False, server_default=sa.text("'[]'")))
    op.create_table(
        "story_outlets",
        sa.Column("story_id", sa.String(64), sa.ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("outlet", sa.Text, primary_key=True),
        sa.Column("articles", sa.Integer, nullable=False),
    )
    op.create_index("ix_story_outlets_outlet", "story_outlets", ["outlet", "story_id"])
    # newest first: last_published DESC, n_disputes DESC, seq DESC (a backward scan); most disputed first likewise.
    # The id makes them covering: a filtered page is sorted and counted without reading the (wide) story rows.
    op.create_index("ix_stories_newest", "stories", ["last_published", "n_disputes", "seq", "id"])
    op.create_index("ix_stories_disputed", "stories", ["n_disputes", "last_published", "seq", "id"])
    op.create_index("ix_events_event_type", "events", ["event_type"])  # the list's event-type filter and facet
    op.create_index("ix_articles_outlet_published", "articles", ["outlet", "published", "id"])  # covering
    if not op.get_context().as_sql:  # SQL written out, not run: there are no rows to summarise
        refresh(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_story_outlets_outlet", "story_outlets")
    op.drop_table("story_outlets")
    op.drop_index("ix_articles_outlet_published", "articles")
    op.drop_index("ix_events_event_type", "events")
    op.drop_index("ix_stories_disputed", "stories")
    op.drop_index("ix_stories_newest", "stories")
    for name in ("places", "outlets", "last_published", "first_published", *reversed(_COUNTS)):
        op.drop_column("stories", name)  # SQLite 3.35+ drops a column in place (no copy, no cascade)
