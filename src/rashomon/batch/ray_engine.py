"""The distributed engine: Ray Data, with one actor per worker holding the spaCy pipeline.

Shards become a Ray dataset of small rows (the shard description, pickled); ``map_batches`` sends
them one at a time to ``workers`` actors (``concurrency``), each built once by ``setup``; results
stream back to the driver as actors finish. Without ``RAY_ADDRESS`` (or ``address``) Ray starts in
this machine with ``workers`` CPUs; with it, the same code runs on the cluster (docs/distributed.md).
"""

from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Iterable, Iterator
from typing import Any

from rashomon.batch.engine import R, Setup, T


class _Actor:
    """A Ray Data callable class: one instance per actor, so ``setup`` (the model load) runs once."""

    def __init__(self, setup: Setup[Any, Any]) -> None:
        self.fn = setup()

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[bytes]]:
        return {"result": [pickle.dumps(self.fn(pickle.loads(item))) for item in batch["item"]]}


class RayEngine:
    """``workers`` Ray actors of one CPU each."""

    def __init__(self, workers: int = 1, address: str | None = None) -> None:
        try:
            import ray  # noqa: F401
        except ImportError as exc:
            raise RuntimeError("--engine ray needs Ray: pip install 'rashomon[distributed]'") from exc
        self.workers = max(1, workers)
        self.address = address or os.environ.get("RAY_ADDRESS") or None

    def _start(self) -> bool:
        """Connect to the cluster, or start a local Ray; True when this call started it (and stops it)."""
        import ray

        if ray.is_initialized():
            return False
        if self.address:
            ray.init(address=self.address, log_to_driver=False, logging_level=logging.WARNING)
        else:
            ray.init(num_cpus=self.workers, include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING)
        ray.data.DataContext.get_current().enable_progress_bars = False  # first use: Ray Data sets up its logging
        logging.getLogger("ray.data").setLevel(logging.WARNING)  # then keep its per-dataset INFO lines quiet
        return True

    def map(self, setup: Setup[T, R], items: Iterable[T]) -> Iterator[R]:
        import ray

        rows = [{"item": pickle.dumps(item)} for item in items]
        if not rows:
            return
        started = self._start()
        try:
            pool = ray.data.ActorPoolStrategy(size=min(self.workers, len(rows)))
            ds = ray.data.from_items(rows, override_num_blocks=len(rows)).map_batches(
                _Actor, fn_constructor_args=(setup,), batch_size=1, compute=pool, num_cpus=1,
            )
            for row in ds.iter_rows():
                yield pickle.loads(row["result"])
        finally:
            if started:
                ray.shutdown()
