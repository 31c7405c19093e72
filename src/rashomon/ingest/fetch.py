"""The only network code in ingest: one HTTP(S) GET with a timeout and a size limit (urllib)."""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

TIMEOUT_S = 20.0
MAX_BYTES = 10 * 1024 * 1024  # a news page or feed is far smaller; anything bigger is not one
USER_AGENT = "rashomon/0.1 (+https://github.com/; news research tool)"


class FetchError(Exception):
    """A URL that could not be fetched; the message says why in plain words."""


@dataclass(slots=True)
class Fetched:
    url: str  # the final URL after redirects
    data: bytes
    content_type: str  # lower-cased media type without parameters, "" when not given


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def fetch(url: str, timeout: float = TIMEOUT_S, max_bytes: int = MAX_BYTES) -> Fetched:
    """GET ``url``; raise FetchError on a bad scheme, HTTP error, timeout or a body over ``max_bytes``."""
    if urlsplit(url).scheme.lower() not in {"http", "https"}:
        raise FetchError(f"not an http(s) URL: {url}")
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - scheme checked above
            data = resp.read(max_bytes + 1)
            ctype = (resp.headers.get_content_type() or "").lower()
            final = resp.geturl() or url
    except urllib.error.HTTPError as exc:
        raise FetchError(f"HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(f"could not fetch: {reason}") from None
    if len(data) > max_bytes:
        raise FetchError(f"response larger than {max_bytes} bytes; skipped")
    return Fetched(final, data, ctype)
