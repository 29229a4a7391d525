"""The editors' admin, driven the way an editor drives it: pages, forms, actions, messages.

Forms are posted with the values the admin itself rendered (see ``form_values``), so a
test changes only what an editor would type, and everything else round-trips as a
browser would send it.
"""

import datetime
import html
import re

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType

from records.core.dates import Precision
from records.models import (
    Action,
    Language,
    Link,
    Record,
    RecordActor,
    Relation,
    Revision,
    Role,
    Statement,
    Status,
)
from records.records.services import snapshot
from tests.admin_forms import add_inline_row, form_values
from tests.factories import (
    ActorFactory,
    DocumentFactory,
    FOIRequestFactory,
    ResponseFactory,
    StatementFactory,
    TagFactory,
    safe_city_graph,
)

pytestmark = pytest.mark.django_db

RECORDS_URL = "/admin/records/record/"
STATEMENTS_URL = "/admin/records/statement/"
PLEASE_CORRECT = re.compile(r"Please correct the errors? below\.")


# --- helpers ---------------------------------------------------------------------------


def listed_titles(response):
    """The record titles shown in the changelist table."""
    assert response.status_code == 200
    cells = re.findall(
        r'<(?:th|td) class="field-title">(?:<a [^>]*>)?(.*?)(?:</a>)?</(?:th|td)>',
        response.content.decode(),
    )
    return {html.unescape(cell) for cell in cells}


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def page(response):
    return html.unescape(response.content.decode())


def change_url(record):
    model_name = type(record.specific)._meta.model_name
    return f"/admin/records/{model_name}/{record.pk}/change/"


def post_action(client, url, action, records):
    return client.post(
        url,
        {"action": action, "index": "0", "_selected_action": [str(r.pk) for r in records]},
        follow=True,
    )


# --- 1. the list of all records ----------------------------------------------------------


def test_record_changelist_lists_every_kind_and_its_filters_and_search_narrow_the_list(
    editor_client,
):
    graph = safe_city_graph()
    foi = FOIRequestFactory(
        title="FOI request for the camera contract",
        language=Language.SR_CYRL,
        status=Status.REVIEW,
        date=datetime.date(2021, 5, 1),
        date_precision=Precision.MONTH,
        actors=[(graph["share"], Role.AUTHOR)],
        tags=["contracts"],
    )
    everything = {
        "Minister announces 1,000 cameras",
        "Commissioner's opinion on the DPIA",
        "SHARE analysis of the DPIA",
        "Unpublished leak",
        foi.title,
    }

    response = editor_client.get(RECORDS_URL)
    assert listed_titles(response) == everything
    shown = page(response)
    for kind_label in ("Government statement", "Document", "Civil-society response", "FOI request"):
        assert kind_label in shown
    # The filter sidebar offers the years and the actors that records actually have.
    assert "?year=2021" in shown and "?year=2019" in shown
    assert "SHARE Fondacija" in shown

    def titles(**query):
        return listed_titles(editor_client.get(RECORDS_URL, query))

    assert titles(kind__exact="statement") == {"Minister announces 1,000 cameras"}
    assert titles(kind__exact="foi_request") == {foi.title}
    assert titles(status__exact="draft") == {"Unpublished leak"}
    assert titles(status__exact="review") == {foi.title}
    assert titles(language__exact="sr-Latn") == {"SHARE analysis of the DPIA"}
    assert titles(language__exact="sr-Cyrl") == {foi.title}
    dpia = graph["opinion"].tags.get(name="dpia")
    assert titles(tags__id__exact=dpia.pk) == {
        "Commissioner's opinion on the DPIA",
        "SHARE analysis of the DPIA",
    }
    assert titles(actors__id__exact=graph["share"].pk) == {"SHARE analysis of the DPIA", foi.title}
    assert titles(actors__id__exact=graph["mup"].pk) == {
        "Minister announces 1,000 cameras",
        "Commissioner's opinion on the DPIA",
    }
    assert titles(year="2021") == {foi.title}
    assert titles(year="2019") == everything - {foi.title}
    assert titles(year="2021", status__exact="review", kind__exact="foi_request") == {foi.title}

    # Search by title, and by an actor's name (each record once, though it matches twice).
    assert titles(q="DPIA") == {
        "Commissioner's opinion on the DPIA",
        "SHARE analysis of the DPIA",
    }
    assert titles(q="SHARE Fondacija") == {"SHARE analysis of the DPIA", foi.title}
    response = editor_client.get(RECORDS_URL, {"q": "Ministarstvo"})
    assert listed_titles(response) == {
        "Minister announces 1,000 cameras",
        "Commissioner's opinion on the DPIA",
    }
    assert "2 results" in page(response)
    assert titles(q="no such words anywhere") == set()


# --- 2. autocomplete -----------------------------------------------------------------------


def autocomplete(client, model_name, field_name, term):
    """The admin's autocomplete answer, as ``[(id, text), ...]`` in the order it lists them."""
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "records", "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return [(item["id"], item["text"]) for item in response.json()["results"]]


def test_admin_autocomplete_returns_matching_link_targets_and_sources_as_json(editor_client):
    graph = safe_city_graph()

    assert set(autocomplete(editor_client, "link", "target", "DPIA")) == {
        (str(graph["opinion"].pk), "Commissioner's opinion on the DPIA"),
        (str(graph["analysis"].pk), "SHARE analysis of the DPIA"),
    }
    # Editors link drafts too, and may find a record by its public id.
    assert autocomplete(editor_client, "link", "source", "secret-draft") == [
        (str(graph["draft"].pk), "Unpublished leak")
    ]
    assert autocomplete(editor_client, "link", "target", "nothing like this") == []


def test_admin_autocomplete_returns_matching_actors_and_tags_in_name_order(editor_client):
    # Created out of alphabetical order, so that database order is not name order.
    for name in ("Zavod za statistiku", "Agencija za zaštitu", "Ministarstvo pravde"):
        ActorFactory(name=name)
    share = ActorFactory(name="SHARE Fondacija")
    for name in ("surveillance", "biometrics", "cameras"):
        TagFactory(name=name)

    assert autocomplete(editor_client, "recordactor", "actor", "share") == [
        (str(share.pk), "SHARE Fondacija")
    ]
    assert [text for _id, text in autocomplete(editor_client, "recordactor", "actor", "za")] == [
        "Agencija za zaštitu",
        "Zavod za statistiku",
    ]
    assert [text for _id, text in autocomplete(editor_client, "statement", "tags", "")] == [
        "biometrics",
        "cameras",
        "surveillance",
    ]


def test_admin_autocomplete_is_not_open_to_anonymous_visitors(client):
    safe_city_graph()
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "records", "model_name": "link", "field_name": "target", "term": "leak"},
    )
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# --- 3. adding a record ------------------------------------------------------------------


