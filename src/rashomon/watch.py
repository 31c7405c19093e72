"""``rashomon watch``: poll RSS/Atom feeds, analyze what is new, report disputes that are new.

Each poll sends a conditional GET per feed (the ETag / Last-Modified of its last answer), so an
unchanged feed costs a 304. Entries already handled are skipped before anything is fetched or parsed:
by their source (``FEED#guid``, see :func:`rashomon.ingest.feed.entry_source`) in this process, and
after a restart by the sources stored in the database, so a restart re-ingests nothing. New entries go
through the same stages as ``analyze`` (:class:`rashomon.analyze.Runner`): extract, store, then the
incremental reconcile, which updates only the stories they touch. The disputes of those stories that
were not known before the poll are reported: a log line each and, with a webhook, one JSON POST each.

A failing feed (HTTP error, timeout, not a feed) or webhook is logged and the loop goes on. SIGINT and
SIGTERM stop the loop after the current step (a feed, or the reconcile), never inside a transaction.
"""

from __future__ import annotations

import json
import logging
import signal
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rashomon.analyze import Runner, Summary
from rashomon.config import Settings
from rashomon.ingest import feed
from rashomon.ingest.base import IngestError, ReadOptions
from rashomon.ingest.fetch import FetchError, Validators, fetch_if_changed
from rashomon.records import Dispute, to_dict
from rashomon.store.convert import dispute_from
from rashomon.store.models import ArticleRow, DisputeRow, StoryRow

log = logging.getLogger(__name__)
_IN = 500  # ids per SQL IN list


@dataclass(slots=True)
class WatchOptions:
    """How often to poll and where to report; ``allow_private`` lets ``--fetch`` reach article links on
    loopback or private addresses (feeds and the webhook are named by the user and always allowed)."""

    interval: float = 300.0
    fetch: bool = False
    webhook: str | None = None
    allow_private: bool = False
    timeout: float = 20.0
    webhook_attempts: int = 3
    webhook_backoff: float = 1.0  # seconds before the first retry; doubled for each next one


@dataclass(slots=True)
class FeedState:
    """What one feed's next poll needs: the validators of its last answer and the entries handled."""

    url: str
    validators: Validators = field(default_factory=Validators)
    seen: set[str] = field(default_factory=set)


@dataclass(slots=True)
class NewDispute:
    dispute: Dispute
    story_title: str

    def line(self) -> str:
        """One log line: story, proposition and every side with its stance, value and outlets."""
        sides = "; ".join(_side_text(s) for s in self.dispute.sides)
        return f'new {self.dispute.kind} dispute in "{self.story_title}": {self.dispute.proposition} | {sides}'

    def payload(self) -> dict[str, Any]:
        return {"event": "new_dispute", "story": {"id": self.dispute.story_id, "title": self.story_title},
                "dispute": to_dict(self.dispute)}


@dataclass(slots=True)
class PollResult:
    added: int = 0
    not_modified: int = 0
    failed_feeds: list[str] = field(default_factory=list)
    disputes: list[NewDispute] = field(default_factory=list)


class Watcher:
    """Polls a fixed list of feeds into one store; :meth:`poll` is one round, :meth:`run` the loop."""

    def __init__(self, feeds: Sequence[str], settings: Settings, options: WatchOptions) -> None:
        self.feeds = [FeedState(url) for url in dict.fromkeys(feeds)]
        self.options = options
        self.read_options = ReadOptions(field_map=dict(settings.field_map), fetch=options.fetch,
                                        allow_private=options.allow_private)
        self.runner = Runner(settings, report=lambda msg: log.warning("%s", msg))
        self.stop = threading.Event()
        self.known_disputes = _dispute_keys(self.runner.store.engine)

    def close(self) -> None:
        self.runner.close()

    def poll(self) -> PollResult:
        """Poll every feed once, analyze the new entries, reconcile, report the new disputes."""
        result = PollResult()
        summary = Summary()
        for state in self.feeds:
            if self.stop.is_set():
                break
            self._poll_feed(state, summary, result)
        result.added = summary.added
        result.disputes = self._reconcile()
        for found in result.disputes:
            log.info("%s", found.line())
            if self.options.webhook:
                post_webhook(self.options.webhook, found.payload(), self.options)
        return result

    def run(self, once: bool = False) -> PollResult:
        """Poll until stopped (``once``: a single poll); returns the last poll's result."""
        while True:
            try:
                result = self.poll()
            except Exception as exc:  # a store or reconcile failure must not end a long watch
                if once:
                    raise
                log.error("poll failed: %s: %s", type(exc).__name__, exc)
                result = PollResult()
            if once or self.stop.wait(self.options.interval):
                return result

    def _poll_feed(self, state: FeedState, summary: Summary, result: PollResult) -> None:
        try:
            page = fetch_if_changed(state.url, state.validators, timeout=self.options.timeout, allow_private=True)
        except FetchError as exc:
            return _feed_failed(result, state.url, str(exc))
        if page is None:
            result.not_modified += 1
            log.debug("%s: not modified", state.url)
            return
        parsed = feed.read_entries(page.data, state.url, feed_url=page.url)
        if isinstance(parsed, IngestError):
            return _feed_failed(result, state.url, parsed.message)
        fresh, current = self._new_entries(state, parsed)
        items = (item for n, entry in fresh for item in feed.entry_items(parsed, entry, n, self.read_options))
        try:
            self.runner.ingest_items(items, summary)
        except Exception as exc:  # noqa: BLE001 - one feed's failure must not stop the others
            return _feed_failed(result, state.url, f"{type(exc).__name__}: {exc}")
        state.seen = current  # bounded by the feed's length, not by its history
        state.validators = Validators(page.etag, page.last_modified)  # only once its entries are stored

    def _new_entries(self, state: FeedState, parsed: feed.FeedEntries) -> tuple[list[tuple[int, Any]], set[str]]:
        """(the entries neither seen in this process nor stored, the sources of all entries now in the feed)."""
        entries = [(n, e, feed.entry_source(e, state.url, n)) for n, e in enumerate(parsed.entries, start=1)]
        fresh = [(n, e, src) for n, e, src in entries if src not in state.seen]
        stored = _stored_sources(self.runner.store.engine, {k for _, e, src in fresh for k in _identities(e, src)})
        new = [(n, e) for n, e, src in fresh if not stored.intersection(_identities(e, src))]
        return new, {src for _, _, src in entries}

    def _reconcile(self) -> list[NewDispute]:
        """Reconcile what is unreconciled; the disputes of the stories it touched not known before."""
        store = self.runner.store
        pending = store.unreconciled_ids()
        if not pending:
            return []
        self.runner.reconcile()
        disputes, titles = _disputes_of(store.engine, store.story_ids_of(pending))
        new = [d for d in disputes if not self.known_disputes.intersection(_keys(d))]
        self.known_disputes.update(k for d in disputes for k in _keys(d))
        return [NewDispute(d, titles.get(d.story_id, "")) for d in new]


