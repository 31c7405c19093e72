"""Shared test setup.

- The hand-built sample records (tests/export/rsh_sample.py) are importable as ``rsh_sample`` everywhere.
- ``demo_settings``: the bundled demo corpus analysed once, for real, per test session; tests only read it.
- ``pg_url``: a wiped PostgreSQL scratch database (RASHOMON_TEST_PG_URL), or the test is skipped.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "export"))


@pytest.fixture(scope="session")
def demo_settings(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Settings of a store holding the demo corpus as the real pipeline analyses it (read-only for tests)."""
    from rashomon.analyze import analyze
    from rashomon.cli import DEMO_DIR
    from rashomon.config import Settings

    out = tmp_path_factory.mktemp("demo_db")
    settings = Settings(db=str(out / "rashomon.db"), gazetteers=(DEMO_DIR / "gazetteer.tsv",), quiet=True)
    analyze([DEMO_DIR / "corpus"], settings)
    return settings


@pytest.fixture()
def pg_url() -> str:
    """A PostgreSQL database emptied for this test (its public schema dropped and recreated)."""
    url = os.environ.get("RASHOMON_TEST_PG_URL")
    if not url:
        pytest.skip("set RASHOMON_TEST_PG_URL to test on PostgreSQL (.ci/postgres)")
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url
