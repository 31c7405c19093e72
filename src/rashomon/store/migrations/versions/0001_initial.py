"""Initial schema: articles and their per-article records, reconciled entities/stories/events/disputes.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.String(64)


def _per_article_keys() -> list[sa.Column]:
    return [
        sa.Column("article_id", ID, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
    ]


def _event_columns() -> list[sa.Column]:
    return [
        sa.Column("article_ids", sa.JSON, nullable=False),
        sa.Column("event_type", sa.Text),
        sa.Column("sub_event_type", sa.Text),
        sa.Column("date", sa.JSON),
        sa.Column("location", sa.JSON),
        sa.Column("actor1", sa.Text),
        sa.Column("actor2", sa.Text),
        sa.Column("fatalities", sa.JSON, nullable=False),
        sa.Column("injured", sa.JSON, nullable=False),
        sa.Column("captured", sa.JSON, nullable=False),
        sa.Column("claim_ids", sa.JSON, nullable=False),
        sa.Column("sentences", sa.JSON, nullable=False),
        sa.Column("story_id", ID),
        sa.Column("notes", sa.Text),
    ]


def _create_articles() -> None:
    op.create_table(
        "articles",
        sa.Column("id", ID, primary_key=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("outlet", sa.Text),
        sa.Column("published", sa.String(32)),
        sa.Column("published_inferred", sa.Boolean, nullable=False),
        sa.Column("dateline", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("language", sa.String(32)),
        sa.Column("format", sa.String(32)),
        sa.Column("duplicate_of", ID),
        sa.Column("content_hash", sa.String(40), nullable=False),
        sa.Column("word_count", sa.Integer, nullable=False),
        sa.Column("evaluative", sa.JSON, nullable=False),
        sa.Column("hedges", sa.JSON, nullable=False),
        sa.Column("dates", sa.JSON, nullable=False),
        sa.Column("quantities", sa.JSON, nullable=False),
        sa.Column("sentences", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    for col in ("content_hash", "duplicate_of", "outlet", "published"):
        op.create_index(f"ix_articles_{col}", "articles", [col])


def _create_per_article() -> None:
    op.create_table(
        "mentions",
        *_per_article_keys(),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("label", sa.String(64)),
        sa.Column("sentence", sa.Integer),
        sa.Column("entity_id", ID),
    )
    op.create_index("ix_mentions_entity_id", "mentions", ["entity_id"])
    op.create_table(
        "places",
        *_per_article_keys(),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("geo", sa.JSON),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("sentence", sa.Integer),
        sa.Column("entity_id", ID),
    )
    op.create_index("ix_places_entity_id", "places", ["entity_id"])
    op.create_table(
        "claims",
        *_per_article_keys(),
        sa.Column("id", ID, nullable=False),
        sa.Column("story_id", ID),
        sa.Column("speaker", sa.JSON, nullable=False),
        sa.Column("speaker_entity_id", ID),
        sa.Column("cue", sa.Text),
        sa.Column("act", sa.String(64), nullable=False),
        sa.Column("stance", sa.String(32), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("quote", sa.String(32), nullable=False),
        sa.Column("sentence", sa.Text, nullable=False),
        sa.Column("span_start", sa.Integer, nullable=False),
        sa.Column("span_end", sa.Integer, nullable=False),
        sa.Column("quantities", sa.JSON, nullable=False),
        sa.Column("hedges", sa.JSON, nullable=False),
        sa.Column("dates", sa.JSON, nullable=False),
    )
    for col in ("id", "story_id", "speaker_entity_id"):
        op.create_index(f"ix_claims_{col}", "claims", [col])
    op.create_table(
        "article_events",
        *_per_article_keys(),
        sa.Column("id", ID, nullable=False),
        *_event_columns(),
    )
    op.create_index("ix_article_events_id", "article_events", ["id"])
    op.create_index("ix_article_events_story_id", "article_events", ["story_id"])


def _create_reconciled() -> None:
    op.create_table(
        "entities",
        sa.Column("id", ID, primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("aliases", sa.JSON, nullable=False),
        sa.Column("article_ids", sa.JSON, nullable=False),
        sa.Column("mentions", sa.Integer, nullable=False),
        sa.Column("geo", sa.JSON),
        sa.Column("merge_reasons", sa.JSON, nullable=False),
    )
    op.create_index("ix_entities_seq", "entities", ["seq"])
    op.create_index("ix_entities_type", "entities", ["type"])
    op.create_table(
        "stories",
        sa.Column("id", ID, primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("event_ids", sa.JSON, nullable=False),
        sa.Column("related_story_ids", sa.JSON, nullable=False),
        sa.Column("timeline", sa.JSON, nullable=False),
    )
    op.create_index("ix_stories_seq", "stories", ["seq"])
    op.create_table(
        "story_articles",
        sa.Column("story_id", ID, sa.ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("article_id", ID, nullable=False),
    )
    op.create_index("ix_story_articles_article_id", "story_articles", ["article_id"])
    op.create_table(
        "events",
        sa.Column("id", ID, primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False),
        *_event_columns(),
    )
    op.create_index("ix_events_seq", "events", ["seq"])
    op.create_index("ix_events_story_id", "events", ["story_id"])
    op.create_table(
        "disputes",
        sa.Column("id", ID, primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("story_id", ID, nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("proposition", sa.Text, nullable=False),
        sa.Column("sides", sa.JSON, nullable=False),
        sa.Column("explanation", sa.Text, nullable=False),
    )
    op.create_index("ix_disputes_seq", "disputes", ["seq"])
    op.create_index("ix_disputes_story_id", "disputes", ["story_id"])


def upgrade() -> None:
    _create_articles()
    _create_per_article()
    _create_reconciled()


def downgrade() -> None:
    for table in (
        "disputes", "events", "story_articles", "stories", "entities",
        "article_events", "claims", "places", "mentions", "articles",
    ):
        op.drop_table(table)
