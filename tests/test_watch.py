"""rashomon watch against a real local HTTP server: feeds and article pages that change between polls,
conditional GETs, new entries only, new disputes reported once (log line + webhook), broken feeds and
a failing webhook that do not stop the loop, and a restart that re-ingests nothing."""

from __future__ import annotations

import hashlib
import html
import http.server
import json
import logging
import os
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from rashomon.cli import main
from rashomon.config import Settings
from rashomon.watch import Watcher, WatchOptions, post_webhook, stop_on_signals

# Three reports of one (fictional) attack: two outlets give different tolls (a numeric dispute), the
# third carries a claim of responsibility and its denial (a denial dispute, new in the third poll).
ARTICLES = {
    "/a/star.html": ("Northern Star", "2025-03-03", "Militants attack police post in Baridi",
                     ("BARIDI: Gunmen stormed a police post in Baridi district on Monday, killing at least 12 "
                      "policemen, police officials said. The attackers fled into the hills, the officials said.")),
    "/a/valley.html": ("Valley Times", "2025-03-03", "Police post attacked in Baridi",
                       ("BARIDI: Militants attacked a police post in Baridi district on Monday. Provincial police "
                        "spokesman Omar Khan said five policemen were killed in the attack.")),
    "/a/ledger.html": ("Daily Ledger", "2025-03-04", "Group claims Baridi attack",
                       ("The Hill Front claimed responsibility for Monday's attack on a police post in Baridi "
                        "district and said its fighters killed 30 policemen. The provincial government denied "
                        "the claim, saying the figure was false.")),
}


@dataclass
class Site:
    """What the server serves (path -> status, body, content type) and what it was sent."""

    pages: dict[str, tuple[int, bytes, str]] = field(default_factory=dict)
    gets: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    posts: list[tuple[str, bytes]] = field(default_factory=list)
    post_status: int = 200
    slow: set[str] = field(default_factory=set)  # paths answered only after two seconds

    def feed(self, path: str, links: list[str], base: str) -> None:
        items = "".join(
            f"<item><title>{html.escape(ARTICLES[p][2])}</title><link>{base}{p}</link><guid>{base}{p}</guid>"
            f"<description>{html.escape(ARTICLES[p][3])}</description></item>"
            for p in links
        )
        body = f"<?xml version='1.0'?><rss version='2.0'><channel><title>Wire</title>{items}</channel></rss>"
        self.pages[path] = (200, body.encode(), "application/rss+xml")

    def requests_to(self, path: str) -> list[dict[str, str]]:
        return [headers for p, headers in self.gets if p == path]


def _page(outlet: str, day: str, title: str, text: str) -> bytes:
    return (f"<!DOCTYPE html><html><head><title>{title}</title><meta property='og:site_name' content='{outlet}'>"
            f"<meta property='article:published_time' content='{day}'></head><body><article><h1>{title}</h1>"
            f"<p>{text}</p></article></body></html>").encode()


