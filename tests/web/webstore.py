"""The analysed store the web tests share (built by the ``demo_store`` fixture in conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass

from rashomon.records import Extraction, Reconciled


@dataclass(slots=True)
class DemoStore:
    url: str
    extractions: list[Extraction]
    reconciled: Reconciled
