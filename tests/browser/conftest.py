"""Browser fixtures: Chromium driven by Playwright's sync API, against pytest-django's
``live_server`` (the app in a thread of this process, so ``django.core.mail.outbox`` and
the database are shared with the test)."""

import importlib
import os
import pkgutil
import re
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission

import records.migrations
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
def browser_locale():
    """The browser's language (navigator.language, Accept-Language, how native date fields
    read); a test module may override this fixture."""
    return "en-US"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so ``page`` knows whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(request, browser, live_server, browser_locale):
    """A fresh browser context (no cookies) in ``browser_locale``, with the live server as
    base URL. If the test fails, the page as it was is saved as FAILED-<test>.png in the
    artifacts folder."""
    context = browser.new_context(
        base_url=live_server.url, locale=browser_locale, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(20_000)  # shared CI machines are slow, not wrong
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        name = re.sub(r"[^\w.\[\]-]+", "-", request.node.name)
        page.screenshot(path=str(artifacts_folder() / f"FAILED-{name}.png"), full_page=True)
    context.close()


def artifacts_folder():
    """Where screenshots go: ``NADZOR_ARTIFACTS``, else $TMPDIR/nadzor-journey/ (never the
    repository), created if missing."""
    folder = Path(
        os.environ.get("NADZOR_ARTIFACTS") or Path(tempfile.gettempdir()) / "nadzor-journey"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def screenshot(page):
    """``screenshot("name")`` saves a full-page PNG of ``page`` as ``name.png`` in the
    artifacts folder (see ``artifacts_folder``), for people to look at; returns its path."""
    folder = artifacts_folder()

    def take(name):
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def editorial_groups(transactional_db):
    """The Editors and Contributors groups, with the permissions the migrations give them.

    The live server's tests flush the database after each test, which also empties what
    data migrations made; this makes the groups again from the migrations' own lists (the
    first one's ``EDITORS`` / ``CONTRIBUTORS``, then each later one's ``GRANTS``)."""
    first = importlib.import_module("records.migrations.0002_editor_and_contributor_groups")
    grants = {"Editors": set(first.EDITORS), "Contributors": set(first.CONTRIBUTORS)}
    for module in pkgutil.iter_modules(records.migrations.__path__):
        if module.name[:4].isdigit():
            migration = importlib.import_module(f"records.migrations.{module.name}")
            for name, codenames in getattr(migration, "GRANTS", {}).items():
                grants.setdefault(name, set()).update(codenames)
    for name, codenames in grants.items():
        permissions = Permission.objects.filter(
            content_type__app_label="records", codename__in=codenames
        )
        assert permissions.count() == len(codenames), f"{name}: permissions missing"
        Group.objects.get_or_create(name=name)[0].permissions.add(*permissions)
