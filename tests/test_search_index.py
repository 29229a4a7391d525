"""The index stays current with every change, and can be rebuilt from scratch."""

import io

import pytest
from django.core.management import call_command

from records.models import Record, Role, Status
from records.records.services import import_jsonl, publish_records, unpublish_records
from records.search import engine
from tests.admin_forms import form_values
from tests.factories import ActorFactory, DocumentFactory, StatementFactory, TagFactory

pytestmark = pytest.mark.django_db


def found(client, q, **params):
    response = client.get("/api/records/", {"q": q, **params})
    assert response.status_code == 200
    return [row["id"] for row in response.json()["results"]]


def test_a_new_record_is_found_at_once(client):
    DocumentFactory(public_id="new", title="Brand new evidence")
    assert found(client, "evidence") == ["new"]


def test_an_edit_replaces_the_old_words(client):
    record = DocumentFactory(public_id="edited", title="Old wording")
    record.title = "Fresh wording"
    record.save()
    assert found(client, "fresh") == ["edited"]
    assert found(client, "old") == []


def test_publishing_and_unpublishing_show_and_hide_a_record(client, editor):
    record = DocumentFactory(public_id="toggle", title="Toggled record", status=Status.DRAFT)
    assert found(client, "toggled") == []
    publish_records(records=Record.objects.filter(pk=record.pk), user=editor)
    assert found(client, "toggled") == ["toggle"]
    unpublish_records(records=Record.objects.filter(pk=record.pk), user=editor)
    assert found(client, "toggled") == []
    facets = client.get("/api/records/", {"q": "toggled"}).json()["facets"]
    assert facets == {}


def test_a_deleted_record_is_gone_from_search(client):
    record = DocumentFactory(public_id="gone", title="Deleted record")
    record.delete()
    assert found(client, "deleted") == []


def test_actors_and_tags_are_searchable_and_follow_renames(client):
    actor = ActorFactory(name="Huawei Technologies", kind="company")
    tag = TagFactory(name="facial recognition")
    record = StatementFactory(public_id="s", title="Statement", actors=[(actor, Role.SUBJECT)])
    assert found(client, "huawei") == ["s"]
    record.tags.add(tag)
    assert found(client, "facial") == ["s"]
    actor.name_en = "Hikvision"
    actor.save()
    tag.name = "video surveillance"
    tag.save()
    assert found(client, "huawei") == []
    assert found(client, "hikvision") == ["s"]
    assert found(client, "surveillance") == ["s"]
    record.tags.remove(tag)
    assert found(client, "surveillance") == []
    record.actor_roles.all().delete()
    assert found(client, "hikvision") == []


def test_the_admin_keeps_the_index_current(editor_client):
    record = DocumentFactory(public_id="via-admin", title="Before the edit")
    url = f"/admin/records/document/{record.pk}/change/"
    data = form_values(editor_client, url)
    data["title"] = ["After the edit"]
    response = editor_client.post(url, data)
    assert response.status_code == 302
    assert found(editor_client, "after") == ["via-admin"]


def test_an_import_indexes_records_with_their_actors_and_tags(client):
    line = (
        '{"id": "imported", "kind": "document", "title": "Ugovor", "language": "sr-Latn", '
        '"status": "published", "date": "2019", "tags": ["kamere"], '
        '"actors": [{"name": "Ministarstvo unutrašnjih poslova", "kind": "public_body", '
        '"role": "author"}]}'
    )
    import_jsonl([line])
    assert found(client, "ministarstvo") == ["imported"]
    assert found(client, "камере") == ["imported"]


def test_a_failed_import_leaves_the_index_as_it_was(client):
    from records.records.services import ImportFailed

    good = '{"id": "fine", "kind": "document", "title": "Fine record", "language": "en"}'
    with pytest.raises(ImportFailed):
        import_jsonl([good, "{not json"])
    assert found(client, "fine") == []


def test_rebuilding_the_index_reports_progress_and_restores_it(client):
    DocumentFactory(public_id="one", title="Rebuilt record")
    Record.objects.update(search_head="", search_text="")
    assert found(client, "rebuilt") == []
    out, err = io.StringIO(), io.StringIO()
    call_command("rebuild_search_index", stdout=out, stderr=err)
    assert "Indexed 1 records (1 had changed)." in out.getvalue()
    assert "100%" in err.getvalue() and "1/1" in err.getvalue()
    assert found(client, "rebuilt") == ["one"]


def test_large_result_sets_rank_title_matches_with_a_sample(client, monkeypatch):
    """Above the sample size, relevance covers the matches in titles, actors and tags plus
    the start of the sample, and the page says so; newest-first still reaches every match."""
    monkeypatch.setattr(engine, "SAMPLE_SIZE", 4)
    monkeypatch.setattr(engine, "RANK_CANDIDATES", 2)
    for year in range(2010, 2016):
        DocumentFactory(
            public_id=f"body-{year}", title="Report", body="cameras", date=f"{year}-01-01"
        )
    DocumentFactory(public_id="old-title", title="Cameras", date="2001-01-01")
    body = client.get("/api/records/", {"q": "cameras"}).json()
    ids = [row["id"] for row in body["results"]]
    assert ids[0] == "old-title"  # the last one stored, but the only title match
    # The title match and the first two of the sample (which may include it).
    assert body["ranked_among"] in (2, 3) and len(ids) == body["ranked_among"]
    html = client.get("/search/", {"q": "cameras"}).content.decode()
    assert "So many records match" in html
    newest = client.get("/api/records/", {"q": "cameras", "sort": "-date"}).json()
    assert [row["id"] for row in newest["results"]] == [
        "body-2015", "body-2014", "body-2013", "body-2012", "body-2011", "body-2010", "old-title",
    ]  # fmt: skip


def test_beyond_the_sample_counts_and_facets_are_marked_as_estimates(client, monkeypatch):
    """PostgreSQL estimates from how far into the table the sample read; SQLite, which
    cannot tell, counts exactly. Facets come from the sample either way, scaled."""
    from django.db import connection

    monkeypatch.setattr(engine, "SAMPLE_SIZE", 3)
    for n in range(8):
        DocumentFactory(public_id=f"many-{n}", title="Many cameras", date=f"201{n}-01-01")
    body = client.get("/api/records/", {"q": "cameras"}).json()
    assert body["facets_are_estimates"] is True
    kinds = body["facets"]["kind"]
    assert [k["value"] for k in kinds] == ["document"] and kinds[0]["count"] == body["count"]
    html = client.get("/search/", {"q": "cameras"}).content.decode()
    assert "Counts are estimated from a sample." in html
    if connection.vendor == "postgresql":
        assert body["count_is_estimate"] is True and body["count"] >= 4
        assert "About " in html
    else:
        assert body["count"] == 8 and body["count_is_estimate"] is False