def test_editor_adds_statement_with_month_date_actor_and_links_in_both_directions(
    editor_client, editor
):
    graph = safe_city_graph()
    tag = TagFactory(name="cameras")
    data = form_values(editor_client, STATEMENTS_URL + "add/")
    # The inline management forms are named after the related names.
    for prefix in ("actor_roles", "outgoing_links", "incoming_links"):
        assert data[f"{prefix}-TOTAL_FORMS"] == ["0"]
        assert data[f"{prefix}-INITIAL_FORMS"] == ["0"]
    data.update(
        title=["Minister promises facial recognition"],
        summary=["Said on TV."],
        quote=["We will recognise every face."],
        venue=["RTS interview"],
        when=["2019-02"],
        language=["en"],
        tags=[str(tag.pk)],
        status=["draft"],
        public_id=["minister-facial-recognition"],
    )
    add_inline_row(data, "actor_roles", actor=graph["mup"].pk, role=Role.SPEAKER)
    add_inline_row(
        data,
        "outgoing_links",
        relation=Relation.FOLLOWS_UP,
        target=graph["statement"].pk,
        note="Same programme",
    )
    add_inline_row(
        data,
        "incoming_links",
        source=graph["analysis"].pk,
        relation=Relation.CONTRADICTS,
        note="No legal basis",
    )

    response = editor_client.post(STATEMENTS_URL + "add/", data, follow=True)

    assert response.redirect_chain, page(response)[:3000]
    assert any("was added successfully" in message for message in messages_of(response))
    record = Statement.objects.get(public_id="minister-facial-recognition")
    assert record.title == "Minister promises facial recognition"
    assert record.kind == "statement"
    assert record.date == datetime.date(2019, 2, 1)
    assert record.date_precision == Precision.MONTH
    assert str(record.partial_date) == "2019-02"
    assert record.status == Status.DRAFT and record.published_at is None
    assert list(record.tags.all()) == [tag]
    assert [(ra.actor, ra.role) for ra in record.actor_roles.all()] == [
        (graph["mup"], Role.SPEAKER)
    ]
    assert Link.objects.filter(
        source=record,
        target=graph["statement"],
        relation=Relation.FOLLOWS_UP,
        note="Same programme",
    ).exists()
    assert Link.objects.filter(
        source=graph["analysis"],
        target=record,
        relation=Relation.CONTRADICTS,
        note="No legal basis",
    ).exists()

    revision = Revision.objects.get(record=record)
    assert revision.action == Action.CREATED
    assert revision.user == editor
    assert revision.record_public_id == "minister-facial-recognition"
    assert revision.changes["title"] == [None, "Minister promises facial recognition"]
    assert revision.changes["date"] == [None, "2019-02"]
    assert revision.changes["links"] == [
        None,
        [
            {
                "relation": "follows_up",
                "target": "minister-1000-cameras",
                "note": "Same programme",
                "note_sr": "",
            }
        ],
    ]
    assert revision.changes["linked_from"] == [
        None,
        [
            {
                "relation": "contradicts",
                "source": "share-analysis",
                "note": "No legal basis",
                "note_sr": "",
            }
        ],
    ]
    assert revision.changes["actors"] == [
        None,
        [
            {
                "name": "Ministarstvo unutrašnjih poslova",
                "kind": "public_body",
                "role": "speaker",
                "name_sr": "Ministarstvo unutrašnjih poslova",
                "name_en": "",
                "short_name": "",
            }
        ],
    ]


# --- 4. editing and the history page -----------------------------------------------------


def test_editing_writes_revision_naming_exactly_the_changed_fields_and_history_page_shows_it(
    editor_client, editor
):
    record = StatementFactory(
        public_id="edited-statement", title="Old title", venue="Press conference"
    )
    url = change_url(record)
    data = form_values(editor_client, url)
    assert data["when"] == ["2019-03-21"]
    data.update(title=["New title"], when=["2019"], venue=["Parliament"])

    response = editor_client.post(url, data, follow=True)

    assert any("was changed successfully" in message for message in messages_of(response))
    record.refresh_from_db()
    assert record.title == "New title"
    assert record.venue == "Parliament"
    assert (record.date, record.date_precision) == (datetime.date(2019, 1, 1), Precision.YEAR)
    revision = Revision.objects.get(record=record)
    assert revision.action == Action.CHANGED
    assert revision.user == editor
    assert revision.changes == {
        "title": ["Old title", "New title"],
        "date": ["2019-03-21", "2019"],
        "statement": [
            {"venue": "Press conference", "quote": ""},
            {"venue": "Parliament", "quote": ""},
        ],
    }

    history = editor_client.get(f"{STATEMENTS_URL}{record.pk}/history/")
    assert history.status_code == 200
    shown = page(history)
    row = re.search(r'<table id="revision-list">.*?</table>', shown, re.S).group(0)
    assert editor.username in row
    assert "changed" in row
    assert "<dt>title</dt>" in row
    assert "<del>Old title</del> → <ins>New title</ins>" in row
    assert "<del>2019-03-21</del> → <ins>2019</ins>" in row
    # Django's own admin log is still shown underneath.
    assert "Admin log" in shown


def test_saving_the_change_form_unchanged_writes_no_revision(editor_client):
    graph = safe_city_graph()
    record = graph["opinion"]
    url = change_url(record)
    before = snapshot(record)

    response = editor_client.post(url, form_values(editor_client, url), follow=True)

    assert any("was changed successfully" in message for message in messages_of(response))
    assert snapshot(record) == before
    assert not Revision.objects.filter(record=record).exists()


