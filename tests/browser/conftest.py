"""Real-browser fixtures: `streamlit run app/Home.py` on a free loopback port, driven by
Playwright through Debian's Chromium (never a downloaded browser). Screenshots go to
tests/screenshots/ (git-ignored); interaction timings to tests/screenshots/timings.json."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "tests" / "screenshots"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
START_TIMEOUT = 60.0   # seconds for the server to answer /_stcore/health
WAIT_MS = 30_000       # bounded wait for any rendered text
VIEWPORT = {"width": 1440, "height": 1000}


def chromium_path() -> str | None:
    for candidate in (os.environ.get("PLANGRAPH_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(name: str, extra_env: dict[str, str]):
    """`streamlit run app/Home.py` on a free loopback port (its log in tests/screenshots/), yielding
    its URL; stopped at teardown."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "PLANGRAPH_ENDPOINT"} | extra_env
    log = (SHOTS.mkdir(parents=True, exist_ok=True), open(SHOTS / f"{name}.log", "w"))[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app" / "Home.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"streamlit exited with code {proc.returncode}; see {SHOTS / (name + '.log')}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not answer on {url} within {START_TIMEOUT:.0f} s")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def app_url():
    """The app served by `streamlit run` on a loopback port, stopped at teardown."""
    yield from _serve("streamlit-server", {})


@pytest.fixture(scope="session")
def national_url():
    """The app laid out as for thousands of wards (province first, one ward by default,
    national figures from background jobs), on the five plans."""
    yield from _serve("streamlit-server-national", {"PLANGRAPH_APP_MANY_WARDS": "2"})


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        pytest.fail("Debian's Chromium is missing: run `make system-deps` (apt-get install chromium); "
                    "the browser tests never download a browser")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="session")
def timings():
    """Interaction timings (ms), written to tests/screenshots/timings.json at the end."""
    data: dict[str, float] = {}
    yield data
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "timings.json").write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


_TIMER_JS = """(text) => {
  const t = window.__pgTimer = {start: null, end: null};
  const begin = () => { if (t.start === null) t.start = performance.now(); };
  document.addEventListener('pointerdown', begin, {capture: true, once: true});
  document.addEventListener('keydown', begin, {capture: true, once: true});
  const seen = () => t.start !== null && t.end === null && document.body.textContent.includes(text);
  const obs = new MutationObserver(() => { if (seen()) { t.end = performance.now(); obs.disconnect(); } });
  obs.observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


class App:
    """One browser tab on the app, with the few moves the tests need."""

    def __init__(self, page, base: str, timings: dict[str, float]) -> None:
        self.page = page
        self.base = base
        self.timings = timings

    # -- navigation and waiting
    def goto(self, path: str = "", title: str | None = None) -> None:
        self.page.goto(f"{self.base}/{path}")
        self.heading(title) if title else self.page.locator("h1").first.wait_for(timeout=WAIT_MS)
        self.idle()

    def idle(self) -> None:
        """Wait until the script run is over (no "running" status), bounded."""
        self.page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=WAIT_MS)
        self.page.wait_for_timeout(300)

    def see(self, text: str, exact: bool = False):
        loc = self.page.get_by_text(text, exact=exact).first
        loc.wait_for(state="visible", timeout=WAIT_MS)
        return loc

    def cell(self, text: str):
        """A table cell (tables draw on a canvas; their accessible copy holds the text)."""
        loc = self.page.locator('[data-testid="stDataFrame"] [role="gridcell"]').filter(has_text=text).first
        loc.wait_for(state="attached", timeout=WAIT_MS)
        return loc

    def heading(self, text: str):
        loc = self.page.locator("h1, h2, h3").filter(has_text=text).first
        loc.wait_for(state="visible", timeout=WAIT_MS)
        return loc

    def timed(self, name: str, action, then_text: str) -> float:
        """Do `action`, wait for `then_text`; record the milliseconds from the committing
        click or key press (the action returns a callable doing it) to the text in the page.

        Measured inside the page (a pointer/key listener and a MutationObserver), so the
        figure is what the user sees, not Playwright's polling."""
        commit = action()
        assert not self.page.evaluate("(text) => document.body.textContent.includes(text)", then_text), \
            f"{then_text!r} is on the page before the interaction: it cannot time it"
        self.page.evaluate(_TIMER_JS, then_text)
        if callable(commit):
            commit()
        self.see(then_text)
        self.page.wait_for_function("() => window.__pgTimer.end !== null", timeout=WAIT_MS)
        ms = self.page.evaluate("() => window.__pgTimer.end - window.__pgTimer.start")
        self.timings[name] = round(ms, 1)
        self.idle()
        return ms

    # -- widgets
    def select(self, label: str, option: str, defer: bool = False):
        """Pick an option of a selectbox: open it, type the option's start, click the option
        (with `defer`, return the click for `timed` to time)."""
        box = self.page.get_by_role("combobox", name=label, exact=True).first
        box.wait_for(state="visible", timeout=WAIT_MS)
        box.scroll_into_view_if_needed()
        for _attempt in range(3):
            box.click()
            box.fill(option[:12])
            choice = self.page.get_by_role("option", name=option, exact=True).first
            try:
                choice.wait_for(state="visible", timeout=5_000)
            except Exception:  # noqa: BLE001 - the list closed under a rerun: open it again
                self.page.keyboard.press("Escape")
                continue
            return choice.click if defer else choice.click()
        raise AssertionError(f"option {option!r} of {label!r} never showed")

    def type(self, label: str, text: str, defer: bool = False):
        field = self.page.get_by_role("textbox", name=label).first
        field.fill(text)
        press = lambda: field.press("Enter")  # noqa: E731
        return press if defer else press()

    def radio(self, label: str, defer: bool = False):
        option = self.page.locator('[data-testid="stRadio"] label').get_by_text(label, exact=True).first
        option.wait_for(state="visible", timeout=WAIT_MS)
        return option.click if defer else option.click()

    def click_row(self, table: int, row: int) -> None:
        """Tick a row of the n-th dataframe (rows are drawn on a canvas: click by position)."""
        grid = self.page.locator('[data-testid="stDataFrame"]').nth(table)
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()
        self.page.mouse.click(box["x"] + 18, box["y"] + 35 + 35 * row + 17)

    def shot(self, name: str) -> Path:
        """A screenshot of the whole page (the main area scrolls: grow the viewport to it)."""
        SHOTS.mkdir(parents=True, exist_ok=True)
        height = self.page.evaluate(
            "() => { const m = document.querySelector('[data-testid=\"stMain\"]'); return m ? m.scrollHeight : 1000 }")
        self.page.set_viewport_size({"width": VIEWPORT["width"], "height": min(int(height) + 40, 9000)})
        self.page.wait_for_timeout(800)
        path = SHOTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        self.page.set_viewport_size(VIEWPORT)
        return path

    def no_exception(self) -> None:
        assert self.page.locator('[data-testid="stException"]').count() == 0
        errors = self.page.locator('[data-testid="stMain"] [data-testid="stAlertContentError"]').all_inner_texts()
        assert not errors, errors

    def no_raw_iri(self) -> None:
        """No identifier in the visible text (tables are canvases; their accessible copy is checked too)."""
        text = self.page.locator('[data-testid="stMain"]').inner_text()
        shown = [line for line in text.splitlines() if "w3id.org/plangraph/id/" in line and "Liên kết" not in line
                 and "Permalink" not in line]
        assert not shown, shown[:3]


def _tab(browser, url: str, timings: dict[str, float]):
    context = browser.new_context(viewport=VIEWPORT, locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    yield App(page, url, timings)
    context.close()


@pytest.fixture
def app(browser, app_url, timings):
    yield from _tab(browser, app_url, timings)


@pytest.fixture
def national_app(browser, national_url, timings):
    yield from _tab(browser, national_url, timings)
