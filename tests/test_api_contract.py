"""The API keeps the contract its OpenAPI schema states, checked by schemathesis.

schemathesis reads /api/schema/ and, for every operation in it, sends generated requests
(valid and invalid parameters, hostile text) through the WSGI application, inside the
test's database transaction: published and unpublished records exist. Every response is
checked: no 5xx, a documented status code and content type, a body that validates against
the schema. The run is bounded (``max_examples`` per operation) to stay well under a minute.
"""

import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from records.models import ActorKind, Language, Relation, Role, Status
from tests.factories import (
    ActorFactory,
    DocumentFactory,
    FOIRequestFactory,
    LinkFactory,
    ResponseFactory,
    StatementFactory,
)

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def make_archive():
    """Records of every kind, published and not, with actors, tags and links."""
    ministry = ActorFactory(name="Ministarstvo unutrašnjih poslova", kind=ActorKind.PUBLIC_BODY)
    huawei = ActorFactory(name="Huawei", kind=ActorKind.COMPANY)
    statement = StatementFactory(
        public_id="minister-cameras",
        title="Minister announces 1,000 cameras",
        actors=[(ministry, Role.SPEAKER)],
        tags=["cameras"],
    )
    contract = DocumentFactory(
        public_id="huawei-contract",
        title="Ugovor o kamerama",
        body="Kamere sa prepoznavanjem lica u Beogradu.",
        language=Language.SR_LATN,
        actors=[(huawei, Role.SUBJECT), (ministry, Role.AUTHOR)],
        tags=["cameras", "contract"],
    )
    answer = ResponseFactory(public_id="share-answer", title="Одговор на уговор")
    FOIRequestFactory(public_id="foi-cameras", title="Request for the camera list")
    draft = DocumentFactory(public_id="secret-draft", title="Draft leak", status=Status.DRAFT)
    DocumentFactory(public_id="in-review", title="In review", status=Status.REVIEW)
    LinkFactory(source=contract, target=statement, relation=Relation.CONTRADICTS, note="No.")
    LinkFactory(source=answer, target=contract, relation=Relation.RESPONDS_TO)
    LinkFactory(source=answer, target=draft, relation=Relation.CITES)


# Read at collection; the schema view reads no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture
def archive(db):
    make_archive()
    # Django's test client does the same: closing the connection as a request starts or
    # ends would end the test's transaction.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_keeps_its_contract(case, archive):
    # Not "positive data acceptance": a well-formed actor or tag slug that names no actor
    # (or a date like 2019-13) is refused with a documented 400, which no schema can express.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])


def test_the_schema_covers_every_operation(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    assert set(paths) == {
        "/api/records/",
        "/api/records/{public_id}/",
        "/api/requests/",
        "/api/requests/{public_id}/",
        "/api/bodies/",
        "/api/export.jsonl",
    }
    listing = paths["/api/records/"]["get"]
    names = {parameter["name"] for parameter in listing["parameters"]}
    assert names == {
        "q",
        "kind",
        "actor",
        "tag",
        "language",
        "date_from",
        "date_to",
        "sort",
        "page",
    }
    page = client.get("/api/schema/?format=json").json()["components"]["schemas"]
    search_fields = page["PaginatedRecordList"]["properties"]
    assert {"facets", "count_is_estimate", "ranked_among", "facets_are_estimates"} <= set(
        search_fields
    )


@pytest.mark.parametrize("page", ["999", "abc", "0", "-1"])
def test_a_search_page_that_does_not_exist_is_a_404_like_the_lists(client, page):
    """Found by schemathesis: with ``q`` any ``page`` was answered, as page 1 or empty."""
    make_archive()
    response = client.get("/api/records/", {"q": "cameras", "page": page})
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}
    assert client.get("/api/records/", {"q": "cameras", "page": "1"}).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        {"q": "kamere"},
        {"q": "kamere", "sort": "-date", "tag": "cameras"},
        {"q": '"prepoznavanje lica" OR minister -leak'},
        {"kind": "document", "language": "sr-Latn"},
    ],
)
def test_searches_with_hits_and_facets_match_the_schema(archive, query):
    """Generated text seldom finds anything: these searches do, so their snippets, facets
    and counts are checked against the schema too."""
    case = schema["/api/records/"]["GET"].Case(query=query)
    response = case.call_and_validate(excluded_checks=[positive_data_acceptance])
    data = response.json()
    assert data["results"], query
    if "q" in query:
        assert data["facets"] and "snippet" in data["results"][0]


def test_the_docs_page_loads_only_files_from_this_host_and_no_inline_code(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert "script-src 'self' 'nonce-" in response["Content-Security-Policy"]
    page = response.content.decode()
    assert "<title>API documentation · Nadzor</title>" in page
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.S)
    assert len(scripts) == 2
    for attributes, code in scripts:
        assert not code.strip()
        assert re.search(r'src="/static/[^"]+\.js"', attributes), attributes
    assert "<style" not in page and " style=" not in page
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert 'data-schema-url="/api/schema/?format=json"' in page


def test_the_schema_is_served_as_openapi_3(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert response.content.startswith(b"openapi: 3.")
    assert client.get("/api/schema/?format=json").json()["info"]["title"] == "Nadzor API"
