"""The public pages and the FOI forms have no axe-core violations of WCAG 2.2 A/AA (nor of
axe-core's best practices: heading order, landmarks), in all three interface languages, as
Chromium renders them (1280 px wide, and 360 px for the pages marked ``phone``, which must
also not scroll sideways); and keyboard users get a skip link first and a visible, readable
focus.

axe-core comes from the npm registry (node_modules/axe-core, installed by ``npm ci``).
It is injected with ``page.evaluate`` of its source: Playwright evaluates through the
DevTools protocol, which the page's Content-Security-Policy does not govern, so the page is
checked exactly as served, strict CSP included. (``add_script_tag`` would insert an inline
script the CSP blocks, and ``bypass_csp`` would switch the CSP off for the page, letting
through inline styles the real page never gets, which changes what is checked.)

Where axe-core or Chromium is missing the tests skip, unless NADZOR_REQUIRE_AXE=1 (as
.ci/run sets), where they fail: CI must not pass by skipping them.
"""

import os

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.browser import SKIP_REASON, chromium_path
from tests.quality_pages import LANGUAGES, PAGES, build_archive

AXE = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# axe-core's best practices too: heading order, unique landmark names, one main landmark...
# (not WCAG failures by themselves, but what keeps pages navigable by headings and regions).
RULE_TAGS = [*WCAG_AA, "best-practice"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 800}

pytestmark = pytest.mark.django_db(transaction=True)


def _missing(reason):
    if os.environ.get("NADZOR_REQUIRE_AXE") == "1":
        pytest.fail(f"NADZOR_REQUIRE_AXE=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def axe_source():
    if chromium_path() is None:
        _missing(SKIP_REASON)
    if not AXE.is_file():
        _missing(f"needs axe-core: run `npm ci` in {settings.BASE_DIR} ({AXE} is missing)")
    return AXE.read_text(encoding="utf-8")


def axe_violations(page, axe_source):
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source)
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {
                runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]
            });
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                tags: v.tags.filter((tag) => tag.startsWith("wcag") || tag === "best-practice"),
                nodes: v.nodes.map((n) => ({
                    target: n.target.join(" "), summary: n.failureSummary,
                })),
            }));
        }""",
        RULE_TAGS,
    )


def describe(where, violations):
    lines = []
    for violation in violations:
        tags = ", ".join(violation["tags"])
        lines.append(
            f"{where}: {violation['id']} ({violation['impact']}; {tags}): {violation['help']}"
        )
        for node in violation["nodes"][:6]:
            summary = " ".join((node["summary"] or "").split())[:300]
            lines.append(f"    {node['target']}\n        {summary}")
        if len(violation["nodes"]) > 6:
            lines.append(f"    ... and {len(violation['nodes']) - 6} more")
    return lines


def submit(page, submission, archive):
    """Fill in and send the page's form as a user would, and wait for the answer."""
    for name, value in submission.fields(archive).items():
        field = page.locator(f'#main [name="{name}"]')
        kind = field.first.evaluate("(el) => el.tagName + ':' + (el.type || '')")
        if kind.startswith("SELECT"):
            field.select_option(value)
        elif kind.endswith(":radio") or kind.endswith(":checkbox"):
            page.locator(f'#main [name="{name}"][value="{value}"]').check()
        else:
            field.fill(value)
    if submission.button:
        button = page.locator(
            f'#main button[name="{submission.button[0]}"][value="{submission.button[1]}"]'
        )
    else:
        button = page.locator('#main form[method="post"] button[type="submit"]')
    with page.expect_navigation():
        button.click()
    assert submission.shows in page.content(), f"{page.url}: the form did not answer as meant"


def session_cookie(user, url):
    """A cookie that signs the browser in as ``user`` (a member: no second factor)."""
    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": url}


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_have_no_axe_violations_of_wcag_2_2_aa_or_best_practice(
    axe_source, browser, live_server, language
):
    archive = build_archive()
    problems = []
    for signed_in in (False, True):
        context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
        context.set_default_timeout(20_000)
        if signed_in:
            context.add_cookies([session_cookie(archive.requester, live_server.url)])
        page = context.new_page()
        for quality_page in [p for p in PAGES if p.signed_in == signed_in]:
            url = quality_page.url(archive, language)
            page.set_viewport_size(DESKTOP)
            response = page.goto(url)
            assert response.ok, f"{url} answered {response.status}"
            if quality_page.submit:
                submit(page, quality_page.submit, archive)
            if quality_page.drawn:
                page.locator(quality_page.drawn).first.wait_for()
            where = f"{quality_page.name} ({url})"
            problems += describe(f"{where} at 1280 px", axe_violations(page, axe_source))
            if quality_page.phone:
                page.set_viewport_size(PHONE)
                problems += describe(f"{where} at 360 px", axe_violations(page, axe_source))
                # WCAG 1.4.10 (reflow), which axe-core leaves out: no sideways scrolling.
                overflow = page.evaluate(
                    "() => document.documentElement.scrollWidth"
                    " - document.documentElement.clientWidth"
                )
                if overflow > 1:
                    problems.append(f"{where} at 360 px: scrolls sideways by {overflow} px")
        context.close()
    assert not problems, "axe-core violations:\n" + "\n".join(problems)


# The focused element: whether it has an outline or a ring, and the contrast of its text on
# its own background where it paints one (as focused links and buttons do).
FOCUSED = """() => {
    const el = document.activeElement, style = getComputedStyle(el);
    const rgb = (c) => c.match(/[\\d.]+/g).map(Number);
    const lum = ([r, g, b]) => [r, g, b].map((v) => {
        v /= 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    }).reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
    const [fg, bg] = [rgb(style.color), rgb(style.backgroundColor)];
    const opaque = bg.length === 3 || bg[3] === 1;
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    return {
        what: el.tagName + " " + (el.textContent || el.name || "").trim().slice(0, 40),
        outlined: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
            || style.boxShadow !== "none",
        contrast: opaque && el.textContent.trim() ? (hi + 0.05) / (lo + 0.05) : null,
    };
}"""


def test_tab_from_the_top_reaches_the_skip_link_first_and_focus_is_always_visible(page, screenshot):
    build_archive()
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0 and box["width"] > 0, box
    screenshot("keyboard-skip-link")

    # Focus is outlined on every element the keyboard reaches, header to footer, and the
    # text stays readable on the focus colour (axe-core checks pages unfocused only).
    unmarked, unreadable = [], []
    for _ in range(45):
        seen = page.evaluate(FOCUSED)
        if not seen["outlined"]:
            unmarked.append(seen["what"])
        if seen["contrast"] is not None and seen["contrast"] < 4.5:
            unreadable.append(f"{seen['what']} ({seen['contrast']:.2f}:1)")
        page.keyboard.press("Tab")
    assert not unmarked, f"focus not visible on: {unmarked}"
    assert not unreadable, f"text under 4.5:1 on its focus background: {unreadable}"

    # Following the skip link takes the keyboard past the header, into the content.
    page.goto("/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('main') !== null")


def test_the_check_reports_a_field_without_a_label(axe_source, page):
    """The harness itself: axe-core runs in the page and its findings reach the report."""
    page.goto("/")
    assert axe_violations(page, axe_source) == []
    page.evaluate("() => document.querySelector('label[for=header-q]').remove()")
    page.evaluate("() => document.querySelector('#header-q').removeAttribute('placeholder')")
    report = "\n".join(describe("home", axe_violations(page, axe_source)))
    assert "home: label (critical; wcag2a, wcag412): Form elements must have labels" in report
    assert "#header-q" in report
