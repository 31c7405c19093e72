"""Server security (issue 7): path traversal, injection, XSS in every view, request limits, safe headers, the
access token, and `rashomon serve` refusing to expose itself without one, over real HTTP.

The store is the real pipeline's (demo corpus + one hostile article, see conftest.py); what test_app.py
already checks (the hostile article in the list, search, story, actor and outlet pages) is not repeated."""

from __future__ import annotations

import asyncio
import http.client
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send
from test_app import active
from webstore import DemoStore

from rashomon.cli import main
from rashomon.web.app import create_app
from rashomon.web.security import (
    COOKIE,
    SAFE_HEADERS,
    ExposureError,
    RateLimiter,
    SecurityConfig,
    SecurityMiddleware,
    is_loopback,
    serve_token,
)

TOKEN = "correct-horse-battery-staple-42"
SECRETS = ("root:", "def create_app")  # /etc/passwd, and the package's own source beside /static
TRAVERSALS = [
    "/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/static/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/static/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/static/%252e%252e%252f%252e%252e%252fetc%252fpasswd", "/static//etc/passwd", "/static/%2fetc%2fpasswd",
    "/static/%2e%2e/app.py", "/static/..%5c..%5capp.py", "/outlets/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/outlets/../../../../etc/passwd", "/api/outlets/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/api/outlets/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/stories/..%2f..%2fetc%2fpasswd", "/..%2f..%2fetc/passwd",
]
INJECTIONS = ['"', "*", "NEAR(", "NEAR(a b", "' OR 1=1 --", '" OR 1=1 --', "'; DROP TABLE articles; --",
              "x' OR '1'='1", "%", "_", "\\", "quarry) OR (1=1", "a\x00b"]
FILTERS = ["q", "place", "actor", "outlet", "event_type", "from", "to", "sort", "page", "disputed"]
REFLECTED = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


def _count_rows(url: str) -> dict[str, int]:
    """Rows of every table of the SQLite store, read apart from the app."""
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def _hostile_story(demo_store: DemoStore) -> str:
    ex = next(ex for ex in demo_store.extractions if "Quarry" in (ex.article.title or ""))
    return next(s.id for s in demo_store.reconciled.stories if ex.article.id in s.article_ids)


@pytest.fixture()
def guarded(demo_store: DemoStore) -> Iterator[TestClient]:
    """The app with an access token (a fresh client: no cookie from an earlier test)."""
    app = create_app(demo_store.url, SecurityConfig(token=TOKEN))
    with TestClient(app, follow_redirects=False) as c:
        yield c
    app.state.store.close()


# -- path traversal --------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_path_reads_files_outside_the_app(client: TestClient, path: str) -> None:
    got = client.get(path)
    assert got.status_code in (400, 404), (path, got.status_code)
    assert not any(s in got.text for s in SECRETS)


# -- injection -------------------------------------------------------------------------------------------

def test_injection_through_search_and_every_filter_changes_nothing(client: TestClient, demo_store: DemoStore) -> None:
    before = _count_rows(demo_store.url)
    assert before["articles"] > 0 and before["claims"] > 0
    for name in FILTERS:
        for value in INJECTIONS:
            for url in ("/", "/api/stories"):
                got = client.get(url, params={name: value})
                assert got.status_code in (200, 422), (url, name, value, got.status_code)
        got = client.get("/api/search", params={"q": INJECTIONS[-3]})
        assert got.status_code == 200
    assert _count_rows(demo_store.url) == before


@pytest.mark.parametrize("name", ["place", "actor", "outlet", "event_type"])
def test_an_always_true_condition_in_a_filter_matches_nothing(client: TestClient, name: str) -> None:
    """Were the value pasted into SQL, ``' OR '1'='1`` would match every story."""
    assert client.get("/api/stories").json()["total"] > 1
    for value in ("x' OR '1'='1", 'x" OR "1"="1', "x' OR 1=1 --"):
        assert client.get("/api/stories", params={name: value}).json()["total"] == 0, value


