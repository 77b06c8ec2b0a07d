"""Browser fixtures: the test app on a real HTTP server, driven by Debian's Chromium.

``live_server`` serves the per-test ``app`` from the root conftest (so the same fresh
database, SQLite or PostgreSQL with ``TEST_DATABASE_URL``) on 127.0.0.1 at a free port,
in a background thread. ``browser`` is one headless Chromium for the whole session;
``page`` is a new context and page per test. Every browser test is skipped, with the
reason, when Chromium is not installed; nothing else skips them.

``CHROMIUM_PATH`` points at another Chromium binary. ``ATTRACT_SCREENSHOTS=1`` makes the
``screenshot`` fixture save PNGs into ``tests/browser/screenshots/`` (git-ignored).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import make_server

from tests.helpers import PASSWORD

# werkzeug's development server, in its own thread, leaves a static file unclosed when
# Chromium drops the connection mid-response (it cancels a favicon or stylesheet fetch on
# navigation); the ResourceWarning surfaces in whichever test runs next and, with
# warnings as errors, fails it. Only those two, only here: our own responses and files
# are still held to the rule everywhere else.
DEV_SERVER_NOISE = (
    "ignore:Exception ignored in. <_io.FileIO name='[^']*/static/"
    ":pytest.PytestUnraisableExceptionWarning",
    "ignore:unclosed file <_io.BufferedReader name='[^']*/static/:ResourceWarning",
)


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            for rule in DEV_SERVER_NOISE:
                item.add_marker(pytest.mark.filterwarnings(rule))

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 10_000


@dataclass(frozen=True)
class LiveServer:
    url: str

    def __call__(self, path: str = "/") -> str:
        """The absolute URL of ``path`` on this server."""
        return self.url + path


@pytest.fixture
def live_server(app) -> Iterator[LiveServer]:
    """The test app served over HTTP on 127.0.0.1 and a free port, for one test."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session; skips (with how to install) when it is absent."""
    if not Path(CHROMIUM_PATH).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM_PATH}: install it with "
                    "`apt-get install chromium`, or set CHROMIUM_PATH to a Chromium binary")

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


@pytest.fixture
def new_page(browser, live_server):
    """Factory: ``new_page(viewport=None)`` a page in a fresh context (own cookies)."""
    contexts = []

    def make(viewport: dict | None = None):
        options = {"base_url": live_server.url, "locale": "en-GB"}
        if viewport:
            options["viewport"] = viewport
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A page at the default 1280x720 viewport, in a context of its own."""
    return new_page()


@pytest.fixture
def screenshot():
    """``screenshot(page, name)`` saves ``screenshots/<name>.png`` when ATTRACT_SCREENSHOTS=1."""
    def save(page, name: str, full_page: bool = True) -> None:
        if os.environ.get("ATTRACT_SCREENSHOTS") == "1":
            SCREENSHOTS.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)

    return save


@pytest.fixture
def sign_in_page():
    """``sign_in_page(page, email)``: sign in through the form, as a person would."""

    def sign_in(page, email: str, password: str = PASSWORD) -> None:
        page.goto("/auth/sign-in")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password", exact=True).fill(password)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("status")).to_contain_text("You are signed in.")

    return sign_in


@pytest.fixture
def learner_page(new_page, make_user, sign_in_page):
    """Factory: ``learner_page(viewport=None, email=None)`` a new learner, signed in by the form.

    Returns the page (in a fresh context of its own), on the page the sign-in leads to.
    An ``email`` already made with ``make_user`` (password ``tests.conftest.PASSWORD``)
    signs that learner in instead of making a new one.
    """

    counter = iter(range(1, 10_000))

    def make(viewport: dict | None = None, email: str | None = None,
             name: str = "Quinn Learner"):
        if email is None:
            email = f"quiz-learner{next(counter)}@example.com"
            make_user(email=email, name=name, password=PASSWORD)
        page = new_page(viewport)
        sign_in_page(page, email)
        return page

    return make
