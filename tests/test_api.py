"""The read-only JSON API: /api/records/ (list, filters, pagination) and /api/records/<id>/."""

import html
import json
import re
from urllib.parse import urlencode

import pytest
from django.utils.encoding import iri_to_uri

from records.models import ActorKind, Language, Record, Relation, Role, Status
from tests.factories import (
    ActorFactory,
    DocumentFactory,
    FOIRequestFactory,
    LinkFactory,
    ResponseFactory,
    StatementFactory,
    safe_city_graph,
)

pytestmark = pytest.mark.django_db

LIST_FIELDS = {"id", "kind", "title", "summary", "date", "language", "url", "tags", "actors"}
_RECORD_LINK = re.compile(r'<h3 class="record-title"><a href="/r/([^/"]+)/"[^>]*>')
_NEXT_LINK = re.compile(r'<a rel="next" href="([^"]+)"')


# --- helpers -----------------------------------------------------------------------------


def get_json(client, url, status=200):
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == status, (url, response.status_code, body[:300])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return json.loads(body)


def api_pages(client, query=""):
    """Every page of the list for ``query``, following ``next``."""
    pages, url = [], f"/api/records/?{query}"
    while url:
        page = get_json(client, url)
        pages.append(page)
        url = page["next"]
        assert len(pages) < 20
    return pages


def api_ids(client, query=""):
    return [r["id"] for page in api_pages(client, query) for r in page["results"]]


def html_ids(client, query=""):
    """Record ids in order as the list page /records/ shows them, following "Next"."""
    ids, url = [], f"/records/?{query}"
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        ids += _RECORD_LINK.findall(page)
        match = _NEXT_LINK.search(page)
        url = "/records/" + html.unescape(match.group(1)) if match else None
        assert len(ids) < 1000
    return ids


def published_ids():
    return set(Record.objects.published().values_list("public_id", flat=True))


def unpublished_ids():
    return set(Record.objects.exclude(status=Status.PUBLISHED).values_list("public_id", flat=True))


@pytest.fixture
def archive():
    """Published records of every kind, language and date precision, plus drafts and
    records in review that match every filter the published ones match."""
    graph = safe_city_graph()
    mup, share = graph["mup"], graph["share"]
    grad = ActorFactory(name="Град Београд", kind=ActorKind.PUBLIC_BODY)
    hidden = ActorFactory(name="Only in drafts", kind=ActorKind.PERSON)

    def make(factory, public_id, title, date, precision, **kwargs):
        return factory(
            public_id=public_id, title=title, date=date, date_precision=precision, **kwargs
        )

    make(
        DocumentFactory,
        "law-2018",
        "Zakon o zaštiti podataka",
        "2018-01-01",
        1,
        language=Language.SR_LATN,
        tags=["dpia", "law"],
        actors=[(mup, Role.SUBJECT)],
    )
    make(
        DocumentFactory,
        "rulebook-2019-03",
        "Правилник о камерама",
        "2019-03-01",
        2,
        language=Language.SR_CYRL,
        tags=["cameras"],
        actors=[(grad, Role.AUTHOR)],
    )
    make(
        DocumentFactory,
        "report-2019",
        "annual report (lower case)",
        "2019-01-01",
        1,
        tags=["cameras"],
    )
    make(
        FOIRequestFactory,
        "foi-2019-03-21",
        "FOI request on cameras",
        "2019-03-21",
        3,
        actors=[(share, Role.AUTHOR), (mup, Role.ADDRESSEE)],
        tags=["cameras"],
    )
    make(
        FOIRequestFactory,
        "foi-2019-03-21-b",
        "Another FOI request, same day",
        "2019-03-21",
        3,
        actors=[(share, Role.AUTHOR)],
    )
    make(
        StatementFactory,
        "statement-2020",
        "Ministar: kamere su zakonite",
        "2020-06-01",
        2,
        language=Language.SR_LATN,
        actors=[(mup, Role.SPEAKER), (mup, Role.SUBJECT)],
        tags=["cameras", "law"],
    )
    make(
        ResponseFactory,
        "response-2021-01-02",
        "Odgovor civilnog društva",
        "2021-01-02",
        3,
        language=Language.SR_LATN,
        actors=[(share, Role.AUTHOR), (mup, Role.ADDRESSEE)],
        tags=["dpia"],
    )
    make(
        ResponseFactory,
        "response-undated",
        "Undated response",
        None,
        None,
        actors=[(share, Role.AUTHOR)],
        tags=["dpia"],
    )
    make(
        DocumentFactory,
        "cyr-undated",
        "Извештај без датума",
        None,
        None,
        language=Language.SR_CYRL,
        actors=[(grad, Role.SUBJECT)],
    )
    # Unpublished records that match everything the published ones match.
    for status in (Status.DRAFT, Status.REVIEW):
        for factory in (DocumentFactory, StatementFactory, ResponseFactory, FOIRequestFactory):
            make(
                factory,
                f"{status}-{factory._meta.model.KIND}".replace("_", "-"),
                f"Aaa unpublished {status} {factory._meta.model.KIND}",
                "2019-03-21",
                3,
                status=status,
                tags=["cameras", "dpia", "draft-only"],
                actors=[(mup, Role.SUBJECT), (share, Role.AUTHOR), (hidden, Role.AUTHOR)],
            )
    graph.update(grad=grad, hidden=hidden)
    return graph