# -- XSS -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", FILTERS)
def test_markup_in_a_query_parameter_is_not_reflected_live(client: TestClient, name: str) -> None:
    got = client.get("/", params={name: REFLECTED})
    if got.status_code == 422:  # a validation error echoes the value, as JSON a browser will not run
        assert got.headers["content-type"] == "application/json" and got.headers["x-content-type-options"] == "nosniff"
        return
    assert got.status_code == 200 and active(got.text) == [], name
    if got.status_code == 200 and name == "q":
        assert "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in got.text


@pytest.mark.parametrize("prefix", ["/stories/", "/actors/", "/outlets/", "/nowhere/"])
def test_error_pages_escape_the_path(client: TestClient, prefix: str) -> None:
    got = client.get(prefix + "<script>alert(1)<img src=x onerror=alert(2)>")  # no "/": one path segment
    assert got.status_code == 404 and "text/html" in got.headers["content-type"]
    assert active(got.text) == [] and "<script>alert(1)" not in got.text
    if prefix != "/nowhere/":  # these name what was missing
        assert "&lt;script&gt;alert(1)&lt;img src=x onerror=alert(2)&gt;" in got.text


def test_the_api_serves_hostile_text_as_json_only(client: TestClient, demo_store: DemoStore) -> None:
    story = _hostile_story(demo_store)
    for url in (f"/api/stories/{story}", "/api/search?q=quarry", "/api/stories?q=quarry",
                "/api/outlets/Zyx <b>Wire</b>", "/api/stories/<script>alert(1)</script>"):
        got = client.get(url)
        assert got.headers["content-type"] == "application/json", url
        assert got.headers["x-content-type-options"] == "nosniff"
    detail = client.get(f"/api/stories/{story}").json()
    assert "<script>alert('title')</script>" in detail["title"]  # JSON carries the text; its reader escapes it


def test_report_of_the_hostile_store_is_inert(demo_store: DemoStore, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", "--db", demo_store.url, "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text("utf-8")
    assert active(html) == []
    assert "&lt;script&gt;alert(" in html and "Zyx &lt;b&gt;Wire&lt;/b&gt;" in html


# -- limits, methods and headers -------------------------------------------------------------------------

def test_only_get_and_head(client: TestClient) -> None:
    for method in ("POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"):
        for url in ("/", "/api/stories", "/static/app.css"):
            got = client.request(method, url)
            assert got.status_code == 405 and got.headers["allow"] == "GET, HEAD", (method, url)
    assert client.head("/").status_code == 200 and client.head("/api/stories").status_code == 200


def test_body_and_url_limits(client: TestClient) -> None:
    assert client.request("GET", "/api/stories", content=b"x" * 100).status_code == 200
    assert client.request("GET", "/api/stories", content=b"x" * (64 * 1024 + 1)).status_code == 413
    assert client.request("GET", "/api/stories", content=iter([b"x" * 10])).status_code == 411  # chunked
    assert client.get("/api/stories", params={"q": "a" * 7000}).status_code == 200
    got = client.get("/api/stories", params={"q": "a" * 9000})
    assert got.status_code == 414 and got.headers["content-security-policy"]


def test_a_large_body_is_refused_without_being_read() -> None:
    reached: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        reached.append("app")

    async def receive() -> Message:
        raise AssertionError("the body was read")

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    scope: Scope = {"type": "http", "method": "GET", "path": "/", "raw_path": b"/", "query_string": b"",
             "headers": [(b"content-length", str(10**9).encode())], "client": ("192.0.2.1", 1)}
    asyncio.run(SecurityMiddleware(app, SecurityConfig())(scope, receive, send))
    assert sent[0]["status"] == 413 and not reached


def test_rate_limit_answers_429_with_retry_after(demo_store: DemoStore) -> None:
    app = create_app(demo_store.url, SecurityConfig(rate=0.01, burst=3))
    try:
        with TestClient(app) as c:
            codes = [c.get("/static/app.css").status_code for _ in range(3)]
            refused = c.get("/api/stories")
    finally:
        app.state.store.close()
    assert codes == [200, 200, 200]
    assert refused.status_code == 429 and 90 <= int(refused.headers["retry-after"]) <= 100


def test_token_buckets_refill_and_stay_bounded() -> None:
    now = [0.0]
    limiter = RateLimiter(rate=2, burst=2, max_clients=3, clock=lambda: now[0])
    assert [limiter.wait("a") for _ in range(3)] == [0, 0, 0.5]
    assert limiter.wait("b") == 0  # another client has its own bucket
    now[0] += 0.5
    assert limiter.wait("a") == 0 and limiter.wait("a") == 0.5
    for i in range(100):
        limiter.wait(f"flood-{i}")
    assert len(limiter) == 3


@pytest.mark.parametrize("path", ["/", "/api/stories", "/openapi.json", "/static/app.css", "/nowhere",
                                  "/api/stories/missing"])
def test_safe_headers_on_every_response(client: TestClient, path: str) -> None:
    for got in (client.get(path), client.post(path)):
        for name, value in SAFE_HEADERS:
            assert got.headers[name.decode()] == value.decode(), (path, name)
    csp = client.get(path).headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp


# -- the access token ------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/api/stories", "/openapi.json", "/stories/anything", "/nowhere",
                                  "/static/%2e%2e/%2e%2e/api/stories"])
