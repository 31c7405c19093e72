"""The records of a large JSON document one at a time, so memory follows one record, not the file.

A news API dump is often one JSON array (or an object holding one under a key such as ``articles``)
of hundreds of megabytes. :func:`stream_records` walks such a document with ``json``'s own decoder
over a sliding text buffer and yields each element of the array as soon as it is complete.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Collection, Iterator
from typing import IO, Any

CHUNK = 1 << 20  # bytes read at a time
MAX_RECORD = 64 << 20  # characters: no article record is longer; past it the document is broken
_WS = " \t\r\n"
_NUMBER = "0123456789.eE+-"


class NotAContainer(Exception):
    """The document is neither an array nor an object with an array under a container key."""


class _Text:
    """Decoded text of a binary stream, read on demand; ``pos`` is the parse position."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
        self.text = ""
        self.pos = 0
        self.eof = False

    def fill(self) -> bool:
        """Read one more chunk (dropping what was parsed); False at the end of the stream."""
        if self.eof:
            return False
        data = self.fh.read(CHUNK)
        self.eof = not data
        self.text = self.text[self.pos :] + self.decoder.decode(data, final=self.eof)
        self.pos = 0
        return not self.eof or bool(self.text)

    def peek(self) -> str:
        """The next non-blank character ("" at the end), without consuming it."""
        while True:
            while self.pos < len(self.text) and self.text[self.pos] in _WS:
                self.pos += 1
            if self.pos < len(self.text):
                return self.text[self.pos]
            if self.eof or not self.fill():
                return ""

    def expect(self, chars: str) -> str:
        c = self.peek()
        if not c or c not in chars:
            raise ValueError(f"expected {' or '.join(chars)}, found {c or 'the end of the file'}")
        self.pos += 1
        return c

    def value(self) -> Any:
        """The next complete JSON value; reads more while it is cut off at the end of the buffer."""
        decoder = json.JSONDecoder()
        while True:
            self.peek()
            try:
                obj, end = decoder.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as exc:  # malformed, or cut off at the end of the buffer
                if self.eof or len(self.text) - self.pos > MAX_RECORD:
                    raise ValueError(exc.msg) from None
                self.fill()
                continue
            except RecursionError:  # nested past the interpreter's limit: no article record is
                raise ValueError("nested too deeply") from None
            if not self.eof and (end == len(self.text) or self.text[end] in _NUMBER):  # "12"+"3", "0."+"5"
                self.fill()
                continue
            self.pos = end
            return obj


def stream_records(fh: IO[bytes], container_keys: Collection[str]) -> Iterator[Any]:
    """Each element of the document's array; raise NotAContainer before yielding anything when there
    is none, ValueError (after what was complete) when the document is malformed."""
    text = _Text(fh)
    first = text.peek()
    if first == "[":
        yield from _array(text)
    elif first == "{":
        yield from _container(text, container_keys)
    else:
        raise NotAContainer


def _array(text: _Text) -> Iterator[Any]:
    text.expect("[")
    if text.peek() == "]":
        text.pos += 1
        return
    while True:
        yield text.value()
        if text.expect(",]") == "]":
            return


def _container(text: _Text, keys: Collection[str]) -> Iterator[Any]:
    """The array under the first container key, looking one object deeper ({"response": {"results": [...]}})."""
    text.expect("{")
    while text.peek() != "}":
        key = text.value()
        text.expect(":")
        nxt = text.peek()
        if key in keys and nxt == "[":
            yield from _array(text)
            return
        if key in keys and nxt == "{":
            yield from _container(text, keys)
            return
        text.value()  # some other field: skipped
        if text.expect(",}") == "}":
            break
    raise NotAContainer