# --- the list ----------------------------------------------------------------------------


def test_list_has_count_next_previous_results_with_documented_fields(client):
    graph = safe_city_graph()
    data = get_json(client, "/api/records/")
    assert set(data) == {"count", "next", "previous", "results"}
    assert (data["count"], data["next"], data["previous"]) == (3, None, None)
    for result in data["results"]:
        assert set(result) == LIST_FIELDS

    by_id = {r["id"]: r for r in data["results"]}
    assert by_id["commissioner-opinion"] == {
        "id": "commissioner-opinion",
        "kind": "document",
        "title": "Commissioner's opinion on the DPIA",
        "summary": "A summary.",
        "date": "2019-03-21",
        "language": "en",
        "url": "http://testserver/r/commissioner-opinion/",
        "tags": ["cameras", "dpia"],
        "actors": [
            {
                "name": "Ministarstvo unutrašnjih poslova",
                # The names in each language (the factory's one name is Serbian).
                "name_sr": "Ministarstvo unutrašnjih poslova",
                "name_en": "",
                "short_name": "",
                "kind": "public_body",
                "role": "subject",
                # An IRI slug, percent-encoded as a URL must be.
                "url": "http://testserver" + iri_to_uri(f"/actors/{graph['mup'].slug}/"),
            }
        ],
    }
    assert by_id["share-analysis"]["language"] == "sr-Latn"
    assert by_id["share-analysis"]["kind"] == "response"
    assert by_id["minister-1000-cameras"]["kind"] == "statement"


def test_list_date_is_the_partial_date_at_its_own_precision(client):
    DocumentFactory(public_id="y", date="2018-01-01", date_precision=1)
    DocumentFactory(public_id="m", date="2019-05-01", date_precision=2)
    DocumentFactory(public_id="d", date="2020-12-31", date_precision=3)
    DocumentFactory(public_id="none", date=None, date_precision=None)
    dates = {r["id"]: r["date"] for r in get_json(client, "/api/records/")["results"]}
    assert dates == {"y": "2018", "m": "2019-05", "d": "2020-12-31", "none": None}


def test_list_is_paginated_by_50_and_next_and_previous_links_work(client):
    for n in range(57):
        DocumentFactory(public_id=f"doc-{n:02d}", date=f"20{n % 20 + 10}-01-01", date_precision=1)
    for n in range(5):
        DocumentFactory(public_id=f"draft-{n}", status=Status.DRAFT)

    first = get_json(client, "/api/records/")
    assert first["count"] == 57
    assert len(first["results"]) == 50
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/records/?page=2"

    second = get_json(client, first["next"])
    assert second["count"] == 57
    assert len(second["results"]) == 7
    assert second["next"] is None
    assert get_json(client, second["previous"]) == first

    ids = [r["id"] for r in first["results"] + second["results"]]
    assert len(ids) == len(set(ids)) == 57
    assert set(ids) == published_ids()


def test_pagination_keeps_the_filters_in_the_next_link(client):
    for n in range(53):
        StatementFactory(public_id=f"st-{n:02d}")
    for n in range(5):
        DocumentFactory(public_id=f"doc-{n}")
    pages = api_pages(client, "kind=statement&sort=title")
    assert [len(page["results"]) for page in pages] == [50, 3]
    assert "kind=statement" in pages[0]["next"] and "sort=title" in pages[0]["next"]
    assert {r["kind"] for page in pages for r in page["results"]} == {"statement"}


FILTER_QUERIES = [
    "",
    "kind=document",
    "kind=foi_request",
    "kind=statement",
    "kind=response",
    "actor={mup}",
    "actor={share}",
    "actor={grad}",
    "tag=cameras",
    "tag=dpia",
    "language=sr-Latn",
    "language=sr-Cyrl",
    "language=en",
    "date_from=2019",
    "date_to=2019",
    "date_from=2019-03&date_to=2019-03",
    "date_from=2019-03-21&date_to=2019-03-21",
    "date_from=2018&date_to=2020-06",
    "date_to=2019-02",
    "sort=date",
    "sort=-date",
    "sort=title",
    "kind=document&sort=title",
    "actor={mup}&sort=date",
    "actor={share}&tag=dpia&sort=-date",
    "tag=cameras&language=en&date_from=2019&sort=title",
    "language=sr-Cyrl&sort=date",
]


@pytest.mark.parametrize("query", FILTER_QUERIES)
def test_filters_give_the_same_records_in_the_same_order_as_the_list_page(client, archive, query):
    query = query.format(**{name: archive[name].slug for name in ("mup", "share", "grad")})
    ids = api_ids(client, query)
    assert ids, "every query in this test should match something"
    assert ids == html_ids(client, query)
    assert get_json(client, f"/api/records/?{query}")["count"] == len(ids)
    assert len(ids) == len(set(ids))
    assert not set(ids) & unpublished_ids()


def test_filters_compare_equal_to_the_list_page_across_several_pages(client):
    """60 records: 2 API pages of 50 against 3 list pages of 25, in the same order."""
    for n in range(60):
        DocumentFactory(
            public_id=f"doc-{n:02d}",
            title=f"Title {59 - n:02d}",
            date=f"20{n % 7 + 10}-0{n % 3 + 1}-01",
            date_precision=n % 3 + 1,
        )
    for query in ("", "sort=date", "sort=-date", "sort=title", "kind=document&sort=date"):
        ids = api_ids(client, query)
        assert len(ids) == 60
        assert ids == html_ids(client, query), query


def test_sort_orders_by_partial_date_with_undated_last_and_by_title(client):
    DocumentFactory(public_id="y2019", title="Delta", date="2019-01-01", date_precision=1)
    DocumentFactory(public_id="m2019-01", title="Alpha", date="2019-01-01", date_precision=2)
    DocumentFactory(public_id="d2019-01-01", title="Echo", date="2019-01-01", date_precision=3)
    DocumentFactory(public_id="d2018", title="Charlie", date="2018-12-31", date_precision=3)
    DocumentFactory(public_id="undated", title="Bravo", date=None, date_precision=None)

    assert api_ids(client, "sort=date") == ["d2018", "y2019", "m2019-01", "d2019-01-01", "undated"]
    newest = ["d2019-01-01", "m2019-01", "y2019", "d2018", "undated"]
    assert api_ids(client, "sort=-date") == newest
    assert api_ids(client) == newest
    titles = [r["title"] for r in get_json(client, "/api/records/?sort=title")["results"]]
    assert titles == ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]


def test_actor_filter_lists_a_record_once_even_if_the_actor_has_two_roles(client, archive):
    ids = api_ids(client, f"actor={archive['mup'].slug}")
    assert ids.count("statement-2020") == 1
    assert get_json(client, f"/api/records/?actor={archive['mup'].slug}")["count"] == len(ids)


def test_date_range_filter_covers_whole_partial_periods(client, archive):
    # "2019-03" as date_to ends on 31 March; "2019" as date_from starts on 1 January.
    ids = set(api_ids(client, "date_from=2019-03&date_to=2019-03"))
    assert ids == {
        "rulebook-2019-03",
        "foi-2019-03-21",
        "foi-2019-03-21-b",
        "minister-1000-cameras",
        "commissioner-opinion",
        "share-analysis",
    }


BAD_FILTERS = [
    ("kind=bogus", "kind"),
    ("language=de", "language"),
    ("actor=nobody", "actor"),
    ("actor=" + "x" * 300, "actor"),
    ("tag=nobody", "tag"),
    ("date_from=last+year", "date_from"),
    ("date_to=2019-02-30", "date_to"),
    ("date_to=2019-13", "date_to"),
    ("date_from=0999", "date_from"),
    ("date_from=March+2019", "date_from"),
    ("sort=bogus", "sort"),
]


@pytest.mark.parametrize("query, field", BAD_FILTERS)
def test_bad_filter_values_are_a_400_json_message_never_a_500(client, archive, query, field):
    data = get_json(client, f"/api/records/?{query}", status=400)
    assert isinstance(data, dict) and field in data
    messages = data[field]
    assert messages and all(isinstance(m, str) and m.strip() for m in messages)


@pytest.mark.parametrize(
    "url",
    [
        "/api/records/?kind=%00",
        "/api/records/?actor=%00",
        "/api/records/?tag=x%00",
        "/api/records/?date_from=%00",
        "/api/records/?sort=%00",
        "/api/records/a%00b/",
        "/api/export.jsonl?actor=%00",
    ],
)
def test_nul_characters_in_api_addresses_are_a_400_with_a_message_never_a_500(client, url):
    safe_city_graph()
    response = client.get(url)
    assert response.status_code == 400
    assert b"NUL character" in response.content


def test_bad_date_filter_message_says_which_format_is_expected(client):
    data = get_json(client, "/api/records/?date_from=yesterday", status=400)
    assert data == {"date_from": ["Enter a date as YYYY, YYYY-MM or YYYY-MM-DD."]}


@pytest.mark.parametrize("page", ["999", "abc", "0", "-1"])
def test_a_page_that_does_not_exist_is_a_404_json_message_not_a_500(client, page):
    safe_city_graph()
    data = get_json(client, f"/api/records/?page={page}", status=404)
    assert data["detail"]


# --- drafts never show ---------------------------------------------------------------------


def test_no_draft_or_record_in_review_appears_in_list_results_or_counts(client, archive):
    published = published_ids()
    assert get_json(client, "/api/records/")["count"] == len(published)
    assert set(api_ids(client)) == published

    # A tag or actor that appears only on drafts is as unknown as one that never existed.
    for query in ["tag=draft-only", f"actor={archive['hidden'].slug}"]:
        unknown = client.get(f"/api/records/?{query}")
        assert unknown.status_code == 400, query
        assert "Select a valid choice" in unknown.content.decode()
    for query, expected in [
        ("kind=document&date_from=2019-03-21&date_to=2019-03-21", {"commissioner-opinion"}),
        ("sort=title", published),
        ("tag=cameras&sort=date", None),
    ]:
        data = get_json(client, f"/api/records/?{query}")
        ids = set(api_ids(client, query))
        assert not ids & unpublished_ids(), query
        assert data["count"] == len(ids), query
        if expected is not None:
            assert ids == expected, query
    everything = str(get_json(client, "/api/records/?sort=title"))
    for record in Record.objects.exclude(status=Status.PUBLISHED):
        assert record.title not in everything


# --- the detail ----------------------------------------------------------------------------


def test_detail_has_body_html_source_url_and_the_list_fields(client):
    DocumentFactory(
        public_id="with-body",
        title="With a body",
        body="**Bold** <script>alert(1)</script>",
        source_url="https://example.org/source",
        tags=["dpia"],
    )
    data = get_json(client, "/api/records/with-body/")
    assert LIST_FIELDS | {"body", "body_html", "source_url", "links"} <= set(data)
    assert data["id"] == "with-body"
    assert data["url"] == "http://testserver/r/with-body/"
    assert data["body"] == "**Bold** <script>alert(1)</script>"
    assert "<strong>Bold</strong>" in data["body_html"]
    assert "<script>" not in data["body_html"]
    assert "&lt;script&gt;" in data["body_html"]
    assert data["source_url"] == "https://example.org/source"
    assert data["links"] == []
    DocumentFactory(public_id="no-source", source_url="")
    assert get_json(client, "/api/records/no-source/")["source_url"] is None


