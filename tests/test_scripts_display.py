"""Serbian records read in the reader's script: Cyrillic under /sr-latn/ becomes Latin,
Latin under /sr/ becomes Cyrillic, English pages show the text as written."""

import pytest

from records.models import Language
from tests.factories import DocumentFactory

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
    assert "“Љубовија и Његош”" in latin  # a citation keeps the title as written
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
