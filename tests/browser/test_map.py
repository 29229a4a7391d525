"""/map/ in a real browser: the vendored Leaflet draws one marker per place on the Natural
Earth outline, a popup lists the deployments there with links to their records, the
keyboard works, and nothing breaks the strict Content Security Policy or comes from
another host. Screenshots at 1280 and 360 px wide go to the artifacts folder."""

from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from records.models import ActorKind, CountBasis, Role, Status, Technology
from tests.browser import SKIP_REASON, chromium_path
from tests.factories import ActorFactory, DeploymentFactory

if chromium_path() is None:
    pytest.skip(SKIP_REASON, allow_module_level=True)

pytestmark = pytest.mark.django_db(transaction=True)


def deployments():
    """Two deployments at Belgrade's centre, one in Novi Sad, one unplaced and a draft."""
    mup = ActorFactory(name="Ministarstvo unutrašnjih poslova (MUP)", kind=ActorKind.PUBLIC_BODY)
    huawei = ActorFactory(name="Huawei Technologies Co., Ltd.", kind=ActorKind.COMPANY)
    centre = {"latitude": Decimal("44.8125"), "longitude": Decimal("20.4612")}
    DeploymentFactory(
        public_id="bg-1000",
        title="Belgrade: about 1,000 cameras announced",
        technology=Technology.FACE_RECOGNITION,
        device_count=1000,
        count_basis=CountBasis.ANNOUNCED,
        actors=[(mup, Role.OPERATOR), (huawei, Role.VENDOR)],
        **centre,
    )
    DeploymentFactory(
        public_id="bg-8100",
        title="Belgrade: 8,100 cameras planned",
        technology=Technology.FACE_RECOGNITION,
        device_count=8100,
        count_basis=CountBasis.PLANNED,
        actors=[(mup, Role.OPERATOR), (huawei, Role.VENDOR)],
        **centre,
    )
    DeploymentFactory(
        public_id="ns-cameras",
        title="Novi Sad: traffic cameras",
        place="Novi Sad",
        latitude=Decimal("45.2671"),
        longitude=Decimal("19.8335"),
        device_count=40,
        count_basis=CountBasis.REPORTED,
    )
    DeploymentFactory(public_id="unplaced", title="Drones", latitude=None, longitude=None)
    DeploymentFactory(
        public_id="draft-pilot",
        title="Unpublished pilot",
        status=Status.DRAFT,
        latitude=Decimal("43.3209"),
        longitude=Decimal("21.8958"),
    )


def watch(page, live_server):
    """Console errors, page errors and CSP reports, and every host a request went to."""
    problems, hosts = [], set()
    page.on("console", lambda m: m.type in ("error", "warning") and problems.append(m.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.on(
        "requestfailed",
        lambda request: problems.append(f"failed: {request.url} ({request.failure})"),
    )
    return problems, hosts


def test_the_map_shows_a_marker_per_place_and_a_popup_with_record_links(
    page, live_server, screenshot
):
    deployments()
    problems, hosts = watch(page, live_server)
    page.goto("/map/")
    expect(page).to_have_title("Map of deployments · Nadzor — surveillance transparency archive")
    markers = page.locator(".leaflet-marker-icon")
    expect(markers).to_have_count(2)  # Belgrade (2 deployments) and Novi Sad; no draft
    # The Natural Earth outline is drawn, with the note saying so.
    expect(page.locator("path.map-country-focus")).to_have_count(2)  # Serbia and Kosovo
    expect(page.locator(".map-note")).to_contain_text("No map tiles are configured")
    expect(page.locator(".map-country-label", has_text="Serbia")).to_be_visible()

    belgrade = page.get_by_role("button", name="Belgrade: 2 deployments")
    expect(belgrade).to_have_text("2")
    belgrade.click()
    popup = page.locator(".leaflet-popup")
    expect(popup).to_be_visible()
    links = popup.locator(".map-popup-list a")
    expect(links).to_have_count(2)
    expect(links.first).to_have_text("Belgrade: about 1,000 cameras announced")
    expect(links.first).to_have_attribute("href", "/r/bg-1000/")
    expect(popup).to_contain_text("1,000 (announced)")
    expect(popup).to_contain_text("8,100 (planned)")
    expect(popup).to_have_css("opacity", "1")  # faded in
    screenshot("map-1280")

    page.set_viewport_size({"width": 360, "height": 800})
    page.goto("/map/")
    expect(markers).to_have_count(2)
    page.get_by_role("button", name="Belgrade: 2 deployments").click()
    expect(popup).to_be_visible()
    expect(popup).to_have_css("opacity", "1")
    # The popup fits the phone's map (once Leaflet has panned to it).
    page.wait_for_function(
        """() => {
            const popup = document.querySelector(".leaflet-popup").getBoundingClientRect();
            const map = document.querySelector("#deployment-map").getBoundingClientRect();
            return popup.left >= map.left && popup.right <= map.right && popup.top >= map.top;
        }"""
    )
    screenshot("map-360")

    # The popup's link leads to the record, which leads back to its place on the map.
    links.first.click()
    expect(page).to_have_url(f"{live_server.url}/r/bg-1000/")
    # Loaded (its scripts too) before leaving it: a click at once aborted citation.js.
    page.wait_for_load_state("load")
    page.get_by_role("link", name="on the map").click()
    expect(page.locator(".leaflet-popup .is-target a")).to_have_text(
        "Belgrade: about 1,000 cameras announced"
    )
    expect(page.locator(".leaflet-popup .is-target a")).to_be_focused()

    assert hosts == {urlsplit(live_server.url).netloc}, hosts
    csp = [p for p in problems if "Content Security Policy" in p or "Refused" in p]
    assert not csp, csp
    assert not problems, problems


def test_the_map_works_from_the_keyboard(page, live_server):
    deployments()
    problems, _hosts = watch(page, live_server)
    page.goto("/map/")
    marker = page.get_by_role("button", name="Novi Sad: 1 deployment")
    marker.focus()
    page.keyboard.press("Enter")
    link = page.locator(".leaflet-popup .map-popup-list a")
    expect(link).to_be_focused()
    expect(link).to_have_text("Novi Sad: traffic cameras")
    page.keyboard.press("Escape")
    expect(page.locator(".leaflet-popup")).to_have_count(0)
    expect(marker).to_be_focused()
    assert not problems, problems


def test_without_scripts_the_table_is_the_whole_page(browser, live_server):
    deployments()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/map/")
    expect(page.locator(".map-figure")).to_be_hidden()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(4)
    expect(page.locator("tr#unplaced")).to_contain_text("not on the map")
    expect(page.locator("tr#bg-8100")).to_contain_text("8,100")
    context.close()