def test_editing_links_on_the_change_form_records_them_in_the_revision(editor_client, editor):
    graph = safe_city_graph()
    record = graph["statement"]
    url = change_url(record)
    data = form_values(editor_client, url)
    add_inline_row(data, "outgoing_links", relation=Relation.CITES, target=graph["draft"].pk)

    editor_client.post(url, data, follow=True)

    assert Link.objects.filter(source=record, target=graph["draft"], relation="cites").exists()
    revision = Revision.objects.get(record=record)
    assert revision.user == editor
    assert revision.changes == {
        "links": [
            [],
            [{"relation": "cites", "target": "secret-draft", "note": "", "note_sr": ""}],
        ]
    }


# --- 5. invalid input --------------------------------------------------------------------


def _self_link_outgoing(data, record):
    add_inline_row(data, "outgoing_links", relation=Relation.CITES, target=record.pk)


def _self_link_incoming(data, record):
    add_inline_row(data, "incoming_links", source=record.pk, relation=Relation.CITES)


def _duplicate_link(data, record):
    other = DocumentFactory(title="Some other record")
    for _ in range(2):
        add_inline_row(data, "outgoing_links", relation=Relation.CITES, target=other.pk)


def _duplicate_of_stored_link(data, record):
    existing = record.outgoing_links.get()
    add_inline_row(data, "outgoing_links", relation=existing.relation, target=existing.target_id)


INVALID_EDITS = {
    "month 13": (
        lambda data, record: data.update(when=["2019-13"]),
        "Enter a date as YYYY, YYYY-MM or YYYY-MM-DD.",
    ),
    "date not a date": (
        lambda data, record: data.update(when=["March 2019"]),
        "Enter a date as YYYY, YYYY-MM or YYYY-MM-DD.",
    ),
    "outgoing link to itself": (_self_link_outgoing, "A record cannot link to itself."),
    "incoming link from itself": (_self_link_incoming, "A record cannot link to itself."),
    "same link twice": (_duplicate_link, "Please correct the duplicate data for"),
    "link that already exists": (_duplicate_of_stored_link, "already exists"),
    "title of 301 characters": (
        lambda data, record: data.update(title=["x" * 301]),
        "Ensure this value has at most 300 characters (it has 301).",
    ),
    "unknown status": (
        lambda data, record: data.update(status=["archived"]),
        "Select a valid choice. archived is not one of the available choices.",
    ),
}


@pytest.mark.parametrize("case", INVALID_EDITS.keys())
def test_invalid_change_form_input_is_refused_with_a_message_and_changes_nothing(
    editor_client, case
):
    graph = safe_city_graph()
    record = graph["opinion"]  # has one outgoing and one incoming link
    url = change_url(record)
    before = snapshot(record)
    links_before = set(Link.objects.values_list("source", "target", "relation", "note"))
    data = form_values(editor_client, url)
    data.update(title=["A title that must not be saved"])
    change, expected_message = INVALID_EDITS[case]
    change(data, record)

    response = editor_client.post(url, data)

    assert response.status_code == 200  # the form again, not a redirect
    shown = page(response)
    assert PLEASE_CORRECT.search(shown)
    assert expected_message in shown
    record.refresh_from_db()
    assert snapshot(record) == before
    assert set(Link.objects.values_list("source", "target", "relation", "note")) == links_before
    assert not Revision.objects.exists()
    assert not LogEntry.objects.exists()


def test_invalid_add_form_input_creates_no_record(editor_client):
    data = form_values(editor_client, STATEMENTS_URL + "add/")
    data.update(title=["A statement"], when=["2019-13"], language=["en"], public_id=["bad-date"])

    response = editor_client.post(STATEMENTS_URL + "add/", data)

    assert response.status_code == 200
    assert "Enter a date as YYYY, YYYY-MM or YYYY-MM-DD." in page(response)
    assert not Record.objects.exists()
    assert not Revision.objects.exists()


# --- 6. bulk publish / unpublish ---------------------------------------------------------


