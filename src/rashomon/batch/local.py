"""The engine with no cluster: this process for one worker, a spawned process pool for more."""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from rashomon.batch.engine import R, Setup, T

_FN: Callable[[Any], Any] | None = None  # the per-worker function, built once in each pool process


def _init(setup: Setup[Any, Any]) -> None:
    global _FN
    _FN = setup()


def _call(item: Any) -> Any:
    assert _FN is not None, "worker not initialised"
    return _FN(item)


class LocalEngine:
    """``workers`` processes on this machine (spawned, so no parent state such as a database connection
    is shared); with one worker everything runs in this process."""

    def __init__(self, workers: int = 1) -> None:
        self.workers = max(1, workers)

    def map(self, setup: Setup[T, R], items: Iterable[T]) -> Iterator[R]:
        todo = list(items)  # shard descriptions, not records: small
        workers = min(self.workers, len(todo))
        if workers == 0:
            return  # nothing to do: no model is loaded
        if workers == 1:
            fn = setup()
            yield from (fn(item) for item in todo)
            return
        with mp.get_context("spawn").Pool(workers, initializer=_init, initargs=(setup,)) as pool:
            yield from pool.imap_unordered(_call, todo, chunksize=1)
