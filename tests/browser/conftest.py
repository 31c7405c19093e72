"""Browser tests: ``rashomon serve`` as a subprocess on a free loopback port over the analysed demo
corpus, driven by Selenium in Debian's headless Chromium (``.ci/browser`` installs it). Screenshots go
to ``test-artifacts/`` at the repository root (ignored by git)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
START_TIMEOUT = 60.0

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[test]')")
if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    pytest.skip("no /usr/bin/chromium + /usr/bin/chromedriver: run .ci/browser to install them", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rashomon(*args: str) -> list[str]:
    """The installed console script (what a user runs), or the module when it is not on PATH."""
    exe = shutil.which("rashomon")
    return [exe, *args] if exe else [sys.executable, "-m", "rashomon.cli", *args]


def _wait_until_up(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read().decode("utf-8", "replace")[-2000:] if proc.stderr else ""
            raise RuntimeError(f"rashomon serve exited with {proc.returncode}: {err}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"rashomon serve did not answer on {url}")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of ``rashomon serve`` over a store filled by ``rashomon demo``."""
    out = tmp_path_factory.mktemp("browser-demo")
    demo = subprocess.run(_rashomon("demo", "--out", str(out), "--quiet"), check=False, capture_output=True,
                          text=True)
    if demo.returncode != 0:
        pytest.fail(f"rashomon demo failed ({demo.returncode}): {demo.stderr[-2000:]}")
    port = _free_port()
    proc = subprocess.Popen(_rashomon("serve", "--db", str(out / "rashomon.db"), "--host", "127.0.0.1",
                                      "--port", str(port)), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base + "/", proc)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def driver() -> Iterator[WebDriver]:
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    opts = Options()
    opts.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000", "--force-prefers-reduced-motion"):
        opts.add_argument(arg)
    drv = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=opts)
    drv.implicitly_wait(2)
    try:
        yield drv
    finally:
        drv.quit()


@pytest.fixture()
def shot(driver: WebDriver, request: pytest.FixtureRequest) -> Iterator[Callable[[str], Path]]:
    """``shot(name)`` saves a screenshot to test-artifacts/; one is also taken when the test ends."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        driver.save_screenshot(str(path))
        return path

    yield take
    take("end")
