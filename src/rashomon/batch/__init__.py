"""``rashomon batch``: sharded, restartable extraction on a local or a distributed engine (Ray Data).

``shards`` plans the work, ``worker`` does one shard (same stage code as ``analyze``), ``tables`` and
``marker`` are a shard's files, ``engine`` the seam to ``local`` / ``ray_engine``, ``run`` the driver.
See docs/distributed.md.
"""

from __future__ import annotations

from rashomon.batch.engine import Engine, make_engine
from rashomon.batch.run import BatchSummary, run_batch

__all__ = ["BatchSummary", "Engine", "make_engine", "run_batch"]
