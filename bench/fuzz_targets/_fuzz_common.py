"""What every fuzz target shares: running a reader on bytes, the invariants a result must keep, and
turning exceptions an extractor only logs into failures the fuzzer can see.

Why one module: the atheris harnesses (``python bench/fuzz_targets/<target>.py``) and the regression
test that replays ``tests/fixtures/fuzz/<target>/*`` call the same ``check(data)``, so a kept input
fails in CI exactly as it failed under the fuzzer, with or without atheris installed.
"""

from __future__ import annotations

import atexit
import gzip
import importlib.util
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

from rashomon.ingest.base import IngestError, Item, Reader, ReadOptions
from rashomon.records import Article

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
OPTIONS = ReadOptions(field_map={})


class Finding(AssertionError):
    """An input broke a promise (a crash an extractor swallowed, or a broken invariant)."""


TARGETS = Path(__file__).resolve().parent


@cache
def load_target(name: str) -> ModuleType:
    """``bench/fuzz_targets/<name>.py`` as a module (bench/ is not a package); atheris is not needed."""
    if str(TARGETS) not in sys.path:
        sys.path.insert(0, str(TARGETS))
    spec = importlib.util.spec_from_file_location(f"rashomon_fuzz_{name}", TARGETS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@lru_cache(maxsize=1)
def _scratch() -> Path:
    """One temporary folder per process: a fuzzer runs millions of inputs, so files are reused."""
    path = Path(tempfile.mkdtemp(prefix="rashomon-fuzz-"))
    atexit.register(shutil.rmtree, path, True)
    return path


def write_input(data: bytes, name: str) -> Path:
    """``data`` as the file ``name`` in the scratch folder (readers take paths, not bytes)."""
    path = _scratch() / name
    path.write_bytes(data)
    return path


def gz_flag(data: bytes) -> tuple[bool, bytes]:
    """First byte odd: the rest is to be gzipped (so mutations of plain structure reach the gzip path)."""
    if not data:
        return False, data
    return bool(data[0] & 1), data[1:]


def maybe_gzip(data: bytes) -> tuple[bytes, bool]:
    """The payload of a ``gz_flag`` input, compressed when the flag asks for it."""
    zipped, rest = gz_flag(data)
    return (gzip.compress(rest, mtime=0) if zipped else rest), zipped


def read_flagged(reader: Reader, data: bytes, name: str) -> tuple[Path, list[Item]]:
    """A ``gz_flag`` input written as ``name`` (``name.gz`` when gzipped) and read by ``reader``."""
    payload, zipped = maybe_gzip(data)
    path = write_input(payload, f"{name}.gz" if zipped else name)
    return path, read_all(reader, path)


def read_all(reader: Reader, path: Path) -> list[Item]:
    """Every item the reader yields; a reader must never raise (read_file would hide it as an error)."""
    return list(reader(path, OPTIONS))


def check_items(items: list[Item], path: Path, need_item: bool = True, need_line: bool = False) -> None:
    """Articles and IngestErrors only; each error names the file (and its line when ``need_line``)."""
    if need_item and not items:
        raise Finding(f"no Article and no IngestError for {path.name}")
    for item in items:
        if isinstance(item, IngestError):
            _check_error(item, path, need_line)
        elif isinstance(item, Article):
            _check_article(item, path)
        else:
            raise Finding(f"reader yielded {type(item).__name__}")


def _check_error(err: IngestError, path: Path, need_line: bool) -> None:
    if not err.source.startswith(str(path)):
        raise Finding(f"error does not name the file: {err}")
    if not err.message.strip():
        raise Finding("error with no message")
    if need_line and err.line is None and err.message not in ("empty file",):
        raise Finding(f"error does not name the line: {err}")
    if err.line is not None and err.line < 1:
        raise Finding(f"error names line {err.line}")


def _check_article(article: Article, path: Path) -> None:
    if not article.source.startswith(str(path)):
        raise Finding(f"article source {article.source!r} does not name the file")
    if not isinstance(article.text, str) or not article.text.strip():
        raise Finding("article with no text")
    if article.published is not None:
        valid_iso_date(article.published)


def valid_iso_date(value: str) -> date:
    """The date an ISO string names; a Finding when it names none."""
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise Finding(f"not an ISO date: {value!r}") from exc


def text_of(data: bytes) -> str:
    """Fuzz bytes as article text (extractors take decoded text; invalid UTF-8 is replaced)."""
    return data.decode("utf-8", errors="replace")


def check_span(text: str, start: int, end: int, surface: str | None = None) -> None:
    """Character offsets inside the text and, when given, pointing at the surface string."""
    if not 0 <= start <= end <= len(text):
        raise Finding(f"span {start}-{end} outside a text of {len(text)} characters")
    if surface is not None and text[start:end] != surface:
        raise Finding(f"span {start}-{end} reads {text[start:end]!r}, record says {surface!r}")


class _Trap(logging.Handler):
    """Keeps every log record that carries an exception (extractors log and skip what they cannot read)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.caught: list[BaseException] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            self.caught.append(record.exc_info[1])


@contextmanager
def logged_exceptions_raise() -> Iterator[None]:
    """Re-raise the first exception an extractor logged and skipped: to the fuzzer it is a crash."""
    trap = _Trap()
    root = logging.getLogger("rashomon")
    root.addHandler(trap)
    try:
        yield
    finally:
        root.removeHandler(trap)
    if trap.caught:
        raise trap.caught[0]


@lru_cache(maxsize=1)
def nlp() -> Any:
    """The project's spaCy pipeline, loaded once per process."""
    from rashomon.config import Settings
    from rashomon.extract.pipeline import load_nlp

    return load_nlp(Settings().spacy_model)


SIGNATURES_ENV = "RASHOMON_FUZZ_SIGNATURES"


def signature(exc: BaseException) -> str:
    """Exception type and the innermost project frame (else the innermost frame): one bug, one signature."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/rashomon/" in f.filename] or frames
    where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "?"
    return f"{type(exc).__name__} at {where}"


def _known_signatures() -> set[str]:
    """Signatures already found (one a line in the file ``$RASHOMON_FUZZ_SIGNATURES`` names)."""
    name = os.environ.get(SIGNATURES_ENV)
    if not name or not Path(name).exists():
        return set()
    return {line.strip() for line in Path(name).read_text(encoding="utf-8").splitlines() if line.strip()}


def _record_signature(sig: str) -> None:
    name = os.environ.get(SIGNATURES_ENV)
    if name:
        with Path(name).open("a", encoding="utf-8") as fh:
            fh.write(sig + "\n")


# Code the fuzzer measures coverage of: the project, and the parsers its readers hand bytes to.
INSTRUMENTED = (
    "rashomon",
    "warcio",
    "feedparser",
    "json",
    "charset_normalizer",
    "trafilatura",
    "htmldate",
)
# atheris 2.3.0 miscompiles some Python 3.11 bytecode: instrumented, ``_Text.peek`` in jsonstream reads
# ``self`` as an int (an AttributeError that never happens uninstrumented); such modules run plain.
NOT_INSTRUMENTED = frozenset({"rashomon.ingest.jsonstream"})


def _instrument(prefixes: tuple[str, ...]) -> int:
    """Add atheris coverage to the already imported functions of ``prefixes``' modules.

    Why not ``atheris.instrument_all``: on Python 3.11 it fails on parts of the standard library and
    can take the process down; the modules that parse the input are the ones whose edges matter.
    """
    import gc

    from atheris import instrument_bytecode as ib

    count = 0
    for obj in gc.get_objects():
        module = getattr(obj, "__module__", None)
        module = module if isinstance(module, str) else ""
        if module in NOT_INSTRUMENTED:
            continue
        if module.split(".")[0] in prefixes and ib._is_instrumentable(obj):
            try:
                ib.instrument_func(obj)
                count += 1
            except Exception:  # noqa: BLE001, S112 - a function atheris cannot patch is left uncovered
                continue
    return count


def fuzz_main(
    check: Callable[[bytes], None],
    prefixes: tuple[str, ...] = INSTRUMENTED,
    needs_nlp: bool = False,
) -> None:
    """Run ``check`` under atheris (libFuzzer flags from the command line); only the harness needs atheris."""
    import atheris

    known = _known_signatures()

    def one_input(data: bytes) -> None:
        try:
            check(data)
        except Exception as exc:
            sig = signature(exc)
            if sig in known:
                return  # found earlier in this campaign: let the fuzzer look for something new
            _record_signature(sig)
            raise

    if needs_nlp:
        nlp()  # load the pipeline first so its functions exist (uninstrumented: spaCy is not under test)
    sys.stderr.write(f"INFO: instrumented {_instrument(prefixes)} functions\n")
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
