"""Where each sentence of a story's articles belongs: one of the story's incidents, or background an
article retells from before the story. Disputes read it so that a figure is only compared with figures
about the same incident, never with a toll retold from another one."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rashomon.reconcile.incident_units import Unit
from rashomon.records import Event, Extraction

NOTED_BACKGROUND = 5  # background events named in the note, at most


@dataclass(slots=True)
class Homes:
    """Sentence spans of each article with the incident (index into the story's incidents) they are
    about, or None for background; the article's main incident stands for its other sentences."""

    spans: dict[str, list[tuple[int, int, int | None]]] = field(default_factory=dict)
    mains: dict[str, int] = field(default_factory=dict)  # article id -> the incident its main event joined
    primary: int = 0  # the incident most articles report as their main one

    @classmethod
    def build(cls, groups: Sequence[Sequence[Unit]], background: Sequence[Unit]) -> Homes:
        spans: dict[str, list[tuple[int, int, int | None]]] = defaultdict(list)
        mains: dict[str, int] = {}
        for i, g in enumerate(groups):
            for u in g:
                for e in u.events:
                    spans[_article(e)] += [(s, t, i) for s, t in e.sentences]
                for aid, extra in u.extra.items():
                    spans[aid] += [(s, t, i) for s, t in extra]
                if u.main:
                    mains.setdefault(_article(u.head), i)
        for u in background:
            for e in u.events:
                spans[_article(e)] += [(s, t, None) for s, t in e.sentences]
        votes = Counter(mains.values())
        primary = max(votes, key=lambda i: (votes[i], -i)) if votes else 0
        return cls(dict(spans), mains, primary)

    def of(self, article_id: str, pos: int) -> int | None:
        """The incident a character of an article is about (an incident's own sentence wins over a
        background one holding it too), else its article's main incident, else the story's primary."""
        found = [i for s, t, i in self.spans.get(article_id, []) if s <= pos < t]
        if found:
            return next((i for i in found if i is not None), None)
        return self.mains.get(article_id, self.primary)


def _article(e: Event) -> str:
    return e.article_ids[0] if e.article_ids else ""


def background_note(background: Sequence[Unit], by_id: Mapping[str, Extraction] | None) -> str:
    """Plain words for the events the story's articles retell from before it."""
    items: list[str] = []
    for u in background:
        e = u.head
        kind = e.sub_event_type or e.event_type or "an event"
        where = f" in {e.location.name}" if e.location else ""
        when = f", {e.date.text or e.date.value}" if e.date and e.date.kind != "published" and (e.date.text or e.date.value) else ""
        ex = (by_id or {}).get(_article(e))
        outlet = f" ({ex.article.outlet})" if ex is not None and ex.article.outlet else ""
        items.append(f"{kind}{where}{when}{outlet}")
    items = list(dict.fromkeys(items))
    more = f" and {len(items) - NOTED_BACKGROUND} more" if len(items) > NOTED_BACKGROUND else ""
    return "background the articles mention, not incidents of this story: " + "; ".join(items[:NOTED_BACKGROUND]) + more
