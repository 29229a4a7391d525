"""Search finds Serbian however it is written and typed, and reads the query syntax.

Every test goes through ``/api/records/?q=`` on the database under test (PostgreSQL in CI,
SQLite locally), so the normaliser, the index and the query rendering are all exercised.
"""

import unicodedata
from importlib import import_module

import pytest
from django.apps import apps

from records.models import Language, Record, Status
from records.search.query import parse
from tests.factories import DocumentFactory, StatementFactory

pytestmark = pytest.mark.django_db


def found(client, q, **params):
    response = client.get("/api/records/", {"q": q, **params})
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def serbian(db):
    return {
        "sabic": DocumentFactory(
            public_id="sabic",
            title="Мишљење Повереника",
            body="Родољуб Шабић је упозорио.",
            language=Language.SR_CYRL,
        ),
        "zalba": DocumentFactory(
            public_id="zalba", title="Žalba Povereniku", language=Language.SR_LATN
        ),
        "djordjevic": DocumentFactory(
            public_id="djordjevic",
            title="Izjava",
            body="Govorio je Marko Đorđević.",
            language=Language.SR_LATN,
        ),
        "ljubovija": DocumentFactory(
            public_id="ljubovija", title="Камере у Љубовији", language=Language.SR_CYRL
        ),
        "njegos": DocumentFactory(
            public_id="njegos",
            title="Улица Његошева",
            summary="Стихови Његош.",
            language=Language.SR_CYRL,
        ),
        "dzak": DocumentFactory(
            public_id="dzak", title="Џак са документима", language=Language.SR_CYRL
        ),
        "kamerama": DocumentFactory(
            public_id="kamerama", title="Nadzor kamerama u gradu", language=Language.SR_LATN
        ),
        "zahtevi": DocumentFactory(
            public_id="zahtevi", title="Захтеви за приступ", language=Language.SR_CYRL
        ),
        "face": DocumentFactory(
            public_id="face", title="Препознавање лица на улицама", language=Language.SR_CYRL
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sabic", "sabic"),
        ("Šabić", "sabic"),
        ("zalba", "zalba"),
        ("жалба", "zalba"),
        ("djordjevic", "djordjevic"),
        ("dordevic", "djordjevic"),
        ("Ђорђевић", "djordjevic"),
        ("ljubovija", "ljubovija"),
        ("njegos", "njegos"),
        ("dzak", "dzak"),
        ("DŽAK", "dzak"),
    ],
)
def test_queries_ignore_script_and_diacritics(client, serbian, query, expected):
    assert found(client, query) == [expected]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kamera", {"kamerama", "ljubovija"}),
        ("камере", {"kamerama", "ljubovija"}),
        ("zahtev", {"zahtevi"}),
        ("zahteva", {"zahtevi"}),
    ],
)
def test_serbian_inflections_match_their_base_form(client, serbian, query, expected):
    assert set(found(client, query)) == expected


def test_a_latin_phrase_finds_cyrillic_text(client, serbian):
    assert found(client, '"prepoznavanje lica"') == ["face"]


def test_english_words_stem_as_english(client, db):
    DocumentFactory(public_id="en", title="Cameras with facial recognition", language="en")
    assert found(client, "camera") == ["en"]
    assert found(client, "recognised") == []  # British -ised is another stem
    assert found(client, "recognition cameras") == ["en"]


@pytest.fixture
def phrases(db):
    DocumentFactory(public_id="adjacent", title="Safe city cameras in Belgrade")
    DocumentFactory(public_id="apart", title="City hall is safe, says the mayor")
    DocumentFactory(public_id="huawei", title="Huawei supplies cameras")
    DocumentFactory(public_id="hikvision", title="Hikvision supplies cameras")
    DocumentFactory(public_id="other", title="A report on budgets")


def test_a_quoted_phrase_needs_the_words_together_and_in_order(client, phrases):
    assert found(client, '"safe city"') == ["adjacent"]
    assert set(found(client, "safe city")) == {"adjacent", "apart"}
    assert found(client, '"city safe"') == []


def test_or_finds_either_and_binds_tighter_than_and(client, phrases):
    assert set(found(client, "huawei OR hikvision")) == {"huawei", "hikvision"}
    assert set(found(client, "huawei | budgets")) == {"huawei", "other"}
    assert set(found(client, "huawei OR hikvision cameras")) == {"huawei", "hikvision"}
    assert found(client, "huawei OR hikvision budgets") == []


