"""Small helpers shared by the server-rendered SVG charts (timeline, map).

Why: both charts build SVG as text (no plotting library, nothing for the browser to fetch), every
attribute and text node must be escaped because labels come from articles, and both place labels
greedily so they never overlap. Styling is done with presentation attributes, not ``<style>`` or
``style=``, so a strict Content-Security-Policy never blanks a chart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import escape

FONT = "-apple-system, 'Segoe UI', Roboto, Arial, sans-serif"


def num(x: float) -> str:
    """A coordinate with one decimal at most: compact output, stable across runs."""
    s = f"{x:.1f}"
    return s.removesuffix(".0")


def attrs(**kw: object) -> str:
    """` key="value"` pairs, escaped; ``class_`` -> ``class``, ``font_size`` -> ``font-size``; None skipped."""
    out = []
    for key, value in kw.items():
        if value is None:
            continue
        name = key.rstrip("_").replace("_", "-")
        out.append(f' {name}="{escape(num(value) if isinstance(value, float) else value)}"')
    return "".join(out)


def el(tag: str, content: str = "", **kw: object) -> str:
    """One element; ``content`` must already be SVG (use ``text`` for plain text)."""
    return f"<{tag}{attrs(**kw)}>{content}</{tag}>" if content else f"<{tag}{attrs(**kw)}/>"


def text(value: str, **kw: object) -> str:
    """A ``<text>`` element whose content is escaped plain text."""
    return f"<text{attrs(**kw)}>{escape(value)}</text>"


def title(value: str) -> str:
    """A ``<title>`` tooltip (escaped)."""
    return f"<title>{escape(value)}</title>"


def text_width(value: str, size: float) -> float:
    """Rough rendered width of a label in a sans-serif font: enough to keep labels apart."""
    return len(value) * size * 0.56


def truncate(value: str, limit: int) -> str:
    """One line of at most ``limit`` characters, with an ellipsis when cut."""
    line = " ".join(value.split())
    return line if len(line) <= limit else line[: max(1, limit - 1)].rstrip() + "…"


Box = tuple[float, float, float, float]  # x0, y0, x1, y1


@dataclass(slots=True)
class Boxes:
    """Label rectangles already placed; a new label goes only where it overlaps none."""

    placed: list[Box] = field(default_factory=list)
    pad: float = 2.0

    def free(self, box: Box) -> bool:
        x0, y0, x1, y1 = box
        p = self.pad
        return all(x1 + p <= a0 or a1 + p <= x0 or y1 + p <= b0 or b1 + p <= y0 for a0, b0, a1, b1 in self.placed)

    def take(self, box: Box) -> bool:
        """Place ``box`` if it is free; True when placed."""
        if not self.free(box):
            return False
        self.placed.append(box)
        return True


def svg_root(content: str, width: float, height: float, cls: str, label: str) -> str:
    """The ``<svg>`` element: scalable (viewBox, width 100%), labelled for screen readers."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg"{attrs(class_=cls, viewBox=f"0 0 {num(width)} {num(height)}")}'
            f'{attrs(width="100%", role="img", aria_label=label, font_family=FONT)}>{content}</svg>')
