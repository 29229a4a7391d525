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
from records.models import CountBasis, Deployment, Kind, Language, Link, Record, Revision, Role

pytestmark = pytest.mark.django_db


def _demo(*args):
    out = StringIO()
    call_command("demo", "--no-serve", *args, stdout=out)
    return out.getvalue()


def test_demo_loads_the_safe_city_archive_with_every_kind_and_language():
    output = _demo()
    assert Record.objects.published().count() >= 30
    kinds = Counter(Record.objects.values_list("kind", flat=True))
    assert set(kinds) == set(Kind.values)
    languages = Counter(Record.objects.values_list("language", flat=True))
    assert set(languages) == set(Language.values)
    assert Link.objects.count() >= 25
    assert len(set(Link.objects.values_list("relation", flat=True))) >= 5
    assert "created" in output


def test_demo_twice_loads_nothing_twice():
    _demo()
    counts = (Record.objects.count(), Link.objects.count(), Revision.objects.count())
    output = _demo()
    assert (Record.objects.count(), Link.objects.count(), Revision.objects.count()) == counts
    assert "0 created, 0 updated" in output


def test_demo_prints_working_editor_credentials():
    output = _demo()
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


def test_demo_record_page_links_commissioner_opinion_to_mup_dpia(client):
    _demo()
    opinion = Record.objects.get(public_id="2020-05-commissioner-opinion-second-dpia")
    page = client.get(opinion.get_absolute_url()).content.decode()
    assert "Contradicts" in page
    assert "MUP" in page


def test_demo_has_the_sourced_belgrade_camera_figures_on_the_map(client):
    _demo()
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
