"""Headless Debian Chromium driven by Playwright against pytest-django's live server.

The browser is /usr/bin/chromium (`scripts/ensure-system-packages` installs it); Playwright
never downloads one. Every test that uses `live_server` gets a transactional
database, because the server answers from another thread with its own connection.
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from playwright.sync_api import expect, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
# No network on CI runners and no state between runs: nothing in the browser may
# try to phone home, update itself or sync.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
NARROW = {"width": 375, "height": 812}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
# Long enough for a loaded CI runner, short enough that a missing element fails fast.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="package")
def chromium():
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run `bash scripts/ensure-system-packages` (as root it installs "
            "Debian's chromium package) or `make test`, which runs it first."
        )
    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API runs an event loop in this thread, and Django refuses
        # database access from a thread with a running loop unless told it is safe.
        # It is: the loop only drives the browser. Set for the browser tests only, so
        # that no other test (or process it starts) runs with the protection off.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()


@pytest.fixture
def demo(transactional_db):
    """The demo register, committed so that the live server sees it.

    One transaction, not one commit per row: several times faster.
    """
    with transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser tab with its own cookies, in Swedish like a Malmö desktop."""
    context = chromium.new_context(viewport=DESKTOP, locale="sv-SE", base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def screenshots():
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS
