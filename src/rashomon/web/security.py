"""Limits, the access token and safe headers of ``rashomon serve``, as one pure ASGI middleware.

Pure ASGI, not a FastAPI dependency, so that it answers before anything is parsed: a flood, an oversized
URL or body, a write method or a request without the token costs a few comparisons and the body is never
read. It wraps ``send``, so every response (pages, API, static files, errors and its own refusals) carries
the same headers. Threat model and what is *not* protected: docs/security.md.
"""

from __future__ import annotations

import hmac
import ipaddress
import math
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# No inline script or style, nothing from elsewhere, no framing, forms post only here.
CSP = ("default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
       "form-action 'self'")
SAFE_HEADERS: tuple[tuple[bytes, bytes], ...] = tuple((k.encode(), v.encode()) for k, v in (
    ("content-security-policy", CSP),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),  # a ?token= URL never leaks through a Referer
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
    ("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
))
METHODS = frozenset({"GET", "HEAD"})  # the app only reads the store
COOKIE = "rashomon_token"
TOKEN_PARAM = "token"
MIN_EXPOSED_TOKEN = 16  # characters: a token guarding an exposed server must not be guessable
REASONS = {400: "Bad Request", 401: "Unauthorized", 405: "Method Not Allowed", 411: "Length Required",
           413: "Content Too Large", 414: "URI Too Long", 429: "Too Many Requests", 303: "See Other"}


class ExposureError(ValueError):
    """``serve`` was asked to listen beyond this machine without what that needs."""


@dataclass(slots=True, frozen=True)
class SecurityConfig:
    """What the middleware enforces. ``rate`` is requests per second per client address (0: unlimited),
    ``burst`` how many may come at once; ``max_clients`` bounds the rate limiter's memory."""

    token: str | None = None
    max_body: int = 64 * 1024
    max_url: int = 8 * 1024
    rate: float = 20.0
    burst: float = 60.0
    max_clients: int = 10_000


def is_loopback(host: str) -> bool:
    """Whether binding ``host`` keeps the server reachable from this machine only."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def serve_token(host: str, expose: bool, token: str | None) -> str | None:
    """The token the server will require: the given one, a generated one when exposing without one, or none
    on loopback. Refuses a non-loopback ``host`` without ``expose`` and a short token when exposing."""
    if not is_loopback(host) and not expose:
        raise ExposureError(f"refusing to listen on {host!r}, which is not a loopback address: pass --expose "
                            "(every request then needs the access token) or bind 127.0.0.1")
    if expose and token and len(token) < MIN_EXPOSED_TOKEN:
        raise ExposureError(f"an exposed server needs a token of at least {MIN_EXPOSED_TOKEN} characters")
    if token:
        return token
    return secrets.token_urlsafe(32) if expose else None


class RateLimiter:
    """A token bucket per client address, refilled at ``rate`` per second up to ``burst``. The least
    recently seen client is forgotten when more than ``max_clients`` are held, so memory stays bounded."""

    def __init__(self, rate: float, burst: float, max_clients: int,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.burst, self.max_clients = rate, max(burst, 1.0), max_clients
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._buckets)

    def wait(self, client: str) -> float:
        """0 when ``client`` may go now (one token spent); else the seconds until it may."""
        now = self._clock()
        tokens, last = self._buckets.pop(client, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate
        self._buckets[client] = (tokens - 1 if wait == 0 else tokens, now)
        if len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)
        return wait


class TokenGate:
    """Checks the access token of a request: ``Authorization: Bearer T``, the cookie a ``?token=T`` visit
    set, or that query parameter itself. Everything is compared in constant time."""

    def __init__(self, token: str) -> None:
        self._token = token.encode()
        # The cookie holds a value derived from the token, so a stolen cookie file does not reveal the token.
        self.cookie = hmac.new(self._token, b"rashomon-session-cookie", "sha256").hexdigest()

    def allows(self, headers: dict[bytes, bytes]) -> bool:
        """Whether the request's headers carry the token or its cookie."""
        scheme, _, given = headers.get(b"authorization", b"").partition(b" ")
        if scheme.lower() == b"bearer" and hmac.compare_digest(given.strip(), self._token):
            return True
        return any(hmac.compare_digest(v.encode(), self.cookie.encode()) for v in _cookies(headers, COOKIE))

    def matches(self, value: str) -> bool:
        """Whether ``value`` (from a ``?token=`` link) is the token."""
        return hmac.compare_digest(value.encode(), self._token)


