"""/api/docs/ in a real browser: Swagger UI renders the schema's operations under the
site's strict Content Security Policy, with no violation and nothing from another host."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser import SKIP_REASON, chromium_path
from tests.factories import DocumentFactory

if chromium_path() is None:
    pytest.skip(SKIP_REASON, allow_module_level=True)

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_render_under_the_csp_from_this_host_only(page, live_server):
    DocumentFactory(public_id="cameras", title="Cameras")
    problems, hosts = [], set()
    page.on(
        "console",
        lambda message: message.type == "error" and problems.append(message.text),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.goto("/api/docs/")
    expect(page).to_have_title("API documentation · Nadzor")
    # The operations, read from /api/schema/ by the bundle started from js/api-docs.js.
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert {"/api/records/", "/api/records/{public_id}/", "/api/export.jsonl"} <= {
        path.replace("\u200b", "") for path in paths
    }
    # Try the list from the page: the request goes to this host and answers 200.
    page.locator(".opblock-summary-path", has_text="/api/records/").first.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    live_status = page.locator(".live-responses-table tr.response .response-col_status").first
    expect(live_status).to_have_text("200")
    assert hosts == {urlsplit(live_server.url).netloc}, hosts
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
    assert not problems, problems
