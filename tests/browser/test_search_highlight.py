"""Search highlights in a real browser: the marked box is the word, not the word and the
space beside it."""

import pytest
from playwright.sync_api import expect

from records.models import Language
from tests.browser import SKIP_REASON, chromium_path
from tests.factories import DocumentFactory

if chromium_path() is None:
    pytest.skip(SKIP_REASON, allow_module_level=True)

pytestmark = pytest.mark.django_db(transaction=True)

# The width of a <mark> beyond the width of its letters, in CSS pixels.
OVERHANG = """m => {
    const range = document.createRange();
    range.selectNodeContents(m);
    return m.getBoundingClientRect().width - range.getBoundingClientRect().width;
}"""


@pytest.mark.parametrize("prefix", ["/sr-latn", "/sr"])
def test_the_highlight_covers_the_word_and_not_the_space_after_it(page, screenshot, prefix):
    DocumentFactory(
        public_id="kamere",
        title="MUP u Beogradu: kamere zamenjene na 61 lokaciji",
        summary="Zamenio je kamere na 61 lokaciji.",
        language=Language.SR_LATN,
    )
    page.goto(f"{prefix}/search/?q=kamera")
    marks = page.locator(".search-results mark")
    expect(marks).to_have_count(2)
    expect(marks.first).to_have_text("kamere" if prefix == "/sr-latn" else "камере")
    for i in range(2):
        assert marks.nth(i).evaluate(OVERHANG) < 0.5
    screenshot(f"search-highlight{prefix.replace('/', '-')}")
