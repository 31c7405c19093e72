"""A store analysed for real (the demo corpus plus one hostile article), shared by the web app's tests."""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import pytest
from webstore import DemoStore

from rashomon.analyze import analyze
from rashomon.cli import DEMO_DIR
from rashomon.config import Settings
from rashomon.store.db import Store
from rashomon.web.app import create_app

with warnings.catch_warnings():  # starlette's notice that it prefers httpx2 to httpx
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient

# Article text is hostile input: markup in the title, the outlet and the body must reach every page as text.
HOSTILE_OUTLET = "Zyx <b>Wire</b>"
HOSTILE = f"""Title: <script>alert('title')</script> Quarry guards say 12 workers were abducted
Outlet: {HOSTILE_OUTLET}
Date: 9 May 2025

Quarry guards said on Friday that 12 workers had been abducted by gunmen <script>alert("body")</script> near the old quarry, officials said. It was a shameful attack.

A police spokesman said the photos <img src=x onerror=alert("img")> were "fake" and urged readers to see <a href="javascript:alert('link')">this page</a> instead.
"""


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> DemoStore:
    root = tmp_path_factory.mktemp("webapp")
    hostile = root / "hostile"
    hostile.mkdir()
    (hostile / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    settings = Settings(db=str(root / "rashomon.db"), gazetteers=(DEMO_DIR / "gazetteer.tsv",), quiet=True)
    analyze([DEMO_DIR / "corpus", hostile], settings)
    store = Store(settings.db_url)
    try:
        return DemoStore(url=settings.db_url, extractions=list(store.iter_extractions()),
                         reconciled=store.load_reconciled())
    finally:
        store.close()


@pytest.fixture(scope="session")
def client(demo_store: DemoStore) -> Iterator[TestClient]:
    app = create_app(demo_store.url)
    with TestClient(app) as c:
        yield c
    app.state.store.close()
