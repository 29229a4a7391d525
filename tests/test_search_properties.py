"""Properties of the normaliser and the query language, checked over generated input."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from records.core.transliteration import cyrillic_to_latin, latin_to_cyrillic
from records.models import Document
from records.search.normalise import fold, normalise_word, query_forms
from records.search.query import parse
from tests.factories import DocumentFactory

pytestmark = pytest.mark.slow

serbian_letters = st.text(
    alphabet="abcčćdđefghijklmnoprsštuvzžABCČĆDĐEFGHIJKLMNOPRSŠTUVZŽ", min_size=1, max_size=20
)


@given(serbian_letters)
def test_a_word_without_its_diacritics_normalises_like_the_word(word):
    assert normalise_word(word) == normalise_word(fold(word))


@given(serbian_letters)
def test_folding_twice_changes_nothing(word):
    assert fold(fold(word)) == fold(word)


@given(st.text(alphabet="абвгдђежзијклљмнњопрстћуфхцчџш", min_size=1, max_size=20))
def test_a_cyrillic_word_normalises_like_its_latin_spelling(word):
    assert normalise_word(word) == normalise_word(cyrillic_to_latin(word))
    assert normalise_word(word) == normalise_word(latin_to_cyrillic(cyrillic_to_latin(word)))


@given(st.text(max_size=300))
def test_every_input_parses_to_safe_tokens(text):
    query = parse(text)
    for token in query.highlight_forms:
        assert token.isascii() and token.isalnum() and len(token) <= 60
    assert bool(query) == bool(query.clauses)


@given(serbian_letters)
def test_query_forms_always_include_the_serbian_form(word):
    assert normalise_word(word) in query_forms(word)


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=200))
def test_no_input_makes_the_search_fail(client, text):
    if not Document.objects.filter(public_id="anchor").exists():
        DocumentFactory(public_id="anchor", title="Anchor record")
    response = client.get("/api/records/", {"q": text.replace("\x00", "")})
    assert response.status_code == 200
    assert client.get("/search/", {"q": text}).status_code == 200


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(["kamer", "grad", "beograd", "x", "y", "z"]), max_size=30),
        min_size=1,
        max_size=40,
    ),
    st.integers(min_value=1, max_value=10),
)
def test_ranking_with_a_cutoff_gives_the_same_top_as_scoring_everything(bodies, top):
    from records.search.scoring import rank, score

    query = parse("kamer grad beograd")
    rows = [
        (pk, "naslov |  | ", f"{' '.join(body[:5])} | {' '.join(body)} | ")
        for pk, body in enumerate(bodies)
    ]

    def tiebreak(row):
        return row[0]

    full = sorted(rows, key=lambda row: (-score(query, row[1], row[2]), tiebreak(row)))
    assert rank(query, rows, top=top, tiebreak=tiebreak)[:top] == full[:top]
