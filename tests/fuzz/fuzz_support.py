"""What the property tests share: the fuzz targets' own ``check`` functions, settings, byte mutations.

The properties feed structured-then-mutated inputs to the same ``check(data)`` the atheris harnesses in
``bench/fuzz_targets/`` run, so a property and the fuzzer can never disagree on what counts as a bug.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[2]
TARGETS = REPO / "bench" / "fuzz_targets"
# RASHOMON_FUZZ_SCALE=10 runs ten times the examples (a longer local campaign); CI uses the default.
SCALE = max(1, int(os.environ.get("RASHOMON_FUZZ_SCALE", "1")))


sys.path.insert(0, str(TARGETS))  # bench/fuzz_targets is not a package
import _fuzz_common as common
from _fuzz_common import load_target as target

__all__ = ["common", "target"]


def fuzz_settings(examples: int) -> settings:
    """Few examples in CI, a per-example deadline (a hang fails the test), no health check on slow data."""
    return settings(
        max_examples=examples * SCALE,
        deadline=2000,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@st.composite
def mutated(draw: st.DrawFn, base: bytes) -> bytes:
    """``base`` after a few byte-level mutations: truncation, insertion, deletion, overwrite, duplication."""
    data = bytearray(base)
    for _ in range(draw(st.integers(0, 4))):
        op = draw(st.sampled_from(["cut", "insert", "delete", "flip", "dup"]))
        at = draw(st.integers(0, len(data)))
        if op == "cut":
            del data[at:]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=12))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 16))]
        elif op == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif op == "dup":
            data[at:at] = data[at : at + draw(st.integers(1, 64))]
    return bytes(data)


WORDS = st.sampled_from(
    [
        "the",
        "army",
        "said",
        "it",
        "killed",
        "militants",
        "in",
        "a",
        "raid",
        "near",
        "town",
        "on",
        "Monday",
        "officials",
        "were",
        "not",
        "available",
        "spokesman",
        "denied",
        "claims",
        "police",
        "village",
        "attack",
        "dozens",
        "wounded",
        "KHARTOUM",
        "Reuters",
    ]
)
SENTENCE = st.lists(WORDS, min_size=1, max_size=14).map(lambda ws: " ".join(ws).capitalize() + ".")
PARAGRAPHS = st.lists(SENTENCE, min_size=1, max_size=4).map(" ".join)
BODY = st.lists(PARAGRAPHS, min_size=1, max_size=4).map("\n\n".join)
DATES = st.sampled_from(
    ["2025-03-04", "4 March 2025", "March 4, 2025 10:32 AM", "Tue, 04 Mar 2025 08:00:00 GMT", "04/03/2025",
     "13/03/2025", "1741046400", "2025-02-30", "32 March 2025", "9999-12-31", "", "yesterday"]
)  # fmt: skip
NAMES = st.sampled_from(
    [
        "Jane Doe",
        "Ahmed al Sharif",
        "AFP",
        "The Daily Courier",
        "",
        "By the time",
        "ÄÖÜ",
    ]
)
