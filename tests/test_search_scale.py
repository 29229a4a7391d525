"""What the search does to stay fast at scale changes no answer: phrases found through the
index of adjacent word pairs, the head candidates of a large result set, and the walk in
random order that gives up after a time limit."""

import pytest
from django.db import connection

from records.search import backends, engine
from tests.factories import DocumentFactory, StatementFactory

pytestmark = pytest.mark.django_db


def found(client, q, **params):
    response = client.get("/api/records/", {"q": q, **params})
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def texts(db):
    DocumentFactory(public_id="three", title="Prepoznavanje lica na ulici", body="kamere")
    DocumentFactory(public_id="twice", title="lica lica", body="prepoznavanje")
    DocumentFactory(public_id="body", title="Izveštaj", body="Sistem za prepoznavanje lica.")
    DocumentFactory(public_id="cyrillic", title="Препознавање лица у Београду", language="sr-Cyrl")
    StatementFactory(public_id="apart", title="Lica su prepoznavanje odbili")
    DocumentFactory(public_id="safe", title="Safe City", body="kamere u gradu", language="en")


def test_phrases_need_their_words_adjacent_in_order(client, texts):
    assert found(client, '"prepoznavanje lica"') == {"three", "body", "cyrillic"}
    assert found(client, '"prepoznavanje lica na ulici"') == {"three"}
    assert found(client, '"lica prepoznavanje"') == set()
    assert found(client, '"lica lica"') == {"twice"}
    assert found(client, '"lica lica lica"') == set()


def test_phrases_combine_with_words_or_and_exclusions(client, texts):
    assert found(client, '"prepoznavanje lica" kamere') == {"three"}
    assert found(client, '"prepoznavanje lica" OR "safe city"') == {
        "three", "body", "cyrillic", "safe",
    }  # fmt: skip
    assert found(client, '"safe city" OR odbili') == {"safe", "apart"}
    assert found(client, '"prepoznavanje lica" -kamere') == {"body", "cyrillic"}
    assert found(client, 'lica -"prepoznavanje lica"') == {"twice", "apart"}
    assert found(client, '"prepoznavanje lica"', language="sr-Cyrl") == {"cyrillic"}
    assert found(client, '"prepoznavanje lica"', kind="statement") == set()


def test_head_candidates_keep_to_the_filters_and_exclusions(client, monkeypatch):
    """Above the sample size the matches in titles are ranked first: only those that the
    filters and the excluded words let through."""
    monkeypatch.setattr(engine, "SAMPLE_SIZE", 2)
    monkeypatch.setattr(engine, "RANK_CANDIDATES", 1)
    for n in range(5):
        DocumentFactory(public_id=f"body-{n}", title="Report", body="cameras in the city")
    DocumentFactory(public_id="title-en", title="Cameras", language="en")
    DocumentFactory(public_id="title-other", title="Cameras", body="huawei")
    StatementFactory(public_id="title-statement", title="Cameras")
    ids = [
        row["id"]
        for row in client.get("/api/records/", {"q": "cameras -huawei", "kind": "document"}).json()[
            "results"
        ]
    ]
    assert "title-en" in ids[:1]
    assert "title-other" not in ids and "title-statement" not in ids


def test_a_walk_that_takes_too_long_falls_back_to_the_same_answer(client, texts, monkeypatch):
    expected = found(client, '"prepoznavanje lica"'), found(client, "lica", kind="document")
    monkeypatch.setattr(engine, "_walk_the_order_index", lambda *args: (True, 1000))
    monkeypatch.setattr(backends, "with_timeout", lambda milliseconds, run: None)
    assert (found(client, '"prepoznavanje lica"'), found(client, "lica", kind="document")) == (
        expected
    )


def test_the_time_limit_cancels_only_the_statement(db):
    def slow():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_sleep(0.5)" if connection.vendor == "postgresql" else "SELECT 1"
            )
        return "done"

    result = backends.with_timeout(50, slow)
    if connection.vendor == "postgresql":
        assert result is None
        with connection.cursor() as cursor:  # the transaction is still usable
            cursor.execute("SELECT current_setting('statement_timeout')")
            assert cursor.fetchone()[0] != "50ms"
    else:
        assert result == "done"
    assert backends.with_timeout(5000, lambda: "quick") == "quick"
