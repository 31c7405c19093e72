"""The only network code in ingest: one HTTP(S) GET with a timeout and a size limit (urllib).

Addresses that are not public (loopback, private, link-local, reserved) are refused unless the caller
allows them, checked on the URL and on every redirect: a link inside a feed must not make rashomon
read a service on the user's own network (SSRF). A URL the user names on the command line is allowed,
since the user chose it. A feed poller passes the validators of its last response (ETag,
Last-Modified) so an unchanged feed costs a 304 and no body.
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import IO, Any
from urllib.parse import urlsplit

TIMEOUT_S = 20.0
MAX_BYTES = 10 * 1024 * 1024  # a news page or feed is far smaller; anything bigger is not one
USER_AGENT = "rashomon/0.1 (+https://github.com/; news research tool)"
_SCHEMES = {"http", "https"}


class FetchError(Exception):
    """A URL that could not be fetched; the message says why in plain words."""


@dataclass(slots=True)
class Fetched:
    url: str  # the final URL after redirects
    data: bytes
    content_type: str  # lower-cased media type without parameters, "" when not given
    etag: str | None = None  # validators for the next conditional GET
    last_modified: str | None = None


@dataclass(slots=True)
class Validators:
    """What a conditional GET sends back: the ETag and Last-Modified of the previous response."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        out = {"If-None-Match": self.etag} if self.etag else {}
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def fetch(url: str, timeout: float = TIMEOUT_S, max_bytes: int = MAX_BYTES, *, allow_private: bool = False) -> Fetched:
    """GET ``url``; raise FetchError on a bad scheme, a non-public address (unless ``allow_private``),
    an HTTP error, a timeout or a body over ``max_bytes``."""
    fetched = _get(url, timeout, max_bytes, allow_private, Validators())
    assert fetched is not None  # no validators sent: never "not modified"
    return fetched


def fetch_if_changed(url: str, validators: Validators, timeout: float = TIMEOUT_S, max_bytes: int = MAX_BYTES,
                     *, allow_private: bool = False) -> Fetched | None:
    """A conditional GET: None when the server answers 304 Not Modified, else as :func:`fetch`."""
    return _get(url, timeout, max_bytes, allow_private, validators)


def _get(url: str, timeout: float, max_bytes: int, allow_private: bool, validators: Validators) -> Fetched | None:
    check_url(url, allow_private)
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*", **validators.headers()})
    opener = urllib.request.build_opener(_Redirects(allow_private))
    try:
        with opener.open(req, timeout=timeout) as resp:
            return _read(resp, url, max_bytes)
    except urllib.error.HTTPError as exc:
        if exc.code == 304 and validators.headers():
            return None
        raise FetchError(f"HTTP {exc.code} {exc.reason}") from None
    except FetchError:
        raise
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, FetchError):  # a refused redirect, wrapped by urllib
            raise reason from None
        raise FetchError(f"could not fetch: {reason}") from None


def _read(resp: Any, url: str, max_bytes: int) -> Fetched:
    data = resp.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FetchError(f"response larger than {max_bytes} bytes; skipped")
    headers = resp.headers
    return Fetched(resp.geturl() or url, data, (headers.get_content_type() or "").lower(),
                   etag=headers.get("ETag"), last_modified=headers.get("Last-Modified"))


def check_url(url: str, allow_private: bool) -> None:
    """Raise FetchError for a scheme other than http(s), or a host that resolves to a non-public address."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in _SCHEMES or not parts.hostname:
        raise FetchError(f"not an http(s) URL: {url}")
    if allow_private:
        return
    for address in _addresses(parts.hostname, parts.port):
        if not _public(address):
            raise FetchError(f"refused: {parts.hostname} is a private or loopback address ({address})")


def _addresses(host: str, port: int | None) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port or 80, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"could not fetch: {exc}") from None
    return [str(info[4][0]).split("%", 1)[0] for info in infos]


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects only to http(s) URLs that pass :func:`check_url`."""

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private

    def redirect_request(self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
                         headers: Any, newurl: str) -> urllib.request.Request | None:
        check_url(newurl, self.allow_private)
        return super().redirect_request(req, fp, code, msg, headers, newurl)
