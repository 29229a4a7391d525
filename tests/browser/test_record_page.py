"""A record page in a real browser: the sidebar's facts leave the permalink room to read,
and "Copy citation" copies the citation (a script that only adds the button: without
scripts the citation is still there to select)."""

import pytest
from playwright.sync_api import expect

from records.models import Language
from tests.browser import SKIP_REASON, chromium_path
from tests.factories import StatementFactory

if chromium_path() is None:
    pytest.skip(SKIP_REASON, allow_module_level=True)

pytestmark = pytest.mark.django_db(transaction=True)

RECORD = "2019-02-09-rebic-1000-cameras-800-locations"


def record():
    return StatementFactory(
        public_id=RECORD,
        title="Ребић: око 1.000 камера на 800 локација",
        language=Language.SR_CYRL,
    )


def lines(locator):
    """How many lines the element's text takes."""
    return locator.evaluate(
        "e => Math.round(e.getBoundingClientRect().height"
        " / parseFloat(getComputedStyle(e).lineHeight))"
    )


def test_the_permalink_in_the_sidebar_reads_in_few_long_lines(page, live_server, screenshot):
    """With the Serbian labels ("Identifikator zapisa") beside them, the values had about
    a dozen characters a line; above them, the permalink takes two lines."""
    record()
    page.goto(f"/sr-latn/r/{RECORD}/")
    permalink = page.locator(".facts a", has_text=f"/sr-latn/r/{RECORD}/")
    expect(permalink).to_be_visible()
    assert len(permalink.inner_text()) > 70
    assert lines(permalink) <= 2
    screenshot("record-sidebar-sr-Latn-1280")


def test_copy_citation_puts_the_citation_on_the_clipboard(page, live_server, screenshot):
    record()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    problems = []
    page.on("console", lambda m: m.type in ("error", "warning") and problems.append(m.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"/r/{RECORD}/")
    citation = page.locator(".cite .citation")
    expect(citation).to_contain_text("“Ребић: око 1.000 камера на 800 локација.”")
    page.get_by_role("button", name="Copy citation").click()
    expect(page.get_by_role("status")).to_have_text("Citation copied.")
    assert page.evaluate("navigator.clipboard.readText()") == citation.inner_text().strip()
    screenshot("record-citation-copied-en-1280")
    assert not problems, problems


def test_without_scripts_the_citation_is_plain_text_and_no_button_shows(browser, live_server):
    record()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"/r/{RECORD}/")
    expect(page.locator(".cite .citation")).to_contain_text("Ребић")
    expect(page.locator(".cite .citation")).to_have_css("user-select", "auto")
    expect(page.get_by_role("button", name="Copy citation")).to_have_count(0)
    context.close()
