"""PolNeAR attribution benchmark: source, cue and content span P/R/F1 (exact and overlap).

Usage: python bench/polnear.py [DIR] [--split dev|test] [--limit N]

DIR is the unpacked benchmark root (default $RASHOMON_BENCH_DIR or ~/.cache/rashomon-bench); the
PolNeAR data lie under DIR/polnear/data/{split}/{text,attributions}. Each article has one brat .ann
per annotator (NAME_ANNOTATOR.ann); the first annotator in sorted order is taken as gold. Outlet-voice
claims are not attributions and are left out. Matching is one-to-one per role: exact = identical span
sets (edge whitespace/punctuation trimmed), overlap = any shared token between a predicted and a gold
span set. The whole extract pipeline runs (stages that are not importable are skipped) and articles/s
is reported for it.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rashomon import registry
from rashomon.config import Settings
from rashomon.extract import pipeline
from rashomon.extract.claims import attributions, to_claim
from rashomon.records import Article, Extraction

ROLES = ("source", "cue", "content")
Spans = tuple[tuple[int, int], ...]


@dataclass
class GoldAttr:
    roles: dict[str, Spans] = field(default_factory=dict)


# ---- reading brat standoff ---------------------------------------------------------------------
def _parse_offsets(field_: str) -> list[tuple[int, int]]:
    out = []
    for part in field_.split(";"):
        a, b = part.split()
        out.append((int(a), int(b)))
    return out


def read_ann(path: Path) -> list[GoldAttr]:
    """Attribution relations of one .ann file; malformed lines are reported and skipped."""
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    relations: list[dict[str, str]] = []
    for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            if line.startswith("T"):
                tid, meta, _text = line.split("\t", 2)
                label, offs = meta.split(" ", 1)
                spans[tid] = (label, _parse_offsets(offs))
            elif line.startswith("E"):
                _eid, args = line.split("\t", 1)
                relations.append(dict(a.split(":", 1) for a in args.split()))
        except ValueError as exc:
            print(f"{path}:{no}: skipped malformed line ({exc})", file=sys.stderr)
    out = []
    for rel in relations:
        g = GoldAttr()
        for role in ROLES:
            tid = rel.get(role.capitalize())
            if tid in spans:
                g.roles[role] = tuple(spans[tid][1])
        out.append(g)
    return out


def articles(
    root: Path, split: str, limit: int | None
) -> Iterator[tuple[str, str, list[GoldAttr]]]:
    """(name, text, gold) per article of the split, first annotator's file as gold."""
    base = root / "polnear" / "data" / split
    chosen: dict[str, Path] = {}
    for ann in sorted((base / "attributions").glob("*.ann")):
        name = re.sub(r"_[0-9a-f]{4}$", "", ann.stem)
        chosen.setdefault(name, ann)
    for k, (name, ann) in enumerate(sorted(chosen.items())):
        if limit is not None and k >= limit:
            break
        txt = base / "text" / f"{name}.txt"
        if not txt.exists():
            print(f"{txt}: missing text, skipped", file=sys.stderr)
            continue
        yield name, txt.read_text(encoding="utf-8"), read_ann(ann)


# ---- scoring ----------------------------------------------------------------------------------
_TRIM = " \t\n\"“”'‘’.,;:"


def _norm(text: str, spans: Spans) -> Spans:
    out = []
    for s, e in spans:
        while s < e and text[s] in _TRIM:
            s += 1
        while e > s and text[e - 1] in _TRIM:
            e -= 1
        if e > s:
            out.append((s, e))
    return tuple(sorted(out))


def _tokens(text: str, spans: Spans) -> set[int]:
    """Start offsets of the word tokens inside the spans."""
    toks: set[int] = set()
    for s, e in spans:
        toks.update(s + m.start() for m in re.finditer(r"\w+", text[s:e]))
    return toks


@dataclass
class Score:
    pred: int = 0
    gold: int = 0
    exact: int = 0
    overlap: int = 0

    def prf(self, hits: int) -> tuple[float, float, float]:
        p = hits / self.pred if self.pred else 0.0
        r = hits / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _match(pred: list[Spans], gold: list[Spans], text: str, exact: bool) -> int:
    """Greedy one-to-one matching (largest shared-token count first)."""
    ptoks = [_tokens(text, p) for p in pred]
    gtoks = [_tokens(text, g) for g in gold]
    pairs = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            if exact:
                if p == g:
                    pairs.append((1, i, j))
            else:
                shared = len(ptoks[i] & gtoks[j])
                if shared:
                    pairs.append((shared, i, j))
    pairs.sort(reverse=True)
    used_p: set[int] = set()
    used_g: set[int] = set()
    for _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
    return len(used_p)


