"""The spaCy pipeline loaded before any property runs, so its load never counts against a deadline."""

from __future__ import annotations

from typing import Any

import pytest
from fuzz_support import common, target


@pytest.fixture(scope="session")
def nlp() -> Any:
    return common.nlp()


@pytest.fixture(scope="session")
def extractor() -> Any:
    """Every extract stage loaded and run once (gazetteers and lexicons load on first use)."""
    article = target("extract_article")
    article.check(next(iter(article.seeds())))
    return article._extractor()
