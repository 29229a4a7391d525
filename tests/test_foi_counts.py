"""One count of FOI requests everywhere (#13, part 5): the home page, /foi/, /charts/, a
body's page and the API agree on the demo and after a user files a request; a filed
request is public in the FOI section at once but enters the curated story (the home
page's latest, the timeline) only when an editor features it."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from records.models import Actor, FOIRequest, Kind
from tests.admin_forms import form_values
from tests.foi_helpers import requester, sent_request

pytestmark = pytest.mark.django_db

MUP = "Ministarstvo unutrašnjih poslova (MUP)"


@pytest.fixture
def demo():
    call_command("demo", "--no-serve", stdout=StringIO())


def counts(client):
    """The number of FOI requests as each place shows it."""
    home = dict((kind, n) for kind, _label, n, _est, _url in client.get("/").context["counts"])
    charts = client.get("/charts/").context["years"]
    mup = Actor.objects.get(name=MUP)
    body_page = client.get(mup.get_body_url()).context
    return {
        "home": home[Kind.FOI_REQUEST],
        "foi": client.get("/foi/").context["paginator"].count,
        "charts": dict((k, n) for k, _l, n in charts.kind_totals)[Kind.FOI_REQUEST],
        "api": client.get("/api/requests/").json()["count"],
        "body page": body_page["stats"].requests,
        "body page list": len(body_page["requests"]),
    }


def test_the_demo_shows_one_count_of_requests_everywhere(client, demo):
    # The demo holds one sent request (SHARE's, refused) and sample letters tagged
    # "example", which were never sent and are no requests.
    assert counts(client) == dict.fromkeys(
        ["home", "foi", "charts", "api", "body page", "body page list"], 1
    )
    home = client.get("/").content.decode()
    assert '<span class="count">1</span> <span class="kind kind-foi_request">' in home


def test_a_filed_request_counts_at_once_everywhere(client, demo):
    sent_request(requester(), Actor.objects.get(name=MUP), title="Koliko kamera ima?", days_ago=3)
    assert set(counts(client).values()) == {2}


def test_a_filed_request_enters_the_story_only_when_an_editor_features_it(
    client, demo, editor_client
):
    foi = sent_request(
        requester(), Actor.objects.get(name=MUP), title="Koliko kamera ima?", days_ago=3
    )
    assert "Koliko kamera ima?" in client.get("/foi/").content.decode()
    assert "Koliko kamera ima?" in client.get(foi.get_absolute_url()).content.decode()
    latest = [record.title for record in client.get("/").context["latest"]]
    assert "Koliko kamera ima?" not in latest
    assert "Koliko kamera ima?" not in client.get("/timeline/").content.decode()

    url = reverse("admin:records_foirequest_change", args=[foi.pk])
    data = form_values(editor_client, url)
    data["in_story"] = "on"
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert FOIRequest.objects.get(pk=foi.pk).in_story
    assert "Koliko kamera ima?" in [r.title for r in client.get("/").context["latest"]]
    assert "Koliko kamera ima?" in client.get("/timeline/").content.decode()
    # The featuring is in the record's history.
    change = foi.revisions.latest("created_at").changes["foi"]
    assert (change[0]["in_story"], change[1]["in_story"]) == (False, True)
