"""Serbian first: every public page type, read as a Serbian reader in Cyrillic reads it,
holds no Latin-script word except proper nouns written only in Latin, URLs and code; and
no page in one language shows another language's generated words (placeholders, events).

Content in another language is allowed where the page says so with ``lang`` (an English
record's title on a Serbian page): that is the record's own text, not the page's.
"""

import re

import lxml.html
import pytest
from django.utils.translation import override

from records.management.commands.demo import DEMO_FILE
from records.models import (
    Actor,
    Direction,
    Question,
    Record,
    SentVia,
    Tag,
)
from records.records.services import import_jsonl
from tests.foi_helpers import receive, reply_mail, sent_request

pytestmark = pytest.mark.django_db

# Proper nouns written only in Latin, and the archive's own name for file formats.
ALLOWED_LATIN = {
    # Names that exist only in Latin script.
    "Huawei", "Technologies", "Co", "Ltd", "SHARE", "EDRi", "Presstories", "Kamerolovac",
    # Named in Serbian records' own text: Civil Rights Defenders, "Safe City", Foreign
    # Policy, CEE Legal Matters, NUNS, NOS, IRIS Merlin, European Western Balkans.
    "Civil", "Rights", "Defenders", "Safe", "City", "Foreign", "Policy",
    "CEE", "NUNS", "NOS", "IRIS", "European", "Western", "Balkans",
    # Formats, protocols and the search syntax, written as their standards write them.
    "API", "JSONL", "JSON", "CSV", "RIS", "BibTeX", "CSL", "GeoJSON", "IP", "OR",
}  # fmt: skip
LATIN_WORD = re.compile(r"\b[A-Za-zčćđšžČĆĐŠŽ]{2,}\b")
SKIPPED_TAGS = {"code", "script", "style", "pre", "svg", "kbd", "samp"}


@pytest.fixture
def archive():
    with DEMO_FILE.open(encoding="utf-8") as lines:
        import_jsonl(lines)
    from records.management.commands.demo import DEMO_QUESTIONS, load_questions

    load_questions(DEMO_QUESTIONS)
    # A request with a timeline and a scrubbed reply, as real use leaves it.
    mup = Actor.objects.get(short_name="MUP")
    mup.foi_email = "foi@mup.example"
    mup.save()
    foi = sent_request(public_body=mup, via=SentVia.EMAIL)
    receive(reply_mail(foi.reply_address, text="Poštovana Ana Anić, pozovite 064/123-45-67."))
    foi.refresh_from_db()
    assert foi.is_published
    return foi


def _pages(foi):
    with override("en"):
        return _english_paths(foi)


def _english_paths(foi):
    actor = Actor.objects.in_public_records().first()
    tag = Tag.objects.in_public_records().first()
    question = Question.objects.published().first()
    pages = [
        "/",
        "/records/",
        "/search/?q=kamere",
        "/timeline/",
        "/actors/",
        actor.get_absolute_url(),
        "/tags/",
        tag.get_absolute_url(),
        "/map/",
        "/questions/",
        question.get_absolute_url(),
        "/charts/",
        "/privacy/",
        "/foi/",
        "/bodies/",
        foi.public_body.get_body_url(),
        foi.get_absolute_url(),
    ]
    pages += [r.get_absolute_url() for r in Record.objects.published()]
    return pages


def _visible_text(html, page_lang):
    """The words of ``html`` in the page's own language: elements marked with another
    ``lang``, code and URLs left out."""
    tree = lxml.html.fromstring(html)
    foreign = [
        element
        for element in tree.iter()
        if isinstance(element.tag, str)
        and (element.tag in SKIPPED_TAGS or element.get("lang", page_lang) != page_lang)
        and element.tag != "html"
    ]
    for element in foreign:
        element.drop_tree()
    body = tree.find("body")
    text = body.text_content() if body is not None else ""
    return re.sub(r"\S+://\S+|\S+@\S+|www\.\S+|\S+\.(?:rs|org|com|eu|html)\S*", " ", text)