class SecurityMiddleware:
    """Wraps the app: 429 over the rate, 414 for a long URL, 413 / 411 for a body, 405 for anything but
    GET and HEAD, 401 without the token (``/static`` stays open), and the safe headers on every response."""

    def __init__(self, app: ASGIApp, config: SecurityConfig) -> None:
        self.app, self.config = app, config
        self.limiter = RateLimiter(config.rate, config.burst, config.max_clients) if config.rate > 0 else None
        self.gate = TokenGate(config.token) if config.token else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = _with_safe_headers(send)
        headers = dict(scope.get("headers") or [])
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            await _respond(send, *refusal)
        elif self.gate is not None and not _is_static(scope["path"]) and not self.gate.allows(headers):
            await _token_visit(self.gate, scope, send)
        elif scope["method"] == "HEAD":  # FastAPI routes answer GET only: run GET, send no body
            await self.app({**scope, "method": "GET"}, receive, _without_body(send))
        else:
            await self.app(scope, receive, send)

    def _refusal(self, scope: Scope, headers: dict[bytes, bytes]) -> tuple[int, list[tuple[bytes, bytes]]] | None:
        """The status (and extra headers) refusing this request before the app sees it, or None."""
        if self.limiter is not None:
            wait = self.limiter.wait(_client(scope))
            if wait > 0:
                return 429, [(b"retry-after", str(math.ceil(wait)).encode())]
        if len(_raw_path(scope)) + len(scope.get("query_string", b"")) > self.config.max_url:
            return 414, []
        body = _body_refusal(headers, self.config.max_body)
        if body is not None:
            return body, []
        if scope["method"] not in METHODS:
            return 405, [(b"allow", b"GET, HEAD")]
        return None


def _body_refusal(headers: dict[bytes, bytes], limit: int) -> int | None:
    """413 for a declared body over ``limit``, 411 for one of unknown length (chunked), 400 for a
    malformed length. The app reads no body, so a body is never read to find its size."""
    length = headers.get(b"content-length")
    if length is None:
        return 411 if b"transfer-encoding" in headers else None
    if not length.isdigit():
        return 400
    return 413 if int(length) > limit else None


def _is_static(path: str) -> bool:
    """Package CSS and JS are public; a path climbing out of /static is not treated as static."""
    return path.startswith("/static/") and ".." not in path.split("/")


def _raw_path(scope: Scope) -> bytes:
    """The path as the client sent it (percent-encoded), which is what its length and a redirect need."""
    raw = scope.get("raw_path")
    return bytes(raw) if raw else str(scope["path"]).encode()


def _client(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "-"


def _cookies(headers: dict[bytes, bytes], name: str) -> Iterable[str]:
    """Values of cookie ``name`` in the Cookie header (there may be several)."""
    for part in headers.get(b"cookie", b"").decode("latin-1").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            yield value


def _with_safe_headers(send: Send) -> Send:
    """``send`` that sets the safe headers on the response start, replacing any the app set."""
    names = {k for k, _ in SAFE_HEADERS}

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
            message["headers"] = kept + list(SAFE_HEADERS)
        await send(message)

    return wrapped


def _without_body(send: Send) -> Send:
    """``send`` that keeps a response's status and headers (its length included) and drops its body."""

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)

    return wrapped


async def _token_visit(gate: TokenGate, scope: Scope, send: Send) -> None:
    """A browser's first visit with ``?token=T``: set the cookie and redirect to the URL without it."""
    params = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    given = [v for k, v in params if k == TOKEN_PARAM]
    if len(given) != 1 or not gate.matches(given[0]):
        await _respond(send, 401, [(b"www-authenticate", b'Bearer realm="rashomon"')])
        return
    rest = urlencode([(k, v) for k, v in params if k != TOKEN_PARAM])
    path = _raw_path(scope).decode("latin-1")
    location = "/" + path.lstrip("/\\") + ("?" + rest if rest else "")  # never //host or /\\host: no open redirect
    cookie = f"{COOKIE}={gate.cookie}; Path=/; HttpOnly; SameSite=Strict"
    if scope.get("scheme") == "https":
        cookie += "; Secure"
    await _respond(send, 303, [(b"location", location.encode("latin-1")), (b"set-cookie", cookie.encode())])


async def _respond(send: Send, status: int, extra: list[tuple[bytes, bytes]]) -> None:
    """A short plain-text response that says nothing about the server beyond its status."""
    body = f"{status} {REASONS[status]}\n".encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
               (b"cache-control", b"no-store"), *extra]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
