"""Run the registered extract stages over batches of articles, parsing each batch once with nlp.pipe.

A stage is a callable ``stage(ex: Extraction, doc: spacy.tokens.Doc) -> None`` registered with
``@register("extract", NAME)``; it appends what it finds to ``ex``. Stages run in the order of
``Settings.extract_stages`` so later ones can read earlier results.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from rashomon import registry
from rashomon.config import Settings
from rashomon.extract.sentences import sentence_char_spans
from rashomon.model_hashes import ensure_model
from rashomon.records import Article, Extraction

# Modules whose import registers the built-in stages.
_STAGE_MODULES = (
    "rashomon.extract.entities",
    "rashomon.extract.quantities",
    "rashomon.extract.dates",
    "rashomon.extract.places",
    "rashomon.extract.claims",
    "rashomon.extract.evaluative",
    "rashomon.extract.events",
)


@lru_cache(maxsize=2)
def load_nlp(model: str) -> Any:
    """Load the spaCy pipeline once per process, after checking its files against the recorded hashes."""
    import spacy

    ensure_model(model)
    return spacy.load(model)


def _import_stages() -> None:
    for mod in _STAGE_MODULES:
        importlib.import_module(mod)


class Extractor:
    """Loads the model once; turns batches of Articles into Extractions."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        _import_stages()
        self.nlp = load_nlp(self.settings.spacy_model)
        self.stages = [registry.get("extract", name) for name in self.settings.extract_stages]

    def extract(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        """Yield one Extraction per article, in order."""
        articles = list(articles)
        texts = (a.text for a in articles)
        for article, doc in zip(articles, self.nlp.pipe(texts, batch_size=self.settings.batch_size)):
            yield self.extract_doc(article, doc)

    def extract_doc(self, article: Article, doc: Any) -> Extraction:
        ex = Extraction(article=article, sentences=sentence_char_spans(doc))
        for stage in self.stages:
            stage(ex, doc)
        return ex
