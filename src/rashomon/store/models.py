"""ORM tables for the store.

Per-article records (mentions, places, claims, article events) are keyed by ``(article_id, seq)``
so the order the extractor emitted them in survives a round trip and reconcile can update them
in place. Nested lists stay JSON on their row: they are always read together with it, and JSON
columns keep the schema portable between SQLite and PostgreSQL.

The schema itself is created by the Alembic migrations in ``migrations/versions``; these models
must match them (a test compares the two).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ID = String(64)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class ArticleRow(Base):
    __tablename__ = "articles"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(Text, index=True)
    published: Mapped[str | None] = mapped_column(String(32), index=True)
    published_inferred: Mapped[bool] = mapped_column(Boolean, default=False)
    dateline: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(32))
    format: Mapped[str | None] = mapped_column(String(32))
    duplicate_of: Mapped[str | None] = mapped_column(ID, index=True)
    content_hash: Mapped[str] = mapped_column(String(40), index=True)
    word_count: Mapped[int] = mapped_column(Integer, default=0)
    evaluative: Mapped[list[Any]] = mapped_column(JSON, default=list)
    hedges: Mapped[list[Any]] = mapped_column(JSON, default=list)
    dates: Mapped[list[Any]] = mapped_column(JSON, default=list)
    quantities: Mapped[list[Any]] = mapped_column(JSON, default=list)
    sentences: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_utcnow)

    __table_args__ = (Index("ix_articles_outlet_published", "outlet", "published", "id"),)  # migration 0007


class _PerArticle:
    """Rows owned by one article, in the order the extractor emitted them."""

    article_id: Mapped[str] = mapped_column(
        ID, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)


class MentionRow(_PerArticle, Base):
    __tablename__ = "mentions"

    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(64))
    label: Mapped[str | None] = mapped_column(String(64))
    sentence: Mapped[int | None] = mapped_column(Integer)
    entity_id: Mapped[str | None] = mapped_column(ID, index=True)


class PlaceRow(_PerArticle, Base):
    __tablename__ = "places"

    text: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    geo: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    role: Mapped[str] = mapped_column(String(32))
    sentence: Mapped[int | None] = mapped_column(Integer)
    entity_id: Mapped[str | None] = mapped_column(ID, index=True)


class ClaimRow(_PerArticle, Base):
    __tablename__ = "claims"

    id: Mapped[str] = mapped_column(ID, index=True)
    story_id: Mapped[str | None] = mapped_column(ID, index=True)
    speaker: Mapped[dict[str, Any]] = mapped_column(JSON)
    speaker_entity_id: Mapped[str | None] = mapped_column(ID, index=True)
    cue: Mapped[str | None] = mapped_column(Text)
    act: Mapped[str] = mapped_column(String(64))
    stance: Mapped[str] = mapped_column(String(32))
    content: Mapped[str] = mapped_column(Text)
    quote: Mapped[str] = mapped_column(String(32))
    sentence: Mapped[str] = mapped_column(Text)
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    quantities: Mapped[list[Any]] = mapped_column(JSON, default=list)
    hedges: Mapped[list[Any]] = mapped_column(JSON, default=list)
    dates: Mapped[list[Any]] = mapped_column(JSON, default=list)


class _EventColumns:
    """Columns shared by per-article events and reconciled incidents."""

    article_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    event_type: Mapped[str | None] = mapped_column(Text)
    sub_event_type: Mapped[str | None] = mapped_column(Text)
    date: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    location: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    actor1: Mapped[str | None] = mapped_column(Text)
    actor2: Mapped[str | None] = mapped_column(Text)
    fatalities: Mapped[dict[str, Any]] = mapped_column(JSON)
    injured: Mapped[dict[str, Any]] = mapped_column(JSON)
    captured: Mapped[dict[str, Any]] = mapped_column(JSON)
    claim_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    sentences: Mapped[list[Any]] = mapped_column(JSON, default=list)
    story_id: Mapped[str | None] = mapped_column(ID, index=True)
    notes: Mapped[str | None] = mapped_column(Text)
    ledger: Mapped[list[Any]] = mapped_column(JSON, default=list)  # migration 0003
    acled: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # migration 0003
    figure_rules: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # migration 0003


class ArticleEventRow(_PerArticle, _EventColumns, Base):
    __tablename__ = "article_events"

    id: Mapped[str] = mapped_column(ID, index=True)


class EntityRow(Base):
    __tablename__ = "entities"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(64), index=True)
    aliases: Mapped[list[Any]] = mapped_column(JSON, default=list)
    article_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    mentions: Mapped[int] = mapped_column(Integer, default=0)
    geo: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    merge_reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    relations: Mapped[list[Any]] = mapped_column(JSON, default=list)  # migration 0002
    candidates: Mapped[list[Any]] = mapped_column(JSON, default=list)  # migration 0002


class EntityKeyRow(Base):
    """The transliteration keys of an entity's proper names (migration 0005), so that an incremental
    run finds the stored entity a new mention spells by an indexed lookup, not by reading them all."""

    __tablename__ = "entity_keys"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    entity_id: Mapped[str] = mapped_column(
        ID, ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class StoryRow(Base):
    __tablename__ = "stories"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, index=True)
    title: Mapped[str] = mapped_column(Text)
    event_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    related_story_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    timeline: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # summary for the stories list (migration 0007, kept by rashomon.store.summary.refresh on every save)
    n_articles: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    n_claims: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    n_disputes: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    n_incidents: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    first_published: Mapped[str | None] = mapped_column(String(32))
    last_published: Mapped[str | None] = mapped_column(String(32))
    outlets: Mapped[list[Any]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    places: Mapped[list[Any]] = mapped_column(JSON, default=list, server_default=text("'[]'"))

    __table_args__ = (
        Index("ix_stories_newest", "last_published", "n_disputes", "seq", "id"),
        Index("ix_stories_disputed", "n_disputes", "last_published", "seq", "id"),
    )


class StoryOutletRow(Base):
    """The named outlets covering a story and how many of its articles each has (migration 0007, kept with the
    story summary), so that "stories of this outlet" and "stories only this outlet covers" are index lookups."""

    __tablename__ = "story_outlets"
    __table_args__ = (Index("ix_story_outlets_outlet", "outlet", "story_id"),)

    story_id: Mapped[str] = mapped_column(ID, ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True)
    outlet: Mapped[str] = mapped_column(Text, primary_key=True)
    articles: Mapped[int] = mapped_column(Integer, default=0)


class StoryArticleRow(Base):
    """Story membership as rows, so "which story is this article in" is an indexed lookup."""

    __tablename__ = "story_articles"

    story_id: Mapped[str] = mapped_column(
        ID, ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[str] = mapped_column(ID, index=True)


class EventRow(_EventColumns, Base):
    __tablename__ = "events"
    __table_args__ = (Index("ix_events_event_type", "event_type"),)  # migration 0007: list filter and facet

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, index=True)


class DisputeRow(Base):
    __tablename__ = "disputes"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, index=True)
    story_id: Mapped[str] = mapped_column(ID, index=True)
    kind: Mapped[str] = mapped_column(String(64))
    proposition: Mapped[str] = mapped_column(Text)
    sides: Mapped[list[Any]] = mapped_column(JSON, default=list)
    explanation: Mapped[str] = mapped_column(Text)
    stances: Mapped[list[Any]] = mapped_column(JSON, default=list)  # migration 0004