def test_bulk_publish_and_unpublish_on_record_list_change_status_and_write_history(
    editor_client, editor
):
    draft_document = DocumentFactory(title="Draft document", status=Status.DRAFT)
    draft_statement = StatementFactory(title="Draft statement", status=Status.REVIEW)
    untouched = ResponseFactory(title="Draft left alone", status=Status.DRAFT)
    selected = [draft_document, draft_statement]

    page_before = page(editor_client.get(RECORDS_URL))
    assert '<option value="publish">Publish the selected records</option>' in page_before
    assert '<option value="unpublish">' in page_before

    response = post_action(editor_client, RECORDS_URL, "publish", selected)

    assert "2 records published." in messages_of(response)
    for record in selected:
        record.refresh_from_db()
        assert record.status == Status.PUBLISHED
        assert record.published_at is not None
    first_published = {r.pk: r.published_at for r in selected}
    untouched.refresh_from_db()
    assert untouched.status == Status.DRAFT and untouched.published_at is None

    revisions = Revision.objects.filter(action=Action.PUBLISHED)
    assert {(r.record_id, r.user_id) for r in revisions} == {(r.pk, editor.pk) for r in selected}
    assert Revision.objects.get(record=draft_statement).changes == {
        "status": ["review", "published"]
    }
    record_type = ContentType.objects.get_for_model(Record)
    entries = LogEntry.objects.filter(action_flag=CHANGE, content_type=record_type)
    assert sorted((e.object_id, e.user_id, e.change_message) for e in entries) == sorted(
        (str(r.pk), editor.pk, "Published") for r in selected
    )

    response = post_action(editor_client, RECORDS_URL, "unpublish", selected)

    assert "2 records unpublished." in messages_of(response)
    for record in selected:
        record.refresh_from_db()
        assert record.status == Status.DRAFT
        assert record.published_at == first_published[record.pk]  # "first published" stays
    unpublished = Revision.objects.filter(action=Action.UNPUBLISHED)
    assert {(r.record_id, r.user_id) for r in unpublished} == {(r.pk, editor.pk) for r in selected}
    assert all(r.changes == {"status": ["published", "draft"]} for r in unpublished)
    assert sorted(
        LogEntry.objects.filter(change_message="Unpublished").values_list("object_id", flat=True)
    ) == sorted(str(r.pk) for r in selected)


def test_bulk_publish_counts_and_logs_only_the_records_it_actually_published(editor_client, editor):
    draft = DocumentFactory(title="A draft", status=Status.DRAFT)
    already = DocumentFactory(title="Published last year", status=Status.PUBLISHED)

    response = post_action(editor_client, RECORDS_URL, "publish", [draft, already])

    assert "1 record published." in messages_of(response)
    assert list(Revision.objects.values_list("record", flat=True)) == [draft.pk]
    # The admin log must not claim that an already public record was published now.
    assert list(LogEntry.objects.values_list("object_id", "change_message")) == [
        (str(draft.pk), "Published")
    ]


def test_bulk_publish_from_list_filtered_to_drafts_logs_every_published_record(
    editor_client, editor
):
    drafts = [DocumentFactory(status=Status.DRAFT), StatementFactory(status=Status.DRAFT)]
    filtered = RECORDS_URL + "?status__exact=draft"
    assert listed_titles(editor_client.get(filtered)) == {r.title for r in drafts}

    response = post_action(editor_client, filtered, "publish", drafts)

    assert "2 records published." in messages_of(response)
    assert Record.objects.filter(status=Status.PUBLISHED).count() == 2
    assert Revision.objects.filter(action=Action.PUBLISHED).count() == 2
    assert sorted(
        LogEntry.objects.filter(change_message="Published").values_list("object_id", flat=True)
    ) == sorted(str(r.pk) for r in drafts)


def test_bulk_unpublish_from_list_filtered_to_published_logs_every_unpublished_record(
    editor_client, editor
):
    published = [DocumentFactory(), ResponseFactory()]
    filtered = RECORDS_URL + "?status__exact=published"

    response = post_action(editor_client, filtered, "unpublish", published)

    assert "2 records unpublished." in messages_of(response)
    assert not Record.objects.filter(status=Status.PUBLISHED).exists()
    assert sorted(
        LogEntry.objects.filter(change_message="Unpublished").values_list("object_id", flat=True)
    ) == sorted(str(r.pk) for r in published)


