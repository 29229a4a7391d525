"""The search page, its facets, help, feed, and the API giving the same answers."""

import re
from urllib.parse import parse_qs, urlsplit

import feedparser
import pytest

from records.models import Kind, Language, Role, Status
from tests.factories import (
    ActorFactory,
    DocumentFactory,
    FOIRequestFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db


def page(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response.content.decode()


def result_ids(html):
    return re.findall(r'<h3 class="record-title"><a href="/r/([^/"]+)/"[^>]*>', html)


@pytest.fixture
def archive(db):
    sabic = ActorFactory(name="Родољуб Шабић", kind="person")
    mup = ActorFactory(name="Ministarstvo unutrašnjih poslova")
    records = {
        "title": DocumentFactory(
            public_id="in-title",
            title="Kamere u Beogradu",
            date="2020-05-01",
            tags=["cameras"],
            actors=[(mup, Role.AUTHOR)],
        ),
        "body": StatementFactory(
            public_id="in-body",
            title="Izjava ministra",
            body="Rekao je da kamere rade.",
            date="2021-01-01",
            actors=[(mup, Role.SPEAKER)],
            language=Language.SR_LATN,
        ),
        "summary": FOIRequestFactory(
            public_id="in-summary",
            title="Zahtev za informacije",
            summary="Tražimo ugovor o kamerama.",
            date="2019-02-01",
            actors=[(sabic, Role.ADDRESSEE)],
            language=Language.SR_LATN,
        ),
        "draft": DocumentFactory(
            public_id="draft", title="Kamere tajno", status=Status.DRAFT, date="2022-01-01"
        ),
    }
    return records


def test_title_matches_rank_above_summary_and_body_matches(client, archive):
    assert result_ids(page(client, q="kamere")) == ["in-title", "in-summary", "in-body"]


def test_newest_and_oldest_sort_cover_every_match(client, archive):
    assert result_ids(page(client, q="kamere", sort="-date")) == [
        "in-body",
        "in-title",
        "in-summary",
    ]
    assert result_ids(page(client, q="kamere", sort="date")) == [
        "in-summary",
        "in-title",
        "in-body",
    ]


def test_words_close_together_rank_above_words_far_apart(client, db):
    DocumentFactory(
        public_id="far",
        title="Report",
        body="Camera " + "filler " * 50 + "contract.",
        date="2022-01-01",
    )
    DocumentFactory(
        public_id="near",
        title="Report",
        body="The camera contract was signed.",
        date="2020-01-01",
    )
    assert result_ids(page(client, q="camera contract")) == ["near", "far"]


def test_the_api_returns_the_same_order_as_the_page(client, archive):
    for sort in ("", "-date", "date"):
        api = client.get(
            "/api/records/", {"q": "kamere", "sort": sort} if sort else {"q": "kamere"}
        )
        html = page(client, q="kamere", **({"sort": sort} if sort else {}))
        assert [row["id"] for row in api.json()["results"]] == result_ids(html)


def test_results_highlight_the_matching_words_in_the_original_script(client, db):
    DocumentFactory(
        public_id="cyr",
        title="Мишљење",
        language=Language.SR_CYRL,
        summary="Повереник Шабић је рекао да <script>камере</script> крше закон.",
    )
    html = page(client, q="sabic kamere")
    assert "<mark>Шабић</mark>" in html
    assert "&lt;script&gt;<mark>камере</mark>&lt;/script&gt;" in html
    api = client.get("/api/records/", {"q": "sabic"}).json()
    assert "<mark>Шабић</mark>" in api["results"][0]["snippet"]


def test_results_show_kind_date_and_actors(client, archive):
    html = page(client, q="zahtev")
    assert "FOI request" in html
    assert '<time datetime="2019-02-01">Feb. 1, 2019</time>' in html
    assert "Родољуб Шабић" in html


def test_facets_count_the_current_results_and_link_to_narrower_searches(client, archive):
    body = client.get("/api/records/", {"q": "kamere"}).json()
    facets = {
        name: {v["value"]: v["count"] for v in values} for name, values in body["facets"].items()
    }
    assert facets["kind"] == {Kind.DOCUMENT: 1, Kind.STATEMENT: 1, Kind.FOI_REQUEST: 1}
    assert facets["year"] == {"2019": 1, "2020": 1, "2021": 1}
    assert facets["actor"] == {"ministarstvo-unutrašnjih-poslova": 2, "родољуб-шабић": 1}
    assert facets["tag"] == {"cameras": 1}
    assert facets["language"] == {"en": 1, "sr-Latn": 2}

    html = page(client, q="kamere")
    link = re.search(
        r'<a href="([^"]+)">Ministarstvo unutrašnjih poslova</a> <span class="count">2', html
    )
    assert link, "the actor facet links to a narrower search"
    narrowed = client.get(link.group(1).replace("&amp;", "&"))
    assert result_ids(narrowed.content.decode()) == ["in-title", "in-body"]
    year = re.search(r'<a href="([^"]+)">2019</a>', html).group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(year).query) == {
        "q": ["kamere"],
        "date_from": ["2019"],
        "date_to": ["2019"],
    }
    assert result_ids(client.get(year).content.decode()) == ["in-summary"]


def test_filters_combine_with_the_query_and_can_be_removed(client, archive):
    html = page(client, q="kamere", kind="statement")
    assert result_ids(html) == ["in-body"]
    assert "Remove filter" in html


def test_active_filters_name_their_values_as_the_reader_knows_them(client, archive):
    """The chips say "Kind: Government statement" and the actor's name, not the values in
    the URL ("statement", a slug)."""
    mup = archive["title"].actor_roles.get().actor
    tag = archive["title"].tags.get()
    params = {
        "q": "kamere",
        "kind": "document",
        "language": "en",
        "actor": mup.slug,
        "tag": tag.slug,
        "date_from": "2020-05",
    }
    html = page(client, **params)
    assert result_ids(html) == ["in-title"]
    chips = re.findall(r'<a class="chip-remove"[^>]*>(.*?) ✕</a>', html)
    assert chips == [
        "Kind: Document",
        "Actor: Ministarstvo unutrašnjih poslova",
        "Tag: cameras",
        "Language: English",
        "From: May 2020",
    ]
    chips = re.findall(
        r'<a class="chip-remove"[^>]*>(.*?) ✕</a>', page(client, q="kamere", kind="statement")
    )
    assert chips == ["Kind: Government statement"]


def test_a_filter_that_cannot_be_used_keeps_the_words_in_the_box(client, archive):
    html = page(client, q="kamere beograd", actor="no-such-actor")
    assert "Some filters could not be used" in html
    assert '<input id="search-q" type="search" name="q" value="kamere beograd"' in html
    assert '<a href="/search/?q=kamere%20beograd">Search without filters</a>' in html


def test_the_actor_facet_shows_the_ten_largest_counts_ties_by_name(client, db):
    # Twelve actors: "Actor 01" in 12 matching records ... "Actor 12" in 1; two more
    # tie with the tenth ("Actor 10", 3 records) and win or lose on their name.
    actors = {n: ActorFactory(name=f"Actor {n:02d}") for n in range(1, 13)}
    actors["tie-a"] = ActorFactory(name="Actor 09b")
    actors["tie-z"] = ActorFactory(name="Actor 10z")
    sizes = {**{n: 13 - n for n in range(1, 13)}, "tie-a": 3, "tie-z": 3}
    for key, size in sizes.items():
        for _ in range(size):
            DocumentFactory(title="Kamere", actors=[(actors[key], Role.SUBJECT)])
    facet = client.get("/api/records/", {"q": "kamere"}).json()["facets"]["actor"]
    assert [(v["label"], v["count"]) for v in facet] == [
        ("Actor 01", 12),
        ("Actor 02", 11),
        ("Actor 03", 10),
        ("Actor 04", 9),
        ("Actor 05", 8),
        ("Actor 06", 7),
        ("Actor 07", 6),
        ("Actor 08", 5),
        ("Actor 09", 4),
        ("Actor 09b", 3),
    ]


def test_a_draft_is_not_counted_in_any_facet(client, archive):
    body = client.get("/api/records/", {"q": "tajno"}).json()
    assert body["count"] == 0 and body["facets"] == {}


def test_no_results_with_filters_offers_the_search_without_them(client, archive):
    html = page(client, q="kamere", kind="statement", date_from="2015", date_to="2016")
    assert "No published record matches this search." in html
    assert "Search without the filters (3 results)" in html


@pytest.mark.parametrize("typed", ["sabik", "Sabich", "шабик"])
def test_no_results_suggests_the_closest_spelling_of_a_name(client, archive, typed):
    html = page(client, q=typed)
    assert "Did you mean:" in html
    assert re.search(r'<a href="[^"]*">Шабић</a>', html)


def test_no_suggestion_for_a_word_unlike_any_name(client, archive):
    assert "Did you mean" not in page(client, q="xylophone")


def test_an_empty_search_shows_the_help(client, db):
    html = page(client)
    assert "How to search" in html
    assert "result" not in re.sub(r"<[^>]+>", "", html).split("How to search")[0][-200:]


def test_invalid_filters_are_explained_not_failed(client, archive):
    html = page(client, q="kamere", date_from="yesterday")
    assert "Some filters could not be used" in html
    api = client.get("/api/records/", {"q": "kamere", "date_from": "yesterday"})
    assert api.status_code == 400 and "date_from" in api.json()


def test_every_search_is_an_atom_feed_that_parses_cleanly(client, archive):
    html = page(client, q="kamere")
    feed_href = (
        re.search(
            r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="([^"]+)">',
            html,
        )
        .group(1)
        .replace("&amp;", "&")
    )
    response = client.get(feed_href)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert feed.bozo is False, feed.get("bozo_exception")
    assert feed.feed.title == "Nadzor: records matching “kamere”"
    assert {entry.link.rsplit("/r/", 1)[1].strip("/") for entry in feed.entries} == {
        "in-title",
        "in-body",
        "in-summary",
    }
    assert all(entry.published and entry.updated for entry in feed.entries)


