"""Score what the pipeline stored against a hand-written gold file (the demo corpus's gold.json).

Used by the end-to-end test (with floors) and by ``bench/demo_gold.py`` (which prints the table).
Matching is by position, not by wording: a gold claim is found when a predicted claim's span
covers the gold anchor's place in the article.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rashomon.reconcile.disputes import find_disputes
from rashomon.records import Claim, Dispute, Extraction, Reconciled, Story


@dataclass(slots=True)
class Score:
    tp_pred: int  # predicted items that match gold
    n_pred: int
    tp_gold: int  # gold items found
    n_gold: int

    @property
    def precision(self) -> float:
        return self.tp_pred / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp_gold / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(slots=True)
class DisputeCheck:
    """Dispute scores with the cases a person should look at."""

    score: Score
    misses: list[str] = field(default_factory=list)  # gold disputes not found
    false_alarms: list[str] = field(default_factory=list)  # predicted disputes matching no gold dispute
    violations: list[str] = field(default_factory=list)  # predicted disputes joining a gold non-dispute


def _describe(d: Dispute) -> str:
    return f"{d.kind}: {d.proposition} | {d.explanation}"


def doc_key(source: str) -> str:
    """The gold's name for an article: the file name, plus '#N' for a record inside a file."""
    path, _, rec = source.partition("#")
    return Path(path).name + (f"#{rec}" if rec else "")


def _anchor_pos(text: str, anchor: str) -> tuple[int, int] | None:
    i = text.find(anchor)
    return (i, i + len(anchor)) if i >= 0 else None


def _covers(span: Sequence[int], pos: tuple[int, int]) -> bool:
    return span[0] <= pos[0] and pos[1] <= span[1]


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


