"""Any list or search of records as CSV, and actors' names and tags' labels through the
admin and a round trip of export and import."""

import csv
import io
import json

import pytest
from django.utils.translation import override

from records.models import Actor, Record, Status, Tag
from records.records.services import export_jsonl, import_jsonl
from tests.factories import ActorFactory, DocumentFactory, StatementFactory

pytestmark = pytest.mark.django_db


def _rows(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="nadzor-records.csv"'
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_csv_has_the_lists_filters_and_the_same_columns_in_every_language(client):
    mup = ActorFactory(name="Ministarstvo unutrašnjih poslova")
    statement = StatementFactory(public_id="izjava", title="Kamere", date="2019-02-09")
    statement.actor_roles.create(actor=mup, role="speaker")
    DocumentFactory(public_id="dokument", title="Zakon")
    DocumentFactory(public_id="nacrt", title="Draft", status=Status.DRAFT)
    with override("en"):
        url = "/records/export.csv"
    english = _rows(client.get(url, {"kind": "statement"}))
    cyrillic = _rows(client.get("/sr" + url, {"kind": "statement"}))
    # The same columns and values; only the permalink opens in the reader's language.
    assert english[0].keys() == cyrillic[0].keys()
    assert [{**r, "url": ""} for r in english] == [{**r, "url": ""} for r in cyrillic]
    assert cyrillic[0]["url"] == "http://testserver/sr/r/izjava/"
    (row,) = english
    assert row["id"] == "izjava" and row["kind"] == "statement" and row["date"] == "2019-02-09"
    assert row["actors"] == "Ministarstvo unutrašnjih poslova (speaker)"
    assert row["url"] == "http://testserver/r/izjava/"
    everything = {row["id"] for row in _rows(client.get(url))}
    assert everything == {"izjava", "dokument"}  # never a draft


def test_a_search_exports_its_matches(client):
    DocumentFactory(public_id="kamere", title="Kamere u Beogradu")
    DocumentFactory(public_id="zakon", title="Zakon o policiji")
    assert [row["id"] for row in _rows(client.get("/records/export.csv", {"q": "kamere"}))] == [
        "kamere"
    ]


def test_cells_a_spreadsheet_would_run_are_made_text(client):
    DocumentFactory(public_id="formula", title='=HYPERLINK("http://evil")', summary="+1")
    (row,) = _rows(client.get("/records/export.csv"))
    assert row["title"] == '\'=HYPERLINK("http://evil")' and row["summary"] == "'+1"


def test_bad_filters_are_refused_with_a_message(client):
    response = client.get("/records/export.csv", {"date_from": "yesterday"})
    assert response.status_code == 400 and b"date_from" in response.content


def test_the_export_streams_in_chunks(client):
    for n in range(30):
        DocumentFactory(public_id=f"d{n:02d}")
    response = client.get("/records/export.csv")
    assert response.streaming  # written row by row, never held whole
    assert len(_rows(response)) == 30


def test_names_and_labels_survive_a_round_trip_unchanged():
    actor = ActorFactory(name="Ministarstvo unutrašnjih poslova")
    actor.name_en, actor.short_name = "Ministry of Interior", "MUP"
    actor.save()
    tag = Tag.objects.create(name="cameras", label_sr="камере", label_en="cameras")
    record = DocumentFactory(public_id="r1")
    record.actor_roles.create(actor=actor, role="author")
    record.tags.add(tag)
    exported = "".join(export_jsonl(Record.objects.all()))
    data = json.loads(exported)
    assert data["actors"][0] | {} == {
        "name": "Ministarstvo unutrašnjih poslova",
        "kind": actor.kind,
        "role": "author",
        "name_sr": "Ministarstvo unutrašnjih poslova",
        "name_en": "Ministry of Interior",
        "short_name": "MUP",
    }
    assert data["tags"] == [{"name": "cameras", "label_sr": "камере", "label_en": "cameras"}]
    result = import_jsonl(exported.splitlines())
    assert result.unchanged == ["r1"]
    assert "".join(export_jsonl(Record.objects.all())) == exported
    # Into an empty archive, the names and labels come back as they were.
    Record.objects.all().delete()
    Actor.objects.all().delete()
    Tag.objects.all().delete()
    import_jsonl(exported.splitlines())
    assert "".join(export_jsonl(Record.objects.all())) == exported
    assert Actor.objects.get().name_en == "Ministry of Interior"


def test_editors_set_an_actors_names_in_the_admin(editor_client):
    actor = ActorFactory(name="EDRi")
    assert actor.name_unchecked  # its language could not be told from the name
    listing = editor_client.get("/admin/records/actor/", {"name_unchecked__exact": "1"})
    assert "EDRi" in listing.content.decode()
    response = editor_client.post(
        f"/admin/records/actor/{actor.pk}/change/",
        {
            "name_sr": "",
            "name_en": "European Digital Rights",
            "short_name": "EDRi",
            "kind": actor.kind,
            "slug": actor.slug,
            "appeals_to_commissioner": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    actor.refresh_from_db()
    assert (actor.name_en, actor.short_name, actor.name_unchecked) == (
        "European Digital Rights",
        "EDRi",
        False,
    )
    refused = editor_client.post(
        f"/admin/records/actor/{actor.pk}/change/",
        {"name_sr": "", "name_en": "", "kind": actor.kind, "slug": actor.slug},
    )
    assert (
        refused.status_code == 200 and "Give the actor a Serbian name" in refused.content.decode()
    )
