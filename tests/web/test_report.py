"""HTML report: self-contained, escaped, ordered by dispute, shows figures, hedges and evaluative language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rsh_sample as sample

from rashomon.records import Dispute, DisputeSide, Reconciled
from rashomon.store.db import Store
from rashomon.web.report import fmt_quantity, render_report, write_report


@pytest.fixture()
def html(tmp_path: Path) -> str:
    store = Store(f"sqlite:///{tmp_path / 'w.db'}")
    exs = sample.extractions()
    store.add_extractions(exs)
    store.save_reconciled(sample.reconcile(exs), exs)
    out = tmp_path / "sub" / "report.html"
    write_report(store, out)
    store.close()
    return out.read_text("utf-8")


def test_article_markup_is_escaped(html: str) -> None:
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>seven</b>" not in html and "&lt;b&gt;seven&lt;/b&gt;" in html
    assert "Outlet &lt;B&gt;" in html


def test_self_contained_and_script_free(html: str) -> None:
    assert not re.search(r"<script|<link|<img|<iframe|@import|url\(", html, re.IGNORECASE)
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", html, re.IGNORECASE)
    assert "<style>" in html
    assert "https://" not in html and "a.example/1" in html  # the source is named, not linked


def test_content_sections(html: str) -> None:
    assert "Example Front says it captured soldiers" in html
    assert "How many soldiers were captured" in html  # dispute
    assert "exact 6" not in html and "at least 7 soldiers" in html  # normalised figure
    assert "purportedly" in html  # hedge
    # captured low / best / high and ACLED, then each outlet's figure in the ledger
    assert re.search(r"captured</td>" + r"\s*".join(f'<td class="num">{n}</td>' for n in (6, 6, 7, 6)), html)
    assert "Outlet &lt;B&gt;</td>" in html and "at least 7</a>" in html
    assert "shameful" in html  # evaluative language by outlet
    assert 'class="deny"' in html  # the denial is colour-coded
    assert "Army" in html  # speaker resolved to its entity name


def test_most_disputed_story_first() -> None:
    exs = sample.extractions()
    rec = sample.reconcile(exs)
    other = rec.stories[0].__class__(article_ids=["art_zzz"], title="Quiet story")
    rec.stories.insert(0, other)
    html = render_report(exs, rec, {})
    assert html.index("Example Front says it captured soldiers") < html.index("Quiet story")


def test_unreconciled_store_still_reports_each_article(tmp_path: Path) -> None:
    exs = sample.extractions()
    html = render_report(exs, Reconciled(), {"articles": 2})
    assert "Group says it captured soldiers" in html
    assert "none of its soldiers had been captured" in html


def test_orphan_dispute_is_shown() -> None:
    exs = sample.extractions()
    rec = Reconciled(disputes=[Dispute(story_id="sty_gone", kind="numeric", proposition="Orphaned question",
                                       sides=[DisputeSide(claim_ids=[], stance="assert", value=3,
                                                          article_ids=[], outlets=[])],
                                       explanation="x")])
    assert "Orphaned question" in render_report(exs, rec, {})


def test_fmt_quantity() -> None:
    q = sample.extraction_b().claims[0].quantities[0]
    assert fmt_quantity(q) == "at least 7 soldiers"


def test_headline_uses_first_line_and_shortens() -> None:
    from rashomon.web.report import headline

    assert headline("Title here\nBy someone\nCITY: lede") == "Title here"
    assert headline(None) == "(untitled)"
    long = headline("x" * 500)
    assert len(long) == 160 and long.endswith("…")
