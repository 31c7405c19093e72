"""One registry of swappable stage implementations.

A stage is looked up by ``(group, name)``; the configuration lists names, so replacing the claim
extractor with, say, an LLM-backed one is a matter of registering a callable under a new name and
naming it in :class:`rashomon.config.Settings`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

_REGISTRY: dict[str, dict[str, Callable[..., Any]]] = {}


def register(group: str, name: str) -> Callable[[F], F]:
    """Decorator: make ``func`` available as ``group``/``name``."""

    def wrap(func: F) -> F:
        _REGISTRY.setdefault(group, {})[name] = func
        return func

    return wrap


def get(group: str, name: str) -> Callable[..., Any]:
    """The callable registered as ``group``/``name``; a clear error names what is available."""
    try:
        return _REGISTRY[group][name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY.get(group, {}))) or "none"
        raise KeyError(f"no {group} stage named {name!r} (registered: {known})") from None


def names(group: str) -> list[str]:
    return sorted(_REGISTRY.get(group, {}))
