"""The one seam between ``rashomon batch`` and whatever runs its shards.

An engine maps a per-shard function over shards with N workers and yields the results as they finish
(streaming: the driver loads each finished shard while others still run). The function is built once
per worker by ``setup`` (a picklable callable), which is where a worker loads the spaCy pipeline, so a
model is loaded once per worker and never once per shard.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")

Setup = Callable[[], Callable[[T], R]]
ENGINES = ("local", "ray")


class Engine(Protocol):
    """Runs ``setup()`` once per worker, then the function it returns once per item."""

    workers: int

    def map(self, setup: Setup[T, R], items: Iterable[T]) -> Iterator[R]:
        """Results in completion order (not item order)."""
        ...


def make_engine(name: str, workers: int = 1) -> Engine:
    """``local`` (this process, or a process pool) or ``ray`` (Ray Data: a local Ray, or the cluster
    ``RAY_ADDRESS`` names)."""
    if name == "local":
        from rashomon.batch.local import LocalEngine

        return LocalEngine(workers)
    if name == "ray":
        from rashomon.batch.ray_engine import RayEngine

        return RayEngine(workers)
    raise ValueError(f"unknown engine {name!r}; one of {', '.join(ENGINES)}")
