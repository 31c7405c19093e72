"""Shared test setup: the hand-built sample records (tests/export/rsh_sample.py) are importable as
``rsh_sample`` from every test module."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "export"))