def test_the_feed_follows_filters_and_leaves_out_drafts(client, archive):
    feed = feedparser.parse(
        client.get("/search/", {"q": "kamere", "kind": "document", "format": "atom"}).content
    )
    assert feed.bozo is False
    assert [e.link.rsplit("/r/", 1)[1].strip("/") for e in feed.entries] == ["in-title"]


def test_the_search_page_is_translated(client, archive):
    html = client.get("/sr/search/", {"q": "kamere"}).content.decode()
    assert "Претражите архиву" in html and "Кako се претражује" not in html
    html = client.get("/sr-latn/search/", {"q": "nepostojecarec"}).content.decode()
    assert "Nijedan objavljeni zapis" in html


def test_search_words_on_the_records_list_lead_to_the_search_page(client, archive):
    response = client.get("/records/", {"q": "kamere", "kind": "document"})
    assert response.status_code == 302
    assert response["Location"] == "/search/?q=kamere&kind=document"
    listing = client.get("/records/").content.decode()
    assert "Most relevant" not in listing and "Newest first" in listing


def test_the_header_search_box_is_on_every_page_but_the_search_page(client, archive):
    assert 'class="header-search"' in client.get("/").content.decode()
    assert 'class="header-search"' not in page(client, q="kamere")


def test_the_export_takes_the_same_search_words(client, archive):
    response = client.get("/api/export.jsonl", {"q": "kamere", "kind": "statement"})
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert [line.split('"id": "')[1].split('"')[0] for line in lines] == ["in-body"]
