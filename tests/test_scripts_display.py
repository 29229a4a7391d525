"""Serbian records read in the reader's script: Cyrillic under /sr-latn/ becomes Latin,
Latin under /sr/ becomes Cyrillic, English pages show the text as written."""

import re

import pytest

from records.models import Language, Relation
from tests.factories import ActorFactory, DocumentFactory, LinkFactory, StatementFactory

pytestmark = pytest.mark.django_db


def test_a_cyrillic_record_reads_in_latin_on_the_latin_pages(client):
    record = DocumentFactory(
        title="Љубовија и Његош",
        summary="Џак камера",
        body="Текст **тела**",
        language=Language.SR_CYRL,
    )
    latin = client.get(f"/sr-latn/r/{record.public_id}/").content.decode()
    assert (
        "Ljubovija i Njegoš" in latin
        and "Džak kamera" in latin
        and "<strong>tela</strong>" in latin
    )
    assert (
        '<article class="record" lang="sr-Latn">' in latin
        and "<h1>Ljubovija i Njegoš</h1>" in latin
    )
    # A citation gives the title in the reader's script and quotation marks.
    assert "„Ljubovija i Njegoš.“" in latin
    cyrillic = client.get(f"/sr/r/{record.public_id}/").content.decode()
    assert "Љубовија и Његош" in cyrillic
    english = client.get(f"/r/{record.public_id}/").content.decode()
    assert "Љубовија и Његош" in english  # the English pages show the original


def test_a_latin_record_reads_in_cyrillic_but_its_urls_stay_as_they_are(client):
    record = DocumentFactory(
        title="Ljubovija i Njegoš",
        body="Izvor: [Paragraf](https://www.paragraf.rs/vesti/kamere.html)",
        language=Language.SR_LATN,
    )
    page = client.get(f"/sr/r/{record.public_id}/").content.decode()
    assert "Љубовија и Његош" in page and 'href="https://www.paragraf.rs/vesti/kamere.html"' in page
    listing = client.get("/sr/records/").content.decode()
    assert "Љубовија и Његош" in listing


def test_english_records_are_never_transliterated(client):
    record = DocumentFactory(title="Safe City cameras", language=Language.EN)
    assert "Safe City cameras" in client.get(f"/sr/r/{record.public_id}/").content.decode()


def _search(client, prefix, words):
    return client.get(f"{prefix}/search/", {"q": words}).content.decode()


def test_search_results_read_in_the_readers_script_with_the_query_words_marked(client):
    """The highlight is made on the text as shown: a Latin query marks the Cyrillic
    record's word in Latin under /sr-latn/, and the Latin record's in Cyrillic under /sr/."""
    DocumentFactory(
        public_id="cyr",
        title="Нове камере у Београду",
        summary="Постављене су камере на 800 локација.",
        language=Language.SR_CYRL,
    )
    DocumentFactory(
        public_id="lat",
        title="Kamere na Slaviji",
        summary="Policija je postavila kamere.",
        language=Language.SR_LATN,
    )
    latin = _search(client, "/sr-latn", "kamere")
    assert (
        '<a href="/sr-latn/r/cyr/" lang="sr-Latn">Nove <mark>kamere</mark> u Beogradu</a>' in latin
    )
    shown = '<span lang="sr-Latn">Postavljene su <mark>kamere</mark> na 800 lokacija.</span>'
    assert shown in latin
    assert '<a href="/sr-latn/r/lat/" lang="sr-Latn"><mark>Kamere</mark> na Slaviji</a>' in latin
    assert "Нове" not in latin and "Постављене" not in latin

    cyrillic = _search(client, "/sr", "kamere")
    assert '<a href="/sr/r/lat/" lang="sr-Cyrl"><mark>Камере</mark> на Славији</a>' in cyrillic
    assert '<span lang="sr-Cyrl">Полиција је поставила <mark>камере</mark>.</span>' in cyrillic
    assert '<a href="/sr/r/cyr/" lang="sr-Cyrl">Нове <mark>камере</mark> у Београду</a>' in cyrillic

    english = _search(client, "", "kamere")  # the English pages show the text as written
    assert '<a href="/r/cyr/" lang="sr-Cyrl">Нове <mark>камере</mark> у Београду</a>' in english
    assert '<a href="/r/lat/" lang="sr-Latn"><mark>Kamere</mark> na Slaviji</a>' in english


