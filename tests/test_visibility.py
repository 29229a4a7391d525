"""Only published records are ever visible to the public, on every path."""

import json

import pytest

from records.models import Record, Status
from tests.factories import safe_city_graph

pytestmark = pytest.mark.django_db

SECRET = "Unpublished leak"


@pytest.fixture
def graph():
    return safe_city_graph()


def test_published_is_the_only_public_queryset_rule(graph):
    assert set(Record.objects.published().values_list("public_id", flat=True)) == {
        "minister-1000-cameras",
        "commissioner-opinion",
        "share-analysis",
    }


@pytest.mark.parametrize("status", [Status.DRAFT, Status.REVIEW])
def test_unpublished_record_page_is_404_for_the_public(client, graph, status):
    Record.objects.filter(public_id="secret-draft").update(status=status)
    assert client.get("/r/secret-draft/").status_code == 404
    assert client.get("/sr/r/secret-draft/").status_code == 404
    assert client.get("/api/records/secret-draft/").status_code == 404


def test_unpublished_record_page_is_404_for_a_logged_in_non_staff_user(client, graph):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get("/r/secret-draft/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/records/",
        "/records/?kind=document",
        "/timeline/",
        "/actors/",
        "/tags/",
        "/tags/cameras/",
        "/r/minister-1000-cameras/",
        "/r/share-analysis/",
        "/api/records/",
        "/api/records/share-analysis/",
        "/api/records/minister-1000-cameras/",
        "/api/export.jsonl",
    ],
)
def test_no_public_path_reveals_an_unpublished_record(client, graph, url):
    response = client.get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert SECRET.encode() not in body
    assert b"secret-draft" not in body


def test_counts_on_home_and_api_leave_drafts_out(client, graph):
    assert "3 published records" in client.get("/").content.decode()
    assert json.loads(client.get("/api/records/").content)["count"] == 3


def test_unpublishing_removes_a_record_from_every_public_path(client, editor, graph):
    from records.records.services import unpublish_records

    unpublish_records(records=[graph["opinion"]], user=editor)
    assert client.get("/r/commissioner-opinion/").status_code == 404
    assert b"Commissioner" not in client.get("/records/").content
    assert b"commissioner-opinion" not in client.get("/r/share-analysis/").content


@pytest.fixture
def draft_only_names(db):
    from records.models import ActorKind, Role
    from tests.factories import ActorFactory, DocumentFactory

    actor = ActorFactory(name="Secret Actor", kind=ActorKind.PERSON)
    DocumentFactory(status=Status.DRAFT, actors=[(actor, Role.SUBJECT)], tags=["secrettag"])
    DocumentFactory(title="Public record")
    return actor


def test_actors_and_tags_only_on_drafts_are_not_offered_as_filters(client, draft_only_names):
    page = client.get("/records/").content.decode()
    assert "Secret Actor" not in page and "secrettag" not in page
    assert client.get(f"/api/records/?actor={draft_only_names.slug}").status_code == 400


def test_actor_and_tag_pages_of_draft_only_names_are_404(client, draft_only_names):
    assert client.get(draft_only_names.get_absolute_url()).status_code == 404
    assert client.get("/tags/secrettag/").status_code == 404


def test_an_embargoed_request_is_invisible_on_every_public_path(client):
    """Pages, lists, body statistics, search and facets, the API, feeds, the export and
    file downloads: none shows an embargoed request or its files to the public."""
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone

    from records.files.storage import attach
    from records.models import Status
    from tests.foi_helpers import sent_request
    from tests.samples import text_pdf

    foi = sent_request(
        title="Tajni zahtev embargo", embargo_until=timezone.localdate() + timedelta(days=30)
    )
    assert foi.status == Status.EMBARGOED
    import io

    attachment = attach(foi, io.BytesIO(text_pdf(["embargo prilog"])), name="prilog.pdf")
    body = foi.public_body
    paths = [
        foi.get_absolute_url(),
        attachment.get_absolute_url(),
        reverse("foi:request-feed", args=[foi.public_id]),
        reverse("foi:appeal", args=[foi.public_id]),
    ]
    for path in paths:
        assert client.get(path).status_code in (302, 404), path
    for path in (
        reverse("foi:request-list"),
        reverse("foi:overdue"),
        body.get_body_url(),
        reverse("foi:body-feed", args=[body.slug]),
        reverse("records:record-list"),
        reverse("records:search") + "?q=embargo",
        reverse("records:search") + "?q=embargo&format=atom",
        "/api/records/?q=embargo",
        "/api/records/",
        "/api/export.jsonl",
    ):
        response = client.get(path)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"Tajni zahtev" not in content and foi.public_id.encode() not in content, path
    assert client.get(f"/api/records/{foi.public_id}/").status_code == 404
    facets = client.get("/api/records/?q=zahtev").json().get("facets", {})
    assert "foi_request" not in str(facets.get("kind", ""))