def _handler(site: Site) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.gets.append((self.path, dict(self.headers)))
            if self.path in site.slow:
                time.sleep(2)
            status, body, ctype = site.pages.get(self.path, (404, b"not found", "text/plain"))
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            if status == 200 and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            site.posts.append((self.path, self.rfile.read(int(self.headers.get("Content-Length") or 0))))
            self.send_response(site.post_status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            return

    return Handler


@pytest.fixture
def server() -> Iterator[tuple[str, Site]]:
    site = Site()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    for path, (outlet, day, title, text) in ARTICLES.items():
        site.pages[path] = (200, _page(outlet, day, title, text), "text/html; charset=utf-8")
    yield base, site
    httpd.shutdown()
    httpd.server_close()


def _watcher(tmp_path: Path, feeds: list[str], **options: object) -> Watcher:
    opts = WatchOptions(interval=0.01, timeout=5, webhook_backoff=0.01, **options)  # type: ignore[arg-type]
    return Watcher(feeds, Settings(db=str(tmp_path / "watch.db"), quiet=True, fetch=opts.fetch), opts)


def test_polls_ingest_only_new_entries_and_report_each_new_dispute_once(
    server: tuple[str, Site], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    base, site = server
    feed = f"{base}/world.rss"
    site.feed("/world.rss", ["/a/star.html", "/a/valley.html"], base)
    caplog.set_level(logging.INFO, logger="rashomon.watch")
    watcher = _watcher(tmp_path, [feed], fetch=True, allow_private=True, webhook=f"{base}/hook")
    try:
        first = watcher.poll()
        assert first.added == 2 and not first.failed_feeds
        assert "If-None-Match" not in site.requests_to("/world.rss")[0]
        assert len(site.requests_to("/a/star.html")) == 1  # --fetch read the article page
        assert [d.dispute.kind for d in first.disputes] == ["numeric"]

        second = watcher.poll()  # unchanged feed: a conditional GET answered 304, nothing fetched
        assert (second.added, second.not_modified, second.disputes) == (0, 1, [])
        assert site.requests_to("/world.rss")[-1].get("If-None-Match", "").startswith('"')
        assert len(site.requests_to("/a/star.html")) == 1

        # the feed gains an entry at the top (older ones move down) and a page changes: only the new entry counts
        site.feed("/world.rss", ["/a/ledger.html", "/a/star.html", "/a/valley.html"], base)
        site.pages["/a/star.html"] = (200, _page("Northern Star", "2025-03-03", "Updated", "Updated text."), "text/html")
        third = watcher.poll()
        assert third.added == 1 and len(site.requests_to("/a/star.html")) == 1
        assert [d.dispute.kind for d in third.disputes] == ["denial"]
        assert third.disputes[0].story_title == first.disputes[0].story_title

        assert watcher.poll().disputes == []  # reported once
    finally:
        watcher.close()
    hooks = [json.loads(body) for path, body in site.posts if path == "/hook"]
    assert [h["dispute"]["kind"] for h in hooks] == ["numeric", "denial"]
    assert hooks[1]["event"] == "new_dispute" and hooks[1]["story"]["title"] and hooks[1]["dispute"]["sides"]
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("new ")]
    assert len(lines) == 2 and "Hill Front" in lines[1] and "Daily Ledger" in lines[1]
    assert "Valley Times" in lines[0] and "Northern Star" in lines[0]

    restarted = _watcher(tmp_path, [feed], fetch=True, allow_private=True)  # a restart: nothing seen in memory
    try:
        again = restarted.poll()
    finally:
        restarted.close()
    assert (again.added, again.disputes) == (0, [])
    assert len(site.requests_to("/a/ledger.html")) == 1  # stored entries are not even fetched again


def test_broken_feeds_do_not_stop_the_others(
    server: tuple[str, Site], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    base, site = server
    site.pages["/down.rss"] = (500, b"oops", "text/plain")
    site.pages["/bad.rss"] = (200, b"<rss><channel><<< not xml", "application/rss+xml")
    site.feed("/good.rss", ["/a/star.html"], base)
    site.feed("/slow.rss", ["/a/valley.html"], base)
    site.slow.add("/slow.rss")
    feeds = [f"{base}/down.rss", f"{base}/bad.rss", "http://127.0.0.1:9/closed.rss", f"{base}/slow.rss",
             f"{base}/good.rss"]
    watcher = _watcher(tmp_path, feeds)
    watcher.options.timeout = 0.5
    try:
        result = watcher.poll()
    finally:
        watcher.close()
    assert result.added == 1
    assert result.failed_feeds == feeds[:4]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert all(url in logged for url in feeds[:4]) and "HTTP 500" in logged and "timed out" in logged


def test_article_links_on_loopback_need_allow_private(server: tuple[str, Site], tmp_path: Path) -> None:
    base, site = server
    site.feed("/world.rss", ["/a/star.html"], base)
    watcher = _watcher(tmp_path, [f"{base}/world.rss"], fetch=True)  # the feed is named, its links are not
    try:
        assert watcher.poll().added == 1  # the entry's own summary, the page refused
    finally:
        watcher.close()
    assert site.requests_to("/a/star.html") == []


def test_failing_webhook_is_retried_with_backoff_then_logged(
    server: tuple[str, Site], caplog: pytest.LogCaptureFixture
) -> None:
    base, site = server
    site.post_status = 500
    waits: list[float] = []
    ok = post_webhook(f"{base}/hook", {"x": 1}, WatchOptions(webhook_attempts=3, webhook_backoff=0.5), sleep=waits.append)
    assert not ok and len(site.posts) == 3 and waits == [0.5, 1.0]
    assert any(f"{base}/hook" in r.getMessage() and "HTTP 500" in r.getMessage() for r in caplog.records)
    site.post_status = 204
    assert post_webhook(f"{base}/hook", {"x": 1}, WatchOptions(), sleep=waits.append) and len(site.posts) == 4


def test_sigterm_stops_the_loop_after_the_current_step(server: tuple[str, Site], tmp_path: Path) -> None:
    base, site = server
    site.feed("/world.rss", ["/a/star.html"], base)
    watcher = _watcher(tmp_path, [f"{base}/world.rss"])
    watcher.options.interval = 60
    before = signal.getsignal(signal.SIGTERM)
    threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGTERM)).start()
    try:
        with stop_on_signals(watcher.stop):
            watcher.run()  # returns once SIGTERM sets the stop flag; the process is not killed
    finally:
        watcher.close()
    assert watcher.stop.is_set() and len(site.requests_to("/world.rss")) == 1
    assert signal.getsignal(signal.SIGTERM) == before


def test_cli_watch_once(server: tuple[str, Site], tmp_path: Path) -> None:
    base, site = server
    site.feed("/world.rss", ["/a/star.html", "/a/valley.html"], base)
    db = str(tmp_path / "cli.db")
    result = CliRunner().invoke(main, ["watch", f"{base}/world.rss", "--db", db, "--once"])
    assert result.exit_code == 0, result.output
    assert "2 new articles" in result.output
    failed = CliRunner().invoke(main, ["watch", f"{base}/missing.rss", f"{base}/world.rss", "--db", db, "--once"])
    assert failed.exit_code == 1 and "0 new articles" in failed.output and "1 failed" in failed.output