class GoldScorer:
    def __init__(self, gold: dict[str, Any], exs: Sequence[Extraction], rec: Reconciled) -> None:
        self.gold = gold
        self.by_doc = {doc_key(ex.article.source): ex for ex in exs}
        self.rec = rec

    def _claim_for(self, doc: str, anchor: str, claims: Iterable[Claim] | None = None) -> Claim | None:
        ex = self.by_doc.get(doc)
        if ex is None or (pos := _anchor_pos(ex.article.text, anchor)) is None:
            return None
        pool = [c for c in (claims if claims is not None else ex.claims) if c.article_id == ex.article.id]
        hits = [c for c in pool if _covers(c.span, pos)]
        return min(hits, key=lambda c: c.span[1] - c.span[0]) if hits else None

    def claims(self) -> dict[str, Score | float]:
        gold = self.gold.get("claims", [])
        attributed = [c for ex in self.by_doc.values() for c in ex.claims if c.speaker.kind != "outlet"]
        matched_pred: set[str] = set()
        found = stance_ok = speaker_ok = 0
        for g in gold:
            c = self._claim_for(g["doc"], g["anchor"], attributed)
            if c is None:
                continue
            found += 1
            matched_pred.add(c.id)
            stance_ok += c.stance == g.get("stance", "assert")
            want = (g.get("speaker") or g.get("speaker_text") or "").lower()
            got = " ".join(filter(None, [c.speaker.name, c.speaker.text])).lower()
            speaker_ok += bool(want) and (want in got or any(w in got for w in want.split() if len(w) > 3))
        return {
            "claims": Score(len(matched_pred), len(attributed), found, len(gold)),
            "stance_accuracy": stance_ok / found if found else 0.0,
            "speaker_accuracy": speaker_ok / found if found else 0.0,
        }

    def places(self) -> Score:
        gold = [g for g in self.gold.get("places", []) if g.get("role", "event") in ("event", "context")]
        pred = [(doc, p) for doc, ex in self.by_doc.items() for p in ex.places]
        gold_pos = defaultdict(list)
        found = 0
        for g in gold:
            ex = self.by_doc.get(g["doc"])
            pos = _anchor_pos(ex.article.text, g["text"]) if ex else None
            if ex is None or pos is None:
                continue
            gold_pos[g["doc"]].append(pos)
            found += any(_overlaps((p.start, p.end), pos) or p.text == g["text"] for p in ex.places)
        tp_pred = sum(
            any(_overlaps((p.start, p.end), pos) for pos in gold_pos[doc])
            or any(p.text == g["text"] for g in gold if g["doc"] == doc)
            for doc, p in pred
        )
        return Score(tp_pred, len(pred), found, len(gold))

    def dates(self) -> dict[str, Score | float]:
        gold = self.gold.get("dates", [])
        found = value_ok = 0
        for g in gold:
            ex = self.by_doc.get(g["doc"])
            pos = _anchor_pos(ex.article.text, g["text"]) if ex else None
            if ex is None or pos is None:
                continue
            hits = [d for d in ex.dates if _overlaps((d.start, d.end), pos)]
            if hits:
                found += 1
                value_ok += any(d.value == g.get("value") for d in hits)
        n_pred = sum(len(ex.dates) for ex in self.by_doc.values())
        return {"dates": Score(found, n_pred, found, len(gold)), "date_value_accuracy": value_ok / found if found else 0.0}

    def stories(self) -> Score:
        """B-cubed precision/recall of the article grouping (returned as counts x1000)."""
        gold_story = {a["doc"]: a["story"] for a in self.gold.get("articles", [])}
        pred_story = {}
        for s in self.rec.stories:
            for aid in s.article_ids:
                pred_story[aid] = s.id
        docs = [d for d in gold_story if d in self.by_doc]
        p_sum = r_sum = 0.0
        for d in docs:
            pid = pred_story.get(self.by_doc[d].article.id)
            same_pred = {e for e in docs if pid is not None and pred_story.get(self.by_doc[e].article.id) == pid}
            same_gold = {e for e in docs if gold_story[e] == gold_story[d]}
            same_pred = same_pred or {d}
            p_sum += len(same_pred & same_gold) / len(same_pred)
            r_sum += len(same_pred & same_gold) / len(same_gold)
        n = len(docs)
        return Score(round(p_sum * 1000), n * 1000, round(r_sum * 1000), n * 1000)

    def _alias_pairs(self) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
        """(gold pairs, predicted pairs) of lower-cased surface forms that both gold and prediction know."""
        gold_of: dict[str, int] = {}
        for i, e in enumerate(self.gold.get("entities", [])):
            for alias in [e["name"], *e.get("aliases", [])]:
                gold_of.setdefault(alias.lower(), i)
        pred_of: dict[str, str] = {}
        for ent in self.rec.entities:
            for alias in ent.aliases:
                if alias.lower() in gold_of:
                    pred_of.setdefault(alias.lower(), ent.id)
        forms = sorted(pred_of)
        pairs_gold = {(a, b) for i, a in enumerate(forms) for b in forms[i + 1 :] if gold_of[a] == gold_of[b]}
        pairs_pred = {(a, b) for i, a in enumerate(forms) for b in forms[i + 1 :] if pred_of[a] == pred_of[b]}
        return pairs_gold, pairs_pred

    def entities(self) -> Score:
        """Alias-pair precision/recall: do surface forms gold calls one actor end up in one entity?"""
        pairs_gold, pairs_pred = self._alias_pairs()
        tp = len(pairs_gold & pairs_pred)
        return Score(tp, len(pairs_pred), tp, len(pairs_gold))

    def entity_misses(self) -> list[str]:
        """The alias pairs a person should look at: gold pairs kept apart, and pairs wrongly joined."""
        pairs_gold, pairs_pred = self._alias_pairs()
        return [f"apart: {a!r} / {b!r}" for a, b in sorted(pairs_gold - pairs_pred)] + [
            f"joined: {a!r} / {b!r}" for a, b in sorted(pairs_pred - pairs_gold)]

    def articles(self) -> dict[str, float]:
        rows = [a for a in self.gold.get("articles", []) if a["doc"] in self.by_doc]
        n = len(rows) or 1

        def rate(field: str, get: Any) -> float:
            return sum((get(self.by_doc[a["doc"]]) or None) == (a.get(field) or None) for a in rows) / n

        id_to_doc = {ex.article.id: d for d, ex in self.by_doc.items()}
        return {
            "outlet_accuracy": rate("outlet", lambda ex: ex.article.outlet),
            "published_accuracy": rate("published", lambda ex: ex.article.published),
            "duplicate_accuracy": rate("duplicate_of", lambda ex: id_to_doc.get(ex.article.duplicate_of or "")),
        }

    def _copies_of(self, doc: str) -> list[str]:
        """The doc and its syndicated copies: an anchor in one is the same report in the others."""
        ex = self.by_doc.get(doc)
        if ex is None:
            return [doc]
        root = ex.article.duplicate_of or ex.article.id
        return [d for d, e in self.by_doc.items() if root in (e.article.id, e.article.duplicate_of)] or [doc]

    def _dispute_claim_ids(self, anchors: Iterable[dict[str, str]]) -> set[str]:
        """The predicted claims that hold a gold dispute's anchors (any speaker, the outlet's voice too)."""
        pool = [c for ex in self.by_doc.values() for c in ex.claims]
        return {
            c.id for a in anchors for d in self._copies_of(a["doc"]) if (c := self._claim_for(d, a["anchor"], pool))
        }

    def dispute_check(self, disputes: Sequence[Dispute] | None = None) -> DisputeCheck:
        """Score disputes against gold, and name every miss, false alarm and joined non-dispute.

        A gold dispute is found by a predicted one that holds two of its anchor claims (or its only
        one); a gold non-dispute is violated by a predicted dispute that holds all its anchor claims.
        """
        disputes = self.rec.disputes if disputes is None else disputes
        claim_sets = [{cid for side in d.sides for cid in side.claim_ids} for d in disputes]
        matched_pred: set[int] = set()
        check = DisputeCheck(Score(0, len(claim_sets), 0, 0))
        for g in self.gold.get("disputes", []):
            ids = self._dispute_claim_ids(g.get("anchors", []))
            hits = [i for i, s in enumerate(claim_sets) if ids and len(ids & s) >= min(2, len(ids))]
            check.score.n_gold += 1
            if hits:
                check.score.tp_gold += 1
                matched_pred.update(hits)
            else:
                check.misses.append(f"{g['story']} {g['kind']}: {g['proposition']} ({len(ids)} anchor claims found)")
        for g in self.gold.get("non_disputes", []):
            ids = self._dispute_claim_ids(g.get("anchors", []))
            for i, s in enumerate(claim_sets):
                if len(ids) > 1 and ids <= s:
                    check.violations.append(f"{g['story']}: {g['proposition']} joined by {_describe(disputes[i])}")
        check.score.tp_pred = len(matched_pred)
        check.false_alarms = [_describe(d) for i, d in enumerate(disputes) if i not in matched_pred]
        return check

    def disputes(self) -> Score:
        return self.dispute_check().score

    def disputes_with_gold_stories(self) -> DisputeCheck:
        """Disputes found inside the gold's stories: the dispute finder measured apart from clustering."""
        exs = list(self.by_doc.values())
        return self.dispute_check(find_disputes(gold_stories(self.gold, exs), exs))

    def all(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        out.update(self.claims())
        out["places"] = self.places()
        out.update(self.dates())
        out["stories_bcubed"] = self.stories()
        out["entity_alias_pairs"] = self.entities()
        out["disputes"] = self.disputes()
        out["disputes_gold_stories"] = self.disputes_with_gold_stories().score
        out.update(self.articles())
        return out


def gold_stories(gold: dict[str, Any], exs: Sequence[Extraction]) -> list[Story]:
    """The gold's grouping of articles into stories, as Story records over the given extractions."""
    ids = {doc_key(ex.article.source): ex.article.id for ex in exs}
    stories = []
    for g in gold.get("stories", []):
        aids = [ids[d] for d in g.get("docs", []) if d in ids]
        if aids:
            stories.append(Story(article_ids=aids, title=g.get("title", g["id"]), id=f"gold_{g['id']}"))
    return stories


def load_gold(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def format_table(scores: dict[str, Any]) -> str:
    lines = [f"{'record kind':<22} {'precision':>9} {'recall':>7} {'F1':>6}  (matched/predicted, found/gold)"]
    for name, s in scores.items():
        if isinstance(s, Score):
            lines.append(f"{name:<22} {s.precision:>9.2f} {s.recall:>7.2f} {s.f1:>6.2f}  ({s.tp_pred}/{s.n_pred}, {s.tp_gold}/{s.n_gold})")
    for name, v in scores.items():
        if not isinstance(v, Score):
            lines.append(f"{name:<22} {v:>9.2f}")
    return "\n".join(lines)