def test_every_request_needs_the_token(guarded: TestClient, path: str) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN},
                    {"Cookie": f"{COOKIE}={TOKEN}"}):
        got = guarded.get(path, headers=headers)
        assert got.status_code == 401 and got.text == "401 Unauthorized\n", (path, headers)
        assert got.headers["content-security-policy"]
    assert guarded.get(f"{path}?token=wrong").status_code == 401
    assert guarded.get("/static/app.css").status_code == 200  # package files stay open


def test_bearer_token_opens_pages_and_api(guarded: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    for path in ("/", "/api/stories", "/openapi.json"):
        assert guarded.get(path, headers=auth).status_code == 200, path
    assert guarded.get("/nowhere", headers=auth).status_code == 404


def test_a_token_link_sets_a_strict_cookie_and_drops_the_token_from_the_url(guarded: TestClient) -> None:
    got = guarded.get("/", params={"q": "quarry", "token": TOKEN})
    assert got.status_code == 303 and got.headers["location"] == "/?q=quarry"
    cookie = got.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie and TOKEN not in cookie
    assert guarded.get("/?q=quarry").status_code == 200  # the client now holds the cookie


@pytest.mark.parametrize(("host", "expected"), [("127.0.0.1", True), ("127.5.0.1", True), ("::1", True),
                                                ("[::1]", True), ("localhost", True), ("0.0.0.0", False),
                                                ("::", False), ("192.168.1.10", False), ("example.org", False)])
def test_loopback_hosts(host: str, expected: bool) -> None:
    assert is_loopback(host) is expected


def test_exposure_needs_the_flag_and_a_strong_token() -> None:
    assert serve_token("127.0.0.1", False, None) is None
    assert serve_token("127.0.0.1", False, "short") == "short"  # loopback: any token the user chooses
    with pytest.raises(ExposureError, match="--expose"):
        serve_token("0.0.0.0", False, TOKEN)
    with pytest.raises(ExposureError, match="16 characters"):
        serve_token("0.0.0.0", True, "short")
    generated = serve_token("0.0.0.0", True, None)
    assert generated and len(generated) >= 32 and generated != serve_token("0.0.0.0", True, None)


# -- the real server -------------------------------------------------------------------------------------

def _serve(*args: str) -> list[str]:
    return [sys.executable, "-m", "rashomon.cli", "serve", *args]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "RASHOMON_TOKEN"}