def test_detail_shows_links_in_both_directions_with_inverse_labels(client):
    safe_city_graph()
    opinion = get_json(client, "/api/records/commissioner-opinion/")
    assert opinion["links"] == [
        {
            "direction": "outgoing",
            "relation": "contradicts",
            "label": "contradicts",
            "note": "Says no basis",
            "record": {
                "id": "minister-1000-cameras",
                "kind": "statement",
                "title": "Minister announces 1,000 cameras",
                "url": "http://testserver/r/minister-1000-cameras/",
            },
        },
        {
            "direction": "incoming",
            "relation": "responds_to",
            "label": "is responded to by",
            "note": "",
            "record": {
                "id": "share-analysis",
                "kind": "response",
                "title": "SHARE analysis of the DPIA",
                "url": "http://testserver/r/share-analysis/",
            },
        },
    ]
    statement = get_json(client, "/api/records/minister-1000-cameras/")
    # The draft supports the statement: that link is not shown.
    assert [
        (link["direction"], link["label"], link["record"]["id"]) for link in statement["links"]
    ] == [("incoming", "is contradicted by", "commissioner-opinion")]
    analysis = get_json(client, "/api/records/share-analysis/")
    # The analysis cites the draft: that link is not shown either.
    assert [
        (link["direction"], link["label"], link["record"]["id"]) for link in analysis["links"]
    ] == [("outgoing", "responds to", "commissioner-opinion")]


def test_detail_inverse_labels_for_every_relation(client):
    target = DocumentFactory(public_id="target")
    expected = {}
    for relation in Relation:
        source = DocumentFactory(public_id=f"from-{relation.value}".replace("_", "-"))
        LinkFactory(source=source, target=target, relation=relation)
        expected[source.public_id] = str(relation.inverse_label)
    links = get_json(client, "/api/records/target/")["links"]
    assert {link["record"]["id"]: link["label"] for link in links} == expected
    assert {link["direction"] for link in links} == {"incoming"}
    assert expected["from-contradicts"] == "is contradicted by"


def test_detail_never_lists_a_draft_or_a_record_in_review(client):
    graph = safe_city_graph()
    review = DocumentFactory(public_id="in-review", status=Status.REVIEW)
    LinkFactory(source=review, target=graph["opinion"], relation=Relation.CITES)
    LinkFactory(source=graph["opinion"], target=review, relation=Relation.SUPPORTS)
    for public_id in ("commissioner-opinion", "minister-1000-cameras", "share-analysis"):
        text = client.get(f"/api/records/{public_id}/").content.decode()
        assert "secret-draft" not in text and "Unpublished leak" not in text
        assert "in-review" not in text


@pytest.mark.parametrize(
    "public_id", ["secret-draft", "in-review", "does-not-exist", "%ff%fe", "x" * 300, "Ж"]
)
def test_draft_review_or_unknown_id_is_a_404_json_message(client, public_id):
    safe_city_graph()
    DocumentFactory(public_id="in-review", status=Status.REVIEW)
    data = get_json(client, f"/api/records/{public_id}/", status=404)
    assert data["detail"]
    assert "Unpublished leak" not in str(data)


def test_draft_detail_is_404_even_for_a_logged_in_editor(editor_client):
    safe_city_graph()
    get_json(editor_client, "/api/records/secret-draft/", status=404)
    assert "secret-draft" not in str(get_json(editor_client, "/api/records/?sort=title"))


def test_api_is_read_only(client):
    safe_city_graph()
    for method in (client.post, client.put, client.patch, client.delete):
        response = method(
            "/api/records/commissioner-opinion/", data={}, content_type="application/json"
        )
        assert response.status_code in (403, 405)
    assert client.post("/api/records/", data={}, content_type="application/json").status_code in (
        403,
        405,
    )
    assert (
        Record.objects.get(public_id="commissioner-opinion").title
        == "Commissioner's opinion on the DPIA"
    )


@pytest.mark.parametrize(
    "params", [{"kind": "bogus"}, {"actor": "nobody"}, {"date_from": "last year"}]
)
def test_public_export_refuses_bad_filter_values_instead_of_exporting_everything(client, params):
    """Like the list API: a mistyped filter must not silently download the whole archive."""
    safe_city_graph()
    data = get_json(client, "/api/export.jsonl?" + urlencode(params), status=400)
    assert set(data) == set(params)


def test_nul_character_in_an_api_query_is_a_json_400(client):
    response = client.get("/api/records/?kind=%00")
    assert response.status_code == 400
    assert response.json() == {"detail": "The address contains a NUL character."}


def test_sort_by_title_descending_orders_z_to_a(client):
    from tests.factories import DocumentFactory

    for title, year in [("Zeta", "2018"), ("Alpha", "2020"), ("Mid", "2019")]:
        DocumentFactory(title=title, date=f"{year}-01-01", date_precision=1)
    titles = [r["title"] for r in client.get("/api/records/?sort=-title").json()["results"]]
    assert titles == ["Zeta", "Mid", "Alpha"]
