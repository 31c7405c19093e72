"""HTML briefing -> PDF with headless Chromium, for a briefing that must be mailed or printed.

Why Chromium: the briefing is plain HTML + CSS with server-rendered SVG charts, and a browser prints it
exactly as it is read on screen; no PDF library in Python renders CSS and SVG that faithfully. Nothing
is downloaded: the browser must be installed (Debian's ``chromium`` package), or named by
``RASHOMON_CHROMIUM``; without one the user gets an error naming what to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

__all__ = ["PdfError", "find_chromium", "html_to_pdf"]

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
INSTALL_HINT = ("no Chromium found for --pdf: install it (Debian/Ubuntu: `apt-get install chromium`) "
                "or set RASHOMON_CHROMIUM to a Chromium or Chrome executable")


class PdfError(RuntimeError):
    """The PDF could not be produced; the message says why and what to do."""


def find_chromium() -> str | None:
    """The browser executable: ``RASHOMON_CHROMIUM`` if set, else the first candidate on PATH."""
    named = os.environ.get("RASHOMON_CHROMIUM")
    if named:
        return shutil.which(named) or (named if Path(named).is_file() else None)
    return next((path for name in CANDIDATES if (path := shutil.which(name))), None)


def _command(browser: str, html: Path, pdf: Path, profile: str) -> list[str]:
    cmd = [browser, "--headless", "--disable-gpu", "--no-first-run", "--disable-extensions",
           "--disable-background-networking", "--no-pdf-header-footer", f"--user-data-dir={profile}",
           f"--print-to-pdf={pdf}", html.resolve().as_uri()]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox on
    return cmd


def html_to_pdf(html: Path, pdf: Path, timeout: float = 180.0) -> Path:
    """Print ``html`` to ``pdf``; raises PdfError when no browser is found or printing fails."""
    browser = find_chromium()
    if browser is None:
        raise PdfError(INSTALL_HINT)
    pdf = Path(pdf).resolve()
    pdf.parent.mkdir(parents=True, exist_ok=True)
    pdf.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="rashomon-chromium-") as profile:
        try:
            done = subprocess.run(_command(browser, Path(html), pdf, profile), capture_output=True, text=True,
                                  timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise PdfError(f"{browser} did not finish printing {html} within {timeout:.0f} s") from exc
    if not pdf.is_file() or pdf.stat().st_size == 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise PdfError(f"{browser} wrote no PDF (exit {done.returncode}): " + " | ".join(tail))
    return pdf