def test_bulk_publish_also_works_on_a_kind_list(editor_client, editor):
    drafts = [StatementFactory(status=Status.DRAFT) for _ in range(3)]

    response = post_action(editor_client, STATEMENTS_URL, "publish", drafts[:2])

    assert "2 records published." in messages_of(response)
    assert Statement.objects.filter(status=Status.PUBLISHED).count() == 2


# --- 7. contributors ---------------------------------------------------------------------


def test_contributor_adds_a_draft_and_the_revision_names_them(contributor_client, contributor):
    data = form_values(contributor_client, STATEMENTS_URL + "add/")
    data.update(
        title=["Contributor's draft"],
        when=["2020-06-01"],
        language=["sr-Latn"],
        status=["draft"],
        public_id=["contributor-draft"],
    )

    response = contributor_client.post(STATEMENTS_URL + "add/", data, follow=True)

    assert any("was added successfully" in message for message in messages_of(response))
    record = Statement.objects.get(public_id="contributor-draft")
    assert record.status == Status.DRAFT
    assert (record.date, record.date_precision) == (datetime.date(2020, 6, 1), Precision.DAY)
    revision = Revision.objects.get(record=record)
    assert (revision.action, revision.user) == (Action.CREATED, contributor)


def test_contributor_is_not_offered_and_cannot_run_publish_or_unpublish(contributor_client):
    draft = DocumentFactory(status=Status.DRAFT)
    published = DocumentFactory(status=Status.PUBLISHED)
    for url in (RECORDS_URL, "/admin/records/document/"):
        shown = page(contributor_client.get(url))
        assert draft.title in shown
        assert 'value="publish"' not in shown
        assert 'value="unpublish"' not in shown
        assert 'value="delete_selected"' not in shown

    response = post_action(contributor_client, RECORDS_URL, "publish", [draft])
    assert "published." not in " ".join(messages_of(response))
    response = post_action(contributor_client, RECORDS_URL, "unpublish", [published])
    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert published.status == Status.PUBLISHED
    assert not Revision.objects.exists()


def test_contributor_status_field_offers_no_published_choice_and_refuses_it(contributor_client):
    response = contributor_client.get(STATEMENTS_URL + "add/")
    select = re.search(r'<select name="status".*?</select>', page(response), re.S).group(0)
    assert re.findall(r'<option value="([^"]*)"', select) == ["draft", "review"]

    data = form_values(contributor_client, STATEMENTS_URL + "add/")
    data.update(title=["Sneaky"], language=["en"], status=["published"], public_id=["sneaky"])
    response = contributor_client.post(STATEMENTS_URL + "add/", data)

    assert response.status_code == 200
    assert "Select a valid choice. published is not one of the available choices." in page(response)
    assert not Record.objects.exists()

    draft = StatementFactory(status=Status.DRAFT)
    data = form_values(contributor_client, change_url(draft))
    data.update(status=["published"])
    response = contributor_client.post(change_url(draft), data)
    assert response.status_code == 200
    assert "is not one of the available choices" in page(response)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.published_at is None


def test_contributor_cannot_delete_a_record(contributor_client):
    record = StatementFactory(status=Status.DRAFT)
    shown = page(contributor_client.get(change_url(record)))
    assert "deletelink" not in shown
    for url in (f"{STATEMENTS_URL}{record.pk}/delete/", f"{RECORDS_URL}{record.pk}/delete/"):
        assert contributor_client.get(url).status_code == 403
        assert contributor_client.post(url, {"post": "yes"}).status_code == 403
    assert Record.objects.filter(pk=record.pk).exists()
    assert not Revision.objects.exists()


def test_contributor_sees_a_published_record_read_only_and_cannot_post_changes(
    contributor_client,
):
    record = StatementFactory(status=Status.PUBLISHED, title="Public statement")
    url = change_url(record)
    before = snapshot(record)

    response = contributor_client.get(url)
    assert response.status_code == 200
    shown = page(response)
    assert "View government statement" in shown
    assert 'name="title"' not in shown
    assert 'name="_save"' not in shown
    assert "Public statement" in shown

    data = {
        "title": ["Changed by a contributor"],
        "language": ["en"],
        "status": ["draft"],
        "public_id": [record.public_id],
    }
    for prefix in ("actor_roles", "outgoing_links", "incoming_links"):
        data.update({f"{prefix}-TOTAL_FORMS": ["0"], f"{prefix}-INITIAL_FORMS": ["0"]})
    assert contributor_client.post(url, data).status_code == 403
    record.refresh_from_db()
    assert snapshot(record) == before
    assert not Revision.objects.exists()