def test_minus_leaves_words_and_phrases_out(client, phrases):
    assert set(found(client, "supplies -huawei")) == {"hikvision"}
    assert set(found(client, 'cameras -"safe city"')) == {"huawei", "hikvision"}


@pytest.mark.parametrize(
    ("query", "finds_huawei"),
    [
        ('"unbalanced quote', False),
        ("OR", False),
        ("OR OR -", False),
        ("- -- ---", False),
        ('""', False),
        ("huawei OR", True),
        ("OR huawei", True),
        ("((huawei", True),
        ("huawei & | ! <-> :* '", True),
        ("NEAR(huawei) {title}: ^huawei", False),  # NEAR(huawei is read as a phrase
        ("huawei\x00", True),
        ("\x01\x02\x1bhuawei\x7f", True),
        ('"huawei', True),
        ("huawei " * 2000, True),
        ("x" * 10_000, False),
        ("🙂 huawei ‽", True),
    ],
)
def test_malformed_queries_never_fail(client, phrases, query, finds_huawei):
    response = client.get("/api/records/", {"q": query})
    assert response.status_code == 200
    page = client.get("/search/", {"q": query})
    assert page.status_code == 200
    assert ("huawei" in found(client, query)) is finds_huawei


def test_a_query_of_only_exclusions_shows_help_instead_of_everything(client, phrases):
    assert found(client, "-huawei") == []
    page = client.get("/search/", {"q": "-huawei"})
    assert "Type a word to search for." in page.content.decode()


def test_the_parser_keeps_a_long_query_bounded_and_says_so():
    query = parse(" ".join(f"word{n}" for n in range(100)))
    assert len(query.clauses) == 24
    assert query.truncated
    assert not parse("two words").truncated


def test_operators_typed_inside_words_are_plain_text(client, db):
    DocumentFactory(public_id="email", title="E-mail from the ministry", language="en")
    assert found(client, "e-mail") == ["email"]
    assert found(client, "-e-mail ministry") == []


def test_drafts_never_match(client, db):
    StatementFactory(public_id="draft", title="Secret cameras", status=Status.DRAFT)
    StatementFactory(public_id="public", title="Public cameras")
    assert found(client, "cameras") == ["public"]


def test_words_in_other_scripts_are_found_on_both_databases(client, db):
    DocumentFactory(public_id="greek", title="Συνέντευξη στην Αθήνα, Þórr и объектив")
    assert found(client, "αθηνα") == ["greek"]
    assert found(client, "þórr") == ["greek"]
    assert found(client, "объектив") == ["greek"]


# "Šabić" as PDFs and Macs may spell it (NFD): S + U+030C, a, b, i, c + U+0301.
DECOMPOSED = unicodedata.normalize("NFD", "Šabić i Ђорђевић, žalba")


def test_words_spelt_with_combining_marks_are_found_and_highlighted_whole(client, db):
    assert unicodedata.normalize("NFC", DECOMPOSED) != DECOMPOSED
    DocumentFactory(
        public_id="nfd", title="Mišljenje", summary=DECOMPOSED, language=Language.SR_LATN
    )

    for query in ("sabic", "Шабић", "djordjevic", "zalba", DECOMPOSED.split()[0]):
        assert found(client, query) == ["nfd"], query
    snippet = client.get("/api/records/", {"q": "sabic"}).json()["results"][0]["snippet"]
    assert f"<mark>{DECOMPOSED.split()[0]}</mark>" in snippet
    page = client.get("/sr/search/", {"q": "sabic"}).content.decode()
    assert "<mark>Шабић</mark>" in page


def test_the_migration_reindexes_only_the_records_spelt_with_combining_marks(client, db):
    migration = import_module("records.migrations.0017_reindex_decomposed_text")
    marked = DocumentFactory(public_id="nfd", title="Izjava", body=DECOMPOSED)
    plain = DocumentFactory(public_id="plain", title="Izjava", body="Šabić")
    # As indexed before: every word of the marked record split at its marks.
    Record.objects.filter(pk__in=[marked.pk, plain.pk]).update(search_text="s abic")
    assert found(client, "sabic") == []

    migration.reindex(apps, None)

    assert found(client, "sabic") == ["nfd"]
    assert Record.objects.get(pk=plain.pk).search_text == "s abic"  # not read again
