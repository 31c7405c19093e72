"""Stance detection on invented claim/article pairs, with the model shipped in the package."""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pytest

import rashomon
from rashomon.reconcile.stance import (
    LABELS,
    MODEL_PATH,
    StanceDetector,
    article_stance,
    prepare,
    stem,
    tokenize,
)

CLAIM = "Rebels say they captured six soldiers near the river town of Karvel"

DENIES = (
    "The army on Tuesday denied that any of its soldiers had been captured near Karvel, calling the rebels' "
    "claim false and baseless. \"This is a hoax. No soldier is missing,\" a military spokesman said. Officials "
    "said the video the rebels posted was fake and had been doctored, and dismissed the report as propaganda."
)
REPEATS = (
    "Rebels captured six soldiers near the river town of Karvel on Tuesday. The six soldiers were captured "
    "after a clash near Karvel, and the rebels released photos of the captured soldiers. The army confirmed "
    "that six soldiers captured in the clash near the river town are now held by the rebels."
)
REPORTS = (
    "Rebels said they had captured six soldiers near Karvel, according to a statement posted online. The claim "
    "could not be independently verified. The army did not comment on the report."
)
UNRELATED = (
    "The city council approved a new budget for public libraries on Monday, adding funds for longer opening "
    "hours and a children's reading programme. The mayor praised the librarians and the volunteers who run "
    "the weekend book fair, which drew record crowds this spring."
)


@pytest.fixture(scope="module")
def detector() -> StanceDetector:
    return StanceDetector.load()


def test_model_ships_inside_the_package_and_is_small() -> None:
    assert MODEL_PATH.is_file()
    assert Path(rashomon.__file__).resolve().parent in MODEL_PATH.resolve().parents
    assert MODEL_PATH.stat().st_size < 10_000_000


def test_load_is_cached(detector: StanceDetector) -> None:
    assert StanceDetector.load() is detector
    assert StanceDetector.load(MODEL_PATH) is detector


@pytest.mark.parametrize(
    ("body", "expected"),
    [(DENIES, "disagree"), (REPEATS, "agree"), (REPORTS, "discuss"), (UNRELATED, "unrelated")],
    ids=["calls-it-false", "repeats-it", "only-relays-it", "about-something-else"],
)
def test_article_stance_towards_the_claim(detector: StanceDetector, body: str, expected: str) -> None:
    label, probs = detector.predict(CLAIM, body)
    assert label == expected, probs


def test_unrelated_text_is_confidently_unrelated(detector: StanceDetector) -> None:
    assert detector.predict(CLAIM, UNRELATED)[1]["unrelated"] > 0.9


def test_probabilities_cover_every_label_and_sum_to_one(detector: StanceDetector) -> None:
    _, probs = detector.predict(CLAIM, REPEATS)
    assert tuple(probs) == LABELS
    assert sum(probs.values()) == pytest.approx(1.0)


def test_batch_matches_single_predictions_and_is_deterministic(detector: StanceDetector) -> None:
    pairs = [(CLAIM, DENIES), (CLAIM, REPEATS), (CLAIM, UNRELATED), (CLAIM, DENIES)]
    batch = detector.predict_batch(pairs)
    single = [detector.predict(c, b) for c, b in pairs]
    assert [label for label, _ in batch] == [label for label, _ in single]
    for (_, a), (_, b) in zip(batch, single):
        assert np.allclose(list(a.values()), list(b.values()))
    assert batch[0] == batch[3]


def test_empty_texts_do_not_crash(detector: StanceDetector) -> None:
    label, probs = detector.predict("", "")
    assert label in LABELS and sum(probs.values()) == pytest.approx(1.0)


def test_article_stance_names_what_the_article_does(detector: StanceDetector) -> None:
    assert article_stance(CLAIM, DENIES, detector) == "denies"
    assert article_stance(CLAIM, REPEATS, detector) == "supports"
    assert article_stance(CLAIM, UNRELATED) == "unrelated"


def test_tokens_keep_contractions_and_stems_unify_inflections() -> None:
    assert tokenize("They didn\u2019t say it.") == ["they", "didn't", "say", "it"]
    assert stem("killed") == stem("kills") == stem("killing") == "kill"
    assert stem("process") == "process"


def test_prepare_counts_refuting_negation_and_reporting_words_per_sentence() -> None:
    p = prepare("Officials denied it. They said it was not a hoax, reportedly.")
    assert p.cues[0][0] == 1  # "denied"
    assert p.cues[1] == (1, 1, 2)  # "hoax"; "not"; "said", "reportedly"
    assert not p.question and prepare("Is it true?").question


def test_numpy_inference_reproduces_the_trained_network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What bench/train_stance.py writes, StanceDetector reads back to the same probabilities."""
    pytest.importorskip("sklearn")
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2] / "bench"))
    train_stance = importlib.import_module("train_stance")
    bodies = {"disagree": DENIES, "agree": REPEATS, "discuss": REPORTS, "unrelated": UNRELATED}
    rows = [(f"{CLAIM} {i}", body, label) for i in range(5) for label, body in bodies.items()]
    trained = train_stance.fit(rows, train_stance.parse_args(["--epochs", "60", "--lr", "0.01", "--vocab", "60", "--hidden", "8", "--members", "2"]))
    trained.save(tmp_path / "stance.npz")
    loaded = StanceDetector.load(tmp_path / "stance.npz")
    pairs = [(prepare(CLAIM), prepare(body)) for body in bodies.values()]
    expected = trained.predict_proba(pairs)
    got = np.array([loaded.probabilities(head, body) for head, body in pairs])
    assert np.allclose(got, expected, atol=1e-2)
    assert [LABELS[i] for i in got.argmax(axis=1)] == list(bodies)


def test_batched_forward_pass_matches_one_pair_at_a_time_across_chunks(
    detector: StanceDetector, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rashomon.reconcile import stance

    monkeypatch.setattr(stance, "BATCH_ROWS", 3)  # seven pairs: chunks of 3, 3 and 1
    bodies = [DENIES, REPEATS, REPORTS, UNRELATED, DENIES, "", REPEATS]
    pairs = [(prepare(CLAIM), prepare(b)) for b in bodies]
    batch = detector.probabilities_batch(pairs)
    assert batch.shape == (7, len(LABELS))
    assert np.allclose(batch, [detector.probabilities(h, b) for h, b in pairs])
    assert detector.probabilities_batch([]).shape == (0, len(LABELS))