def score_article(
    text: str,
    pred: list[dict[str, Spans]],
    gold: list[GoldAttr],
    scores: dict[str, Score],
) -> None:
    for role in ROLES:
        p = [_norm(text, a[role]) for a in pred if a.get(role)]
        g = [_norm(text, a.roles[role]) for a in gold if a.roles.get(role)]
        p, g = [x for x in p if x], [x for x in g if x]
        sc = scores[role]
        sc.pred += len(p)
        sc.gold += len(g)
        sc.exact += _match(p, g, text, exact=True)
        sc.overlap += _match(p, g, text, exact=False)


# ---- running the pipeline ---------------------------------------------------------------------
def _stages() -> tuple[list, list]:
    """Importable registered stages before and after "claims" (missing modules are skipped)."""
    for mod in pipeline._STAGE_MODULES:
        try:
            importlib.import_module(mod)
        except ImportError as exc:  # a stage module may not exist yet
            print(
                f"note: stage module {mod} not usable ({type(exc).__name__}: {exc})",
                file=sys.stderr,
            )
    available = set(registry.names("extract"))
    names = [n for n in Settings().extract_stages if n in available]
    cut = names.index("claims") if "claims" in names else len(names)
    before = [registry.get("extract", n) for n in names[:cut]]
    after = [registry.get("extract", n) for n in names[cut + 1 :]]
    return before, after


def predict(
    ex: Extraction, doc, text: str, before: list, after: list
) -> list[dict[str, Spans]]:
    for stage in before:
        stage(ex, doc)
    attrs = attributions(ex, doc)
    ex.claims.extend(to_claim(ex, text, a) for a in attrs)
    for stage in after:
        stage(ex, doc)
    out = []
    for a in attrs:
        if a.speaker.kind == "outlet":
            continue
        roles: dict[str, Spans] = {"content": tuple(a.content_spans)}
        if a.inherited:  # speaker and cue belong to the adjacent attribution
            out.append(roles)
            continue
        if a.cue_span:
            roles["cue"] = (a.cue_span,)
        if a.speaker.start is not None and a.speaker.end is not None:
            roles["source"] = ((a.speaker.start, a.speaker.end),)
        out.append(roles)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "dir",
        nargs="?",
        default=os.environ.get("RASHOMON_BENCH_DIR", "~/.cache/rashomon-bench"),
    )
    ap.add_argument("--split", default="dev", choices=["dev", "test", "train"])
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args(argv)
    root = Path(args.dir).expanduser()
    if not (root / "polnear" / "data" / args.split).is_dir():
        print(
            f"{root}/polnear/data/{args.split}: not found (unpack the benchmarks first)",
            file=sys.stderr,
        )
        return 2
    data = list(articles(root, args.split, args.limit))
    nlp = pipeline.load_nlp(Settings().spacy_model)
    before, after = _stages()
    scores = {r: Score() for r in ROLES}
    t0 = time.perf_counter()
    for (name, text, gold), doc in zip(
        data, nlp.pipe((t for _, t, _ in data), batch_size=16)
    ):
        ex = Extraction(
            article=Article(source=name, text=text),
            sentences=[(s.start_char, s.end_char) for s in doc.sents],
        )
        score_article(text, predict(ex, doc, text, before, after), gold, scores)
    elapsed = time.perf_counter() - t0
    print(
        f"PolNeAR {args.split}: {len(data)} articles, {sum(s.gold for s in scores.values())} gold role spans"
    )
    print(
        f"{'role':8} {'pred':>6} {'gold':>6} | {'exact P':>8} {'R':>6} {'F1':>6} | {'overlap P':>9} {'R':>6} {'F1':>6}"
    )
    for role in ROLES:
        sc = scores[role]
        ep, er, ef = sc.prf(sc.exact)
        op, orr, of = sc.prf(sc.overlap)
        print(
            f"{role:8} {sc.pred:6d} {sc.gold:6d} | {ep:8.3f} {er:6.3f} {ef:6.3f} | {op:9.3f} {orr:6.3f} {of:6.3f}"
        )
    print(
        f"speed: {len(data) / elapsed:.1f} articles/s (full extract pipeline incl. parsing, {elapsed:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
