"""Flag evaluative / editorial language in the outlet's own voice.

Why: analysts want opinion ("shameful", "callous") separated from reporting. Words inside quotes or
inside a claim attributed to a speaker belong to that speaker, so only the outlet's own sentences count.
"""

from __future__ import annotations

from spacy.tokens import Doc

from rashomon.extract.claims import find_phrases
from rashomon.extract.quotes import find_quotes
from rashomon.extract.sentences import doc_text
from rashomon.records import Extraction
from rashomon.registry import register


def _speaker_spans(ex: Extraction) -> list[tuple[int, int]]:
    """Char spans owned by a named or unnamed speaker (not the outlet)."""
    return [c.span for c in ex.claims if c.speaker.kind != "outlet"]


def evaluative_phrases(ex: Extraction, doc: Doc) -> list[str]:
    """Lexicon phrases, as they appear, outside quotes and outside attributed claims, in text order."""
    text = doc_text(doc)
    if not text:
        return []
    owned = [(q.start, q.end) for q in find_quotes(text)] + _speaker_spans(ex)
    out = []
    for start, end, phrase in find_phrases("evaluative", text):
        if not any(s <= start and end <= e for s, e in owned):
            out.append(phrase)
    return out


@register("extract", "evaluative")
def extract_evaluative(ex: Extraction, doc: Doc) -> None:
    """Pipeline stage: fill ``ex.evaluative``."""
    ex.evaluative.extend(evaluative_phrases(ex, doc))