def _side_text(side: Any) -> str:
    value = "" if side.value is None else f" {side.value}"
    return f"{side.stance}{value} ({', '.join(side.outlets) or 'outlet unknown'})"


def _feed_failed(result: PollResult, url: str, why: str) -> None:
    result.failed_feeds.append(url)
    log.warning("feed %s: %s", url, why)


def _identities(entry: Any, source: str) -> set[str]:
    """The sources an entry's article may be stored under: ``FEED#guid``, or its link once fetched."""
    link = entry.get("link")
    return {source, link} if isinstance(link, str) and link else {source}


def _keys(d: Dispute) -> tuple[str, str]:
    """A dispute is known by its id or by (story, kind, proposition): a dispute that only gained a
    side in this poll gets a new id but is not new."""
    return d.id, f"{d.story_id}\x1f{d.kind}\x1f{d.proposition}"


def _chunks(values: Collection[str]) -> Iterator[list[str]]:
    items = sorted(values)
    for i in range(0, len(items), _IN):
        yield items[i : i + _IN]


def _stored_sources(engine: Any, sources: Collection[str]) -> set[str]:
    with Session(engine) as s:
        return {src for part in _chunks(sources)
                for src in s.scalars(select(ArticleRow.source).where(ArticleRow.source.in_(part)))}


def _dispute_keys(engine: Any) -> set[str]:
    """Every stored dispute's keys (see :func:`_keys`): what a poll's disputes are compared with."""
    with Session(engine) as s:
        rows = s.execute(select(DisputeRow.id, DisputeRow.story_id, DisputeRow.kind, DisputeRow.proposition))
        return {k for r in rows for k in (r.id, f"{r.story_id}\x1f{r.kind}\x1f{r.proposition}")}


def _disputes_of(engine: Any, story_ids: Collection[str]) -> tuple[list[Dispute], dict[str, str]]:
    """The stored disputes of ``story_ids`` (in stored order) and those stories' titles."""
    disputes: list[Dispute] = []
    titles: dict[str, str] = {}
    with Session(engine) as s:
        for part in _chunks(story_ids):
            rows = s.scalars(select(DisputeRow).where(DisputeRow.story_id.in_(part)).order_by(DisputeRow.seq))
            disputes += [dispute_from(r) for r in rows]
            titles.update({r.id: r.title for r in s.execute(select(StoryRow.id, StoryRow.title).where(StoryRow.id.in_(part)))})
    return disputes, titles


def post_webhook(url: str, payload: dict[str, Any], options: WatchOptions,
                 sleep: Callable[[float], None] = time.sleep) -> bool:
    """POST ``payload`` as JSON; retried with exponential backoff, a final failure logged, never raised."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    why = ""
    for attempt in range(options.webhook_attempts):
        if attempt:
            sleep(options.webhook_backoff * 2 ** (attempt - 1))
        req = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json", "User-Agent": "rashomon-watch"})
        try:
            with urllib.request.urlopen(req, timeout=options.timeout) as resp:  # the user's own URL
                resp.read(1 << 16)
            return True
        except urllib.error.HTTPError as exc:
            why = f"HTTP {exc.code} {exc.reason}"
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            why = str(getattr(exc, "reason", exc))
    log.warning("webhook %s failed after %d attempts: %s", url, options.webhook_attempts, why)
    return False


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGINT / SIGTERM set ``stop`` (the loop ends after its current step) instead of killing it;
    a second signal stops at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    def handler(signum: int, _frame: object) -> None:
        if stop.is_set():  # asked twice: stop now (a batch in flight rolls back whole)
            raise KeyboardInterrupt
        log.info("signal %d: stopping after this step (again to stop now)", signum)
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def watch(feeds: Sequence[str], settings: Settings, options: WatchOptions, once: bool = False) -> PollResult:
    """The ``rashomon watch`` command: poll ``feeds`` into ``settings.db`` until stopped."""
    watcher = Watcher(feeds, settings, options)
    try:
        with stop_on_signals(watcher.stop):
            return watcher.run(once=once)
    finally:
        watcher.close()