def _latin_words(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    return {word for word in LATIN_WORD.findall(_visible_text(html, "sr-Cyrl"))} - ALLOWED_LATIN


def test_every_public_page_in_cyrillic_has_no_latin_word_but_proper_nouns(client, archive):
    found = {}
    for path in _pages(archive):
        words = _latin_words(client, "/sr" + path)
        if words:
            found[path] = sorted(words)
    assert found == {}


@pytest.mark.parametrize(
    ("prefix", "foreign"),
    [
        ("", ["[tražilac]", "[тражилац]", "[broj telefona]", "Zahtev je poslat", "E-pošta"]),
        ("/sr-latn", ["[requester]", "[phone number]", "Request sent", "(E-mail)", "Post)"]),
        ("/sr", ["[requester]", "[phone number]", "Request sent", "(E-mail)", "(Pošta)"]),
    ],
)
def test_no_page_shows_another_languages_placeholders_or_event_labels(
    client, archive, prefix, foreign
):
    with override("en"):
        url = archive.get_absolute_url()
    html = client.get(prefix + url).content.decode()
    assert html.count("<time") > 2  # the timeline is there
    for text in foreign:
        assert text not in html, (prefix, text)


def test_scrubbed_reply_reads_in_each_readers_language(client, archive):
    with override("en"):  # a Serbian page leaves its language active
        url = archive.get_absolute_url()
    expected = {
        "": ["[requester]", "[phone number]"],
        "/sr-latn": ["[tražilac]", "[broj telefona]"],
        "/sr": ["[тражилац]", "[број телефона]"],
    }
    for prefix, placeholders in expected.items():
        html = client.get(prefix + url).content.decode()
        for placeholder in placeholders:
            assert placeholder in html, (prefix, placeholder)
    reply = archive.messages.get(direction=Direction.INCOMING)
    assert "Anić" not in reply.body and "⟦requester⟧" in reply.body


def test_an_actor_reads_in_the_readers_language_and_script(client, archive):
    mup = Actor.objects.get(short_name="MUP")
    assert mup.name_sr and mup.name_en
    with override("en"):
        url = mup.get_absolute_url()
    pages = {
        prefix: client.get(prefix + url).content.decode() for prefix in ("", "/sr", "/sr-latn")
    }
    assert "Ministry of Interior (MUP)" in pages[""]
    assert "Министарство унутрашњих послова (МУП)" in pages["/sr"]
    assert "Ministarstvo unutrašnjih poslova (MUP)" in pages["/sr-latn"]


def test_searching_either_name_of_an_actor_finds_its_records(client, archive):
    english = client.get("/api/records/", {"q": '"Ministry of Interior"'}).json()
    serbian = client.get("/api/records/", {"q": '"ministarstvo unutrasnjih poslova"'}).json()
    assert english["count"] > 0 and english["count"] == serbian["count"]
    acronym = client.get("/api/records/", {"q": "BCSP"}).json()
    assert acronym["count"] > 0


def test_a_tag_reads_in_the_readers_language_with_its_slug_unchanged(client, archive):
    tag = Tag.objects.get(name="facial recognition")
    with override("en"):
        url = tag.get_absolute_url()
    assert "facial recognition" in client.get(url).content.decode()
    assert "препознавање лица" in client.get("/sr" + url).content.decode()
    assert "prepoznavanje lica" in client.get("/sr-latn" + url).content.decode()
    assert tag.slug == "facial-recognition"


def test_the_reply_e_mail_speaks_the_recipients_language(archive):
    from django.core import mail

    from records.models import Follow

    reader = archive.requester
    reader.profile.language = "sr"
    reader.profile.save()
    Follow.objects.get_or_create(user=reader, request=archive)
    mail.outbox.clear()
    receive(reply_mail(archive.reply_address, text="Poštovana Ana Anić, evo odgovora."))
    sent = [m for m in mail.outbox if reader.email in m.to]
    assert sent, [m.to for m in mail.outbox]
    body = sent[-1].body
    assert "[тражилац]" in body and "⟦" not in body and "[requester]" not in body