@pytest.mark.parametrize("args", [["--host", "0.0.0.0"], ["--host", "::"], ["--host", "0.0.0.0", "--expose",
                                                                           "--token", "short"]])
def test_serve_refuses_to_expose_itself_without_expose_and_a_token(demo_store: DemoStore, args: list[str]) -> None:
    done = subprocess.run(_serve("--db", demo_store.url, "--port", str(_free_port()), *args), env=_env(),
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode != 0 and "Error" in done.stderr and ("--expose" in done.stderr or "16" in done.stderr)


@dataclass(slots=True)
class Served:
    port: int
    token: str
    log: Path

    def get(self, path: str, headers: dict[str, str] | None = None,
            method: str = "GET") -> tuple[int, dict[str, str], str]:
        """One request over real HTTP, the path sent byte for byte as given (no client-side normalising)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, headers=headers or {})
            resp = conn.getresponse()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read().decode("utf-8", "replace")
        finally:
            conn.close()


def _wait_for_token(log: Path, proc: subprocess.Popen[bytes], deadline: float) -> str:
    while time.monotonic() < deadline and proc.poll() is None:
        found = re.search(r"access token \(generated, shown only now\): (\S+)", log.read_text())
        if found:
            return found.group(1)
        time.sleep(0.1)
    raise AssertionError(f"no token printed: {log.read_text()}")


def _wait_for_port(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the server never listened")


@pytest.fixture(scope="module")
def served(demo_store: DemoStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`rashomon serve --expose` on a free loopback port, no token given: it generates one."""
    port, log = _free_port(), tmp_path_factory.mktemp("serve") / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(_serve("--db", demo_store.url, "--port", str(port), "--expose"), env=_env(),
                                stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        token = _wait_for_token(log, proc, deadline)
        _wait_for_port(port, deadline)
        yield Served(port, token, log)
    finally:
        proc.kill()  # a test server: nothing to shut down gracefully
        proc.wait(30)


def test_real_server_token_flow(served: Served, demo_store: DemoStore) -> None:
    assert served.log.read_text().count(served.token) == 1  # printed once
    for path in ("/", "/api/stories", "/openapi.json", f"/?token={served.token[:-1]}"):
        status, headers, body = served.get(path)
        assert status == 401 and "story" not in body, path
    status, headers, _ = served.get("/static/app.css")
    assert status == 200 and "server" not in headers
    status, headers, body = served.get("/api/stories", {"Authorization": f"Bearer {served.token}"})
    assert status == 200 and '"total"' in body and headers["referrer-policy"] == "no-referrer"
    status, head, body = served.get("/api/stories", {"Authorization": f"Bearer {served.token}"}, "HEAD")
    assert status == 200 and body == "" and head["content-length"] == headers["content-length"]
    status, headers, _ = served.get(f"/?q=quarry&token={served.token}")
    assert status == 303 and headers["location"] == "/?q=quarry" and "HttpOnly" in headers["set-cookie"]
    cookie = headers["set-cookie"].split(";")[0]
    status, _, body = served.get("/?q=quarry", {"Cookie": cookie})
    assert status == 200 and _hostile_story(demo_store) in body
    for path in ("//evil.example/", "/\\evil.example/", "/%2F%2Fevil.example/"):  # no open redirect
        status, headers, _ = served.get(f"{path}?token={served.token}")
        assert status == 400 or re.fullmatch(r"/[^/\\]\S*", headers["location"]), (path, headers.get("location"))


def test_real_server_reads_no_file_outside_the_app(served: Served) -> None:
    auth = {"Authorization": f"Bearer {served.token}"}
    for path in TRAVERSALS:
        status, _, body = served.get(path, auth)
        assert status in (400, 404), (path, status)
        assert not any(s in body for s in SECRETS), path
