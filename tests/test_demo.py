"""The Safe City demo archive: real content, loaded through the importer, idempotent."""

import json
from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from records.management.commands.demo import DEMO_FILE
from records.models import (
    Actor,
    CountBasis,
    Deployment,
    FOIRequest,
    FOIStatus,
    Kind,
    Language,
    Link,
    Question,
    QuestionLink,
    QuestionState,
    Record,
    Revision,
    Role,
)
from tests.test_questions import text_of

pytestmark = pytest.mark.django_db

# Every test that reads the demo takes it from the ``demo_archive`` fixture (tests/conftest.py):
# loaded once for this module, each test's changes undone after it.


def _demo(*args):
    out = StringIO()
    call_command("demo", "--no-serve", *args, stdout=out)
    return out.getvalue()


def test_demo_loads_the_safe_city_archive_with_every_kind_and_language(demo_archive):
    output = demo_archive
    assert Record.objects.published().count() >= 30
    kinds = Counter(Record.objects.values_list("kind", flat=True))
    assert set(kinds) == set(Kind.values)
    languages = Counter(Record.objects.values_list("language", flat=True))
    assert set(languages) == set(Language.values)
    assert Link.objects.count() >= 25
    assert len(set(Link.objects.values_list("relation", flat=True))) >= 5
    assert "created" in output


def test_demo_twice_loads_nothing_twice(demo_archive):
    counts = (Record.objects.count(), Link.objects.count(), Revision.objects.count())
    output = _demo()
    assert (Record.objects.count(), Link.objects.count(), Revision.objects.count()) == counts
    assert "0 created, 0 updated" in output


def test_demo_prints_working_editor_credentials(demo_archive):
    output = demo_archive
    line = next(line for line in output.splitlines() if "Editor account" in line)
    password = line.split("password '")[1].split("'")[0]
    # Through the log-in stack (django-axes wants the request it guards).
    user = authenticate(
        RequestFactory().post("/admin/login/"), username="editor", password=password
    )
    assert user is not None and user.is_staff
    assert user.has_perm("records.publish_record")


def test_demo_records_have_sources_and_examples_are_labelled():
    lines = [json.loads(line) for line in DEMO_FILE.read_text(encoding="utf-8").splitlines()]
    for data in lines:
        tags = {tag if isinstance(tag, str) else tag["name"] for tag in data["tags"]}
        if "example" in tags:
            assert "xample" in data["body"] or "rimer" in data["body"] or "ример" in data["body"]
        else:
            assert (
                data["source_url"]
                or "press release" in data["body"].lower()
                or ("саопштењ" in data["body"] or "saopštenj" in data["body"])
            ), data["id"]


def test_demo_record_page_links_commissioner_opinion_to_mup_dpia(client, demo_archive):
    opinion = Record.objects.get(public_id="2020-05-commissioner-opinion-second-dpia")
    page = client.get(opinion.get_absolute_url()).content.decode()
    assert "Contradicts" in page
    assert "MUP" in page


def test_demo_has_the_sourced_belgrade_camera_figures_on_the_map(client, demo_archive):
    mup, huawei = "Ministarstvo unutrašnjih poslova (MUP)", "Huawei Technologies Co., Ltd."
    deployments = Deployment.objects.published().prefetch_related("actor_roles__actor")
    figures = {
        (d.device_count, d.count_basis): (
            {ra.actor.name for ra in d.actor_roles.all() if ra.role == Role.OPERATOR},
            {ra.actor.name for ra in d.actor_roles.all() if ra.role == Role.VENDOR},
        )
        for d in deployments
    }
    # Who runs the test cameras and the volunteers' 689, the sources do not say.
    assert figures == {
        (9, CountBasis.REPORTED): (set(), {huawei}),  # Huawei's test cameras, 5 sites
        (47, CountBasis.REPORTED): ({mup}, set()),  # new fixed cameras, 2018 inspection
        (1000, CountBasis.ANNOUNCED): ({mup}, {huawei}),  # January 2019
        (689, CountBasis.VERIFIED): (set(), set()),  # volunteers, mid-2020
        (8100, CountBasis.PLANNED): ({mup}, {huawei}),  # 2020 and 2021 sources
    }
    for d in deployments:
        # City-wide figures stand on the city centre, and each record says so.
        assert (d.latitude, d.longitude) == (Decimal("44.8125"), Decimal("20.4612")), d.public_id
        assert "city" in d.summary or "grad" in d.summary, d.public_id
        assert d.source_url and d.outgoing_links.exists(), d.public_id
    features = client.get("/map/deployments.geojson").json()["features"]
    assert len(features) == 5


# The demo's public bodies and FOI requests


def test_the_demo_archive_marks_the_exempt_bodies_and_the_refused_share_request(demo_archive):
    assert not Actor.objects.get(name="Vlada Republike Srbije").appeals_to_commissioner
    share = FOIRequest.objects.get(public_id="2019-share-foi-request-mup-safe-city")
    assert share.foi_status == FOIStatus.REFUSED


# The demo's seven questions


def test_the_demo_loads_the_seven_questions_of_the_seed_paper_honestly(client, demo_archive):
    output = demo_archive
    assert "Open questions (questions.json): 7 created" in output
    states = {q.slug: q.state for q in Question.objects.published()}
    assert list(states) == [
        "where-is-the-data-stored",
        "who-processes-the-data",
        "what-protects-against-misuse",
        "where-are-the-cameras",
        "how-many-cameras",
        "what-does-each-camera-do",
        "legal-basis",
    ]
    assert states["where-is-the-data-stored"] == QuestionState.OPEN
    assert states["how-many-cameras"] == QuestionState.ANSWERED_IN_PART
    assert states["legal-basis"] == QuestionState.ANSWERED_IN_PART
    assert QuestionState.ANSWERED not in states.values()
    for question in Question.objects.all():
        assert question.title_sr and question.title_en
        assert question.description_sr and question.description_en
    stored = text_of(client.get("/questions/where-is-the-data-stored/"))
    # The sample request tagged "example" asks it too, but is no real request (#13).
    assert "Asked in 1 FOI request; 1 was refused;" in stored
    assert "not been sent" not in stored
    assert "SHARE Foundation's FOI request to the Ministry of Interior on Safe City" in stored
    legal = text_of(client.get("/questions/legal-basis/"))
    assert "Poverenik: ni druga procena uticaja MUP-a nije u skladu sa zakonom" in legal
    assert "There is no adequate legal basis for biometric identification." in legal
    # The figures disagree, and the page shows each with what it is (deployment records).
    many = text_of(client.get("/questions/how-many-cameras/"))
    assert "12 published records answer it in part; none answers it in full." in many
    for figure in ["1,000 devices (announced)", "8,100 devices (planned)"]:
        assert figure in many
    assert "689 devices (verified independently)" in many
    cyrillic = text_of(client.get("/sr/questions/"))
    assert "Где се чувају подаци са камера?" in cyrillic
    refusal = client.get("/r/2019-share-foi-request-mup-safe-city/").content.decode()
    assert refusal.count('href="/questions/') >= 5  # it asks most of them


def test_the_demo_loads_the_questions_once(client, demo_archive):
    links = sorted(QuestionLink.objects.values_list("question__slug", "record_id", "relation"))
    output = _demo()
    assert "Open questions (questions.json): 0 created, 0 updated, 7 unchanged" in output
    assert Question.objects.count() == 7
    assert (
        sorted(QuestionLink.objects.values_list("question__slug", "record_id", "relation")) == links
    )