def test_the_api_keeps_search_results_as_stored(client):
    DocumentFactory(title="Нове камере", language=Language.SR_CYRL)
    body = client.get("/api/records/", {"q": "kamere"}, HTTP_ACCEPT_LANGUAGE="sr-latn").json()
    assert body["results"][0]["title"] == "Нове камере"
    assert body["results"][0]["title_html"] == "Нове <mark>камере</mark>"


def test_the_search_feed_reads_in_the_readers_script(client):
    DocumentFactory(title="Нове камере", summary="Џак", language=Language.SR_CYRL)
    feed = client.get("/sr-latn/search/", {"q": "kamere", "format": "atom"}).content.decode()
    assert "<title>Nove kamere</title>" in feed and "Džak" in feed
    assert "Нове" not in feed


def test_linked_records_and_the_link_graph_read_in_the_readers_script(client):
    cyrillic = DocumentFactory(public_id="cyr", title="Љубовија и Његош", language=Language.SR_CYRL)
    latin = StatementFactory(public_id="lat", title="Njegoš i Ljubovija", language=Language.SR_LATN)
    LinkFactory(source=latin, target=cyrillic, relation=Relation.CITES)
    page = client.get("/sr-latn/r/lat/").content.decode()
    links = page[page.index('<section class="links"') : page.index('<section class="files"')]
    assert '<a href="/sr-latn/r/cyr/" lang="sr-Latn">Ljubovija i Njegoš</a>' in links
    graph = links[links.index("<svg") : links.index("</svg>")]
    assert '<title lang="sr-Latn">Ljubovija i Njegoš</title>' in graph
    assert re.search(r'<text class="graph-title" lang="sr-Latn"><tspan[^>]*>Ljubovija i', graph)
    assert "Љубовија" not in links

    page = client.get("/sr/r/cyr/").content.decode()
    links = page[page.index('<section class="links"') : page.index('<section class="files"')]
    assert '<a href="/sr/r/lat/" lang="sr-Cyrl">Његош и Љубовија</a>' in links
    assert '<title lang="sr-Cyrl">Његош и Љубовија</title>' in links
    assert "Njegoš" not in links


def test_a_statements_venue_reads_in_the_readers_script(client):
    StatementFactory(
        public_id="st", title="Izjava", venue="Večernje novosti", language=Language.SR_LATN
    )
    page = client.get("/sr/r/st/").content.decode()
    assert "</strong> Вечерње новости</p>" in page
    assert '<article class="record" lang="sr-Cyrl">' in page  # which the venue is part of


def test_the_home_page_and_an_actor_page_list_records_in_the_readers_script(client):
    actor = ActorFactory(name="Ministarstvo unutrašnjih poslova")
    DocumentFactory(
        public_id="cyr",
        title="Љубовија и Његош",
        summary="Џак камера",
        language=Language.SR_CYRL,
        actors=[(actor, "author")],
    )
    home = client.get("/sr-latn/").content.decode()
    assert '<a href="/sr-latn/r/cyr/" lang="sr-Latn">Ljubovija i Njegoš</a>' in home
    actor_page = client.get(f"/sr-latn/actors/{actor.slug}/").content.decode()
    assert '<a href="/sr-latn/r/cyr/" lang="sr-Latn">Ljubovija i Njegoš</a>' in actor_page
    assert '<p class="record-summary" lang="sr-Latn">Džak kamera</p>' in actor_page
    # A Serbian actor's name is shown in the reader's script.
    assert "Министарство унутрашњих послова" in client.get("/sr/r/cyr/").content.decode()
