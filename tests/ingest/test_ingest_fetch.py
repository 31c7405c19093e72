"""fetch.py: SSRF rules (no loopback / private addresses unless allowed, on redirects too) and conditional GETs."""

from __future__ import annotations

import http.server
import importlib
import threading
from collections.abc import Iterator

import pytest

from rashomon.ingest.fetch import (
    FetchError,
    Validators,
    check_url,
    fetch,
    fetch_if_changed,
)


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/x", "http://localhost:8080/x", "http://10.1.2.3/", "http://192.168.0.1/", "http://169.254.169.254/",
    "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/", "http://100.64.0.1/",
])
def test_non_public_addresses_are_refused_unless_allowed(url: str) -> None:
    with pytest.raises(FetchError, match="private or loopback"):
        check_url(url, allow_private=False)
    check_url(url, allow_private=True)


def test_public_address_and_bad_schemes() -> None:
    check_url("http://93.184.215.14/news", allow_private=False)  # a literal public address: no lookup needed
    for bad in ("file:///etc/passwd", "ftp://93.184.215.14/", "http:///nohost"):
        with pytest.raises(FetchError, match="not an http"):
            check_url(bad, allow_private=True)


class _Site(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/hop":  # a redirect to a loopback address, as a hostile page could send
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.1:{self.server.server_address[1]}/feed")
            self.end_headers()
            return
        if self.headers.get("If-None-Match") == '"v1"':
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("ETag", '"v1"')
        self.send_header("Last-Modified", "Mon, 03 Mar 2025 08:00:00 GMT")
        self.end_headers()
        self.wfile.write(b"<rss></rss>")

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def base() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_redirects_are_checked_too(base: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fetch_module = importlib.import_module("rashomon.ingest.fetch")  # the package re-exports a function of that name
    real = fetch_module.check_url
    calls: list[str] = []

    def first_hop_public(url: str, allow_private: bool) -> None:  # pretend the first URL is a public site
        calls.append(url)
        if len(calls) > 1:
            real(url, allow_private)

    monkeypatch.setattr(fetch_module, "check_url", first_hop_public)
    with pytest.raises(FetchError, match="private or loopback"):
        fetch(f"{base}/hop")
    assert calls == [f"{base}/hop", f"{base}/feed"]


def test_conditional_get(base: str) -> None:
    first = fetch_if_changed(f"{base}/feed", Validators(), allow_private=True)
    assert first is not None and first.etag == '"v1"' and first.last_modified and first.data == b"<rss></rss>"
    assert fetch_if_changed(f"{base}/feed", Validators(first.etag, first.last_modified), allow_private=True) is None
    assert Validators(first.etag, first.last_modified).headers() == {
        "If-None-Match": '"v1"', "If-Modified-Since": "Mon, 03 Mar 2025 08:00:00 GMT"}