def test_contributor_edits_a_draft(contributor_client, contributor):
    record = StatementFactory(status=Status.DRAFT, title="Rough draft")
    url = change_url(record)
    data = form_values(contributor_client, url)
    data.update(title=["Polished draft"], status=["review"])

    response = contributor_client.post(url, data, follow=True)

    assert any("was changed successfully" in message for message in messages_of(response))
    record.refresh_from_db()
    assert (record.title, record.status) == ("Polished draft", Status.REVIEW)
    revision = Revision.objects.get(record=record)
    assert (revision.action, revision.user) == (Action.CHANGED, contributor)
    assert revision.changes == {
        "title": ["Rough draft", "Polished draft"],
        "status": ["draft", "review"],
    }


# --- 8. the groups -----------------------------------------------------------------------


def test_editor_and_contributor_groups_have_the_intended_permissions(editor, contributor):
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    contributors = set(
        Group.objects.get(name="Contributors").permissions.values_list("codename", flat=True)
    )
    kinds = ["record", "document", "foirequest", "statement", "response"]
    for model in [*kinds, "actor", "tag", "link", "recordactor"]:
        for action in ("add", "change", "view"):
            assert f"{action}_{model}" in editors
            assert f"{action}_{model}" in contributors
        assert f"delete_{model}" in editors
    assert {"publish_record", "delete_record", "view_revision"} <= editors
    assert "view_revision" in contributors
    assert "publish_record" not in contributors
    assert not {f"delete_{model}" for model in kinds} & contributors
    # Nobody edits the editorial log by hand.
    assert not {"add_revision", "change_revision", "delete_revision"} & (editors | contributors)

    assert editor.has_perm("records.publish_record")
    assert editor.has_perm("records.delete_record")
    assert not contributor.has_perm("records.publish_record")
    assert not contributor.has_perm("records.delete_record")
    assert not contributor.has_perm("records.delete_statement")


# --- 9. preview ----------------------------------------------------------------------------


def test_change_form_links_to_the_public_page_and_a_draft_preview_is_for_staff_only(
    editor_client, client
):
    draft = DocumentFactory(public_id="draft-preview", status=Status.DRAFT, title="Draft doc")
    published = DocumentFactory(public_id="public-doc", status=Status.PUBLISHED)

    shown = page(editor_client.get(change_url(draft)))
    assert '<a href="/r/draft-preview/">Preview (not public)</a>' in shown
    shown = page(editor_client.get(change_url(published)))
    assert '<a href="/r/public-doc/">Open the public page</a>' in shown

    preview = editor_client.get("/r/draft-preview/")
    assert preview.status_code == 200
    assert "Draft doc" in page(preview)
    assert "is not public" in page(preview)

    client.logout()
    assert client.get("/r/draft-preview/").status_code == 404
    assert client.get("/r/public-doc/").status_code == 200
    assert "is not public" not in page(client.get("/r/public-doc/"))


# --- 10. deleting --------------------------------------------------------------------------


def test_deleting_a_record_in_the_admin_keeps_a_deleted_revision_with_its_public_id(
    editor_client, editor
):
    graph = safe_city_graph()
    record = graph["opinion"]
    Revision.objects.create(record=record, record_public_id=record.public_id, action="changed")
    url = f"/admin/records/document/{record.pk}/delete/"
    assert "Are you sure" in page(editor_client.get(url))

    response = editor_client.post(url, {"post": "yes"}, follow=True)

    assert any("was deleted successfully" in message for message in messages_of(response))
    assert not Record.objects.filter(pk=record.pk).exists()
    assert not Link.objects.filter(source_id=record.pk).exists()
    assert not Link.objects.filter(target_id=record.pk).exists()
    deleted = Revision.objects.get(action=Action.DELETED)
    assert deleted.record_public_id == "commissioner-opinion"
    assert deleted.record is None
    assert deleted.user == editor
    assert deleted.changes["title"] == ["Commissioner's opinion on the DPIA", None]
    # The earlier history outlives the record too.
    assert Revision.objects.filter(record_public_id="commissioner-opinion").count() == 2

    # The editorial log still finds it by its public id.
    log = page(editor_client.get("/admin/records/revision/", {"q": "commissioner-opinion"}))
    assert "commissioner-opinion" in log
    assert "deleted" in log


