"""Browser fixtures: Chromium driven by Playwright's sync API, against pytest-django's
``live_server`` (the app in a thread of this process, so ``django.core.mail.outbox`` and
the database are shared with the test)."""

import tempfile
from pathlib import Path

import pytest

from tests.browser import SKIP_REASON, chromium_path

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def _async_unsafe_allowed():
    """Playwright's sync API keeps an asyncio loop in the test's thread, and Django then
    refuses ORM calls made from that thread (SynchronousOnlyOperation). As
    pytest-playwright's documentation recommends, allow them, for the browser tests only:
    set before the browser starts, removed after it stops and the database is flushed."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def browser(_async_unsafe_allowed):
    executable = chromium_path()
    if executable is None:
        pytest.skip(SKIP_REASON)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(executable), headless=True, args=LAUNCH_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) in English, with the live server as base URL."""
    context = browser.new_context(
        base_url=live_server.url, locale="en-US", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(20_000)  # shared CI machines are slow, not wrong
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    """``screenshot("name")`` saves a full-page PNG to $TMPDIR/nadzor-journey/, for people
    to look at (never into the repository); returns its path."""
    folder = Path(tempfile.gettempdir()) / "nadzor-journey"
    folder.mkdir(exist_ok=True)

    def take(name):
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
