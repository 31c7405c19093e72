"""The store: every article and what was found in it, plus the reconciled view, in one SQL database.

SQLite by default (WAL, foreign keys on); the same models run on PostgreSQL. The schema is created
and upgraded by the Alembic migrations shipped in this package, run on every open (a no-op when
the database is current), so a user never runs a migration tool by hand.

Writes are all-or-nothing per call: a batch of extractions, or a whole reconcile result, is one
transaction; an error rolls everything in it back.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    Engine,
    Table,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from rashomon.records import Entity, Extraction, Reconciled, Story
from rashomon.store import convert, summary
from rashomon.store import incremental as inc
from rashomon.store.models import (
    ArticleEventRow,
    ArticleRow,
    ClaimRow,
    DisputeRow,
    EntityRow,
    EventRow,
    MentionRow,
    PlaceRow,
    StoryArticleRow,
    StoryRow,
)

log = logging.getLogger(__name__)

_HERE = Path(__file__).resolve().parent
ALEMBIC_INI = _HERE / "alembic.ini"
MIGRATIONS = _HERE / "migrations"
_CHUNK = 200  # articles read back per query round in iter_extractions
_WRITE = "rashomon_write"  # execution option: this transaction writes (SQLite: BEGIN IMMEDIATE)
_PG_WRITE_LOCK = 0x7261_7368  # PostgreSQL advisory lock key the writers share ("rash")

T = TypeVar("T")


class _HasId(Protocol):
    id: str


R = TypeVar("R", bound=_HasId)


def _is_memory_sqlite(url: str) -> bool:
    return url.startswith("sqlite") and (url.rstrip("/") in ("sqlite:", "sqlite:/") or ":memory:" in url)


def _make_engine(url: str) -> Engine:
    """An engine with the SQLite settings the store relies on (WAL, FKs, waiting on locks)."""
    if _is_memory_sqlite(url):
        # One shared connection, or each session would see its own empty in-memory database.
        engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    elif url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
    else:
        return _server_engine(url)

    wal = not _is_memory_sqlite(url)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy own transactions: pysqlite's implicit BEGIN skips SELECTs and DDL, which
        # would leave "check then insert" and migrations outside the transaction.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        if wal:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # Writers take the write lock up front, so two processes serialise instead of failing
        # on a lock upgrade halfway through a batch.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")

    return engine


def _server_engine(url: str) -> Engine:
    """A server database (PostgreSQL): writers take one transaction-scoped advisory lock, the
    counterpart of SQLite's BEGIN IMMEDIATE, so concurrent runs (``rashomon batch`` processes sharing
    one database) serialise their "check, then write" steps: a migration, a batch of articles, a
    reconcile delta checked against what it read."""
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name != "postgresql":
        return engine

    @event.listens_for(engine, "begin")
    def _lock(conn: Any) -> None:
        if conn.get_execution_options().get(_WRITE):
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_WRITE_LOCK})")

    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration shipped with the package (no-op when current)."""
    cfg = Config(str(ALEMBIC_INI))
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.execution_options(**{_WRITE: True}).begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def _unique_by_id(items: Iterable[R], what: str) -> list[R]:
    """Drop repeated ids (keeping the first) with a warning rather than failing the whole save."""
    seen: set[str] = set()
    out: list[R] = []
    for item in items:
        key = item.id
        if key in seen:
            log.warning("reconcile produced %s %s twice; keeping the first", what, key)
            continue
        seen.add(key)
        out.append(item)
    return out


def _group(rows: Iterable[Any], make: Callable[[Any], T]) -> dict[str, list[T]]:
    out: dict[str, list[T]] = defaultdict(list)
    for row in rows:
        out[row.article_id].append(make(row))
    return out


class Store:
    """Persistent home of extractions and reconcile results (see module docstring)."""

    def __init__(self, url: str) -> None:
        if "://" not in url:
            url = f"sqlite:///{Path(url).expanduser().resolve()}"
        self.url = url
        self.engine = _make_engine(url)
        migrate(self.engine)
        self._session = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(self.engine.execution_options(**{_WRITE: True}), expire_on_commit=False)
        self.loaded = 0  # extractions rebuilt so far: what a run's cost follows

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    # --- articles --------------------------------------------------------------------------

    def known_article_ids(self) -> set[str]:
        with self._session() as s:
            return set(s.scalars(select(ArticleRow.id)))

    def existing_ids(self, ids: Collection[str]) -> set[str]:
        """Which of ``ids`` are stored, asked a chunk at a time: memory follows ``ids``, never the store."""
        with self._session() as s:
            return {i for part in inc.chunks(sorted(set(ids))) for i in s.scalars(select(ArticleRow.id).where(ArticleRow.id.in_(part)))}

    def content_hash_index(self) -> dict[str, str]:
        """content_hash -> the first stored article (by id) with that text, for exact-duplicate checks."""
        with self._session() as s:
            rows = s.execute(
                select(ArticleRow.content_hash, func.min(ArticleRow.id)).group_by(ArticleRow.content_hash)
            )
            return {h: aid for h, aid in rows}

    def add_extractions(self, exs: Sequence[Extraction]) -> int:
        """Store a batch in ONE transaction; ids already stored (or repeated in the batch) are skipped."""
        if not exs:
            return 0
        ids = [ex.article.id for ex in exs]
        with self._writer() as s, s.begin():
            known = set(s.scalars(select(ArticleRow.id).where(ArticleRow.id.in_(set(ids)))))
            fresh: list[Extraction] = []
            for ex in exs:
                if ex.article.id not in known:
                    known.add(ex.article.id)
                    fresh.append(ex)
            if fresh:
                self._insert(s, fresh)
        return len(fresh)

    @staticmethod
    def _insert(s: Session, exs: Sequence[Extraction]) -> None:
        articles, mentions, places, claims, events = [], [], [], [], []
        for ex in exs:
            aid = ex.article.id
            articles.append(convert.article_values(
                ex.article, evaluative=ex.evaluative, hedges=ex.hedges, dates=ex.dates,
                quantities=ex.quantities, sentences=ex.sentences))
            mentions += [{**convert.mention_values(m), "article_id": aid, "seq": i} for i, m in enumerate(ex.mentions)]
            places += [{**convert.place_values(p), "article_id": aid, "seq": i} for i, p in enumerate(ex.places)]
            claims += [{**convert.claim_values(c), "article_id": aid, "seq": i} for i, c in enumerate(ex.claims)]
            events += [{**convert.event_values(e), "article_id": aid, "seq": i} for i, e in enumerate(ex.events)]
        s.execute(insert(ArticleRow), articles)
        for model, rows in ((MentionRow, mentions), (PlaceRow, places), (ClaimRow, claims), (ArticleEventRow, events)):
            if rows:
                s.execute(insert(model), rows)

    def iter_extractions(self) -> Iterator[Extraction]:
        """Rebuild every stored Extraction, ordered by article id, reading a chunk of articles at a time."""
        with self._session() as s:
            ids = list(s.scalars(select(ArticleRow.id).order_by(ArticleRow.id)))
            for i in range(0, len(ids), _CHUNK):
                yield from self._load_chunk(s, ids[i : i + _CHUNK])

    def load_extractions(self, ids: Collection[str]) -> list[Extraction]:
        """The stored Extractions of ``ids`` (unknown ids skipped), ordered by article id."""
        wanted = sorted(set(ids))
        with self._session() as s:
            return [ex for i in range(0, len(wanted), _CHUNK) for ex in self._load_chunk(s, wanted[i : i + _CHUNK])]

    def _load_chunk(self, s: Session, ids: list[str]) -> Iterator[Extraction]:
        def rows(model: Any) -> Any:
            return s.scalars(select(model).where(model.article_id.in_(ids)).order_by(model.article_id, model.seq))

        mentions = _group(rows(MentionRow), convert.mention_from)
        places = _group(rows(PlaceRow), convert.place_from)
        claims = _group(rows(ClaimRow), convert.claim_from)
        events = _group(rows(ArticleEventRow), convert.event_from)
        for a in s.scalars(select(ArticleRow).where(ArticleRow.id.in_(ids)).order_by(ArticleRow.id)):
            self.loaded += 1
            yield Extraction(
                article=convert.article_from(a), mentions=mentions.get(a.id, []),
                places=places.get(a.id, []), dates=convert.dates_from(a.dates),
                quantities=convert.quantities_from(a.quantities), claims=claims.get(a.id, []),
                events=events.get(a.id, []), hedges=list(a.hedges or []),
                evaluative=list(a.evaluative or []), sentences=convert.sentences_from(a.sentences),
            )

    # --- reconciled ------------------------------------------------------------------------

    def save_reconciled(self, result: Reconciled, exs: Sequence[Extraction]) -> None:
        """Replace the reconciled view and write back the links reconcile set on the extractions (ONE transaction)."""
        with self._writer() as s, s.begin():
            for model in (StoryArticleRow, DisputeRow, EventRow, StoryRow, EntityRow):
                s.execute(delete(model))
            self._insert_reconciled(s, result)
            self._update_links(s, exs)
            summary.refresh(s.connection())

    @staticmethod
    def _insert_reconciled(s: Session, r: Reconciled) -> None:
        def seqd(items: list[Any], to_values: Callable[[Any], dict[str, Any]]) -> list[dict[str, Any]]:
            return [{**to_values(x), "seq": i} for i, x in enumerate(items)]

        stories = _unique_by_id(r.stories, "story")
        batches = (
            (EntityRow, seqd(_unique_by_id(r.entities, "entity"), convert.entity_values)),
            (StoryRow, seqd(stories, convert.story_values)),
            (StoryArticleRow, [{"story_id": st.id, "position": i, "article_id": aid}
                               for st in stories for i, aid in enumerate(st.article_ids)]),
            (EventRow, seqd(_unique_by_id(r.events, "event"), convert.event_values)),
            (DisputeRow, seqd(_unique_by_id(r.disputes, "dispute"), convert.dispute_values)),
        )
        for model, rows in batches:
            if rows:
                s.execute(insert(model), rows)

    @staticmethod
    def _update_links(s: Session, exs: Sequence[Extraction]) -> None:
        """Write entity ids, story ids and duplicate marks set by reconcile onto the stored rows."""
        def by_key(model: Any, **cols: str) -> Any:
            t = model.__table__
            return (update(t).where(t.c.article_id == bindparam("b_aid"), t.c.seq == bindparam("b_seq"))
                    .values({c: bindparam(p) for c, p in cols.items()}))

        claims, mentions, places, events, arts = [], [], [], [], []
        for ex in exs:
            aid = ex.article.id
            arts.append({"b_id": aid, "b_dup": ex.article.duplicate_of})
            for i, c in enumerate(ex.claims):
                claims.append({"b_aid": aid, "b_seq": i, "b_story": c.story_id,
                               "b_speaker": convert.claim_values(c)["speaker"], "b_ent": c.speaker.entity_id})
            mentions += [{"b_aid": aid, "b_seq": i, "b_ent": m.entity_id} for i, m in enumerate(ex.mentions)]
            places += [{"b_aid": aid, "b_seq": i, "b_ent": p.entity_id} for i, p in enumerate(ex.places)]
            events += [{"b_aid": aid, "b_seq": i, "b_story": e.story_id,
                        "b_loc": convert.event_values(e)["location"]} for i, e in enumerate(ex.events)]
        conn = s.connection()
        a = cast(Table, ArticleRow.__table__)
        for stmt, params in (
            (by_key(ClaimRow, story_id="b_story", speaker="b_speaker", speaker_entity_id="b_ent"), claims),
            (by_key(MentionRow, entity_id="b_ent"), mentions),
            (by_key(PlaceRow, entity_id="b_ent"), places),
            (by_key(ArticleEventRow, story_id="b_story", location="b_loc"), events),
            (update(a).where(a.c.id == bindparam("b_id")).values(duplicate_of=bindparam("b_dup")), arts),
        ):
            if params:
                conn.execute(stmt, params)

    # --- incremental reconcile (queries in store/incremental.py) ----------------------------------

    def _read(self, fn: Callable[..., T], *args: Any) -> T:
        with self._session() as s:
            return fn(s, *args)

    def unreconciled_ids(self) -> list[str]:
        return self._read(inc.unreconciled_ids)

    def stories_in_window(self, low: str, high: str) -> set[str]:
        return self._read(inc.stories_in_window, low, high)

    def originals_by_hash(self, hashes: Collection[str]) -> dict[str, list[tuple[str, str | None]]]:
        return self._read(inc.originals_by_hash, hashes)

    def story_ids_of(self, article_ids: Collection[str]) -> set[str]:
        return self._read(inc.story_ids_of, article_ids)

    def load_stories(self, ids: Collection[str]) -> list[Story]:
        return self._read(inc.load_stories, ids)

    def originals_among(self, article_ids: Collection[str]) -> set[str]:
        return self._read(inc.originals_among, article_ids)

    def entities_by_keys(self, keys: Collection[tuple[str, str]]) -> dict[tuple[str, str], set[str]]:
        return self._read(inc.entities_by_keys, keys)

    def load_entities(self, ids: Collection[str]) -> dict[str, Entity]:
        return self._read(inc.load_entities, ids)

    def save_delta(self, delta: inc.Delta, relate: inc.Relate | None = None) -> None:
        """Write what an incremental reconcile changed, and nothing else, in ONE transaction."""
        with self._writer() as s, s.begin():
            inc.write_delta(s, delta, self._update_links, relate)

    def load_reconciled(self) -> Reconciled:
        with self._session() as s:
            members: dict[str, list[str]] = defaultdict(list)
            for row in s.scalars(select(StoryArticleRow).order_by(StoryArticleRow.story_id, StoryArticleRow.position)):
                members[row.story_id].append(row.article_id)
            return Reconciled(
                entities=[convert.entity_from(r) for r in s.scalars(select(EntityRow).order_by(EntityRow.seq))],
                stories=[convert.story_from(r, members.get(r.id, []))
                         for r in s.scalars(select(StoryRow).order_by(StoryRow.seq))],
                events=[convert.event_from(r) for r in s.scalars(select(EventRow).order_by(EventRow.seq))],
                disputes=[convert.dispute_from(r) for r in s.scalars(select(DisputeRow).order_by(DisputeRow.seq))],
            )

    def counts(self) -> dict[str, int]:
        def n(model: Any, *where: Any) -> int:
            return int(s.scalar(select(func.count()).select_from(model).where(*where)) or 0)

        with self._session() as s:
            return {
                "articles": n(ArticleRow),
                "duplicates": n(ArticleRow, ArticleRow.duplicate_of.is_not(None)),
                "claims": n(ClaimRow),
                "entities": n(EntityRow),
                "stories": n(StoryRow),
                "events": n(EventRow),
                "disputes": n(DisputeRow),
            }