def test_bulk_delete_on_record_list_keeps_deleted_revisions(editor_client, editor):
    records = [DocumentFactory(public_id="gone-1"), StatementFactory(public_id="gone-2")]
    response = editor_client.post(
        RECORDS_URL,
        {
            "action": "delete_selected",
            "post": "yes",
            "_selected_action": [str(r.pk) for r in records],
        },
        follow=True,
    )

    assert "Successfully deleted 2 records." in " ".join(messages_of(response))
    assert not Record.objects.exists()
    assert set(
        Revision.objects.filter(action=Action.DELETED, user=editor).values_list(
            "record_public_id", flat=True
        )
    ) == {"gone-1", "gone-2"}


# --- 11. the base record admin -------------------------------------------------------------


def test_record_add_page_asks_which_kind_and_links_to_each_kind_add_form(editor_client):
    response = editor_client.get(RECORDS_URL + "add/")

    assert response.status_code == 200
    shown = page(response)
    assert "Which kind of record?" in shown
    for label, url in (
        ("Document", "/admin/records/document/add/"),
        ("FOI request", "/admin/records/foirequest/add/"),
        ("Government statement", "/admin/records/statement/add/"),
        ("Civil-society response", "/admin/records/response/add/"),
    ):
        assert f'<a href="{url}">{label}</a>' in shown
        assert editor_client.get(url).status_code == 200


def test_record_change_url_redirects_to_the_kind_change_form(editor_client):
    records = [DocumentFactory(), FOIRequestFactory(), StatementFactory(), ResponseFactory()]
    for record in records:
        response = editor_client.get(f"{RECORDS_URL}{record.pk}/change/")
        assert response.status_code == 302
        assert response["Location"] == change_url(record)
        assert editor_client.get(response["Location"]).status_code == 200
    # The list links each row to that change URL.
    shown = page(editor_client.get(RECORDS_URL))
    for record in records:
        assert f'href="{RECORDS_URL}{record.pk}/change/' in shown

    response = editor_client.get(f"{RECORDS_URL}999999/change/", follow=True)
    assert response.redirect_chain[-1][0] == "/admin/"
    assert any("doesn’t exist" in message for message in messages_of(response))


def test_actor_and_tag_admins_list_their_records_count(editor_client):
    graph = safe_city_graph()
    ActorFactory(name="Unused actor")
    shown = page(editor_client.get("/admin/records/actor/", {"q": "Ministarstvo"}))
    assert "Ministarstvo unutrašnjih poslova" in shown
    assert re.search(r'<td class="field-record_count">2</td>', shown)
    shown = page(editor_client.get("/admin/records/tag/"))
    assert "dpia" in shown and "cameras" in shown
    assert RecordActor.objects.filter(actor=graph["mup"]).count() == 2


def test_admin_pages_name_the_site_icon_so_browsers_do_not_ask_for_favicon_ico(client, db):
    login = client.get("/admin/login/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in login


def test_the_admin_index_names_the_site_icon(editor_client):
    page = editor_client.get("/admin/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page


@pytest.mark.parametrize(
    ("prefix", "title", "others"),
    [
        ("/sr", "Уређивање архиве", ["/admin/", "/sr-latn/admin/"]),
        ("/sr-latn", "Uređivanje arhive", ["/admin/", "/sr/admin/"]),
        ("", "Nadzor editors", ["/sr-latn/admin/", "/sr/admin/"]),
    ],
)
def test_the_admin_speaks_each_interface_language_and_links_the_others(
    editor_client, prefix, title, others
):
    page = editor_client.get(f"{prefix}/admin/").content.decode()

    assert title in page
    for other in others:
        assert f'<a href="{other}" hreflang=' in page
    assert f'<a href="{prefix}/">' in page  # "View site", in the same language
