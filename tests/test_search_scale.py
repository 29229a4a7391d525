"""What the search does to stay fast at scale changes no answer: phrases found through the
index of adjacent word pairs, the head candidates of a large result set, and the sample of
a large result set, whether walked in random order (and given up after a time limit) or
read from a part of that order's range."""

import pytest
from django.db import connection

from records.search import backends, engine
from tests.factories import DocumentFactory, StatementFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


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


@pytest.mark.postgres
@pytest.mark.parametrize("walk", ["never", "timed out", "finished"])
@pytest.mark.parametrize("estimate", [2, 3, 50, 10_000])
def test_the_sample_from_a_range_of_the_random_order_is_the_sample_of_all_matches(
    db, monkeypatch, estimate, walk
):
    """Whatever the planner's estimate (right, too low, far too high), the rows read from a
    part of the hash range are the first matches in the random order, filters and
    exclusions applied; a range that holds too few widens, and at worst all are read. A
    walk in that order that runs out of time falls back to the same answer."""
    from records.models import Record
    from records.records.filters import RecordFilter

    for n in range(60):
        kind = DocumentFactory if n % 3 else StatementFactory
        kind(title=f"Kamere {n}", body="huawei" if n % 5 == 0 else "nadzor", language="sr-Latn")
    for n in range(12):
        DocumentFactory(title=f"Kamere {n % 2}", language="en")
    monkeypatch.setattr(engine, "SAMPLE_SIZE", 7)
    monkeypatch.setattr(engine, "MAX_RANGE", 1)
    monkeypatch.setattr(engine, "WALK_DENSITY", 2 if walk == "never" else 0)
    if walk == "timed out":
        monkeypatch.setattr(backends, "with_timeout", lambda milliseconds, run: None)
    for params in (
        {"q": "kamere"},
        {"q": "kamere -huawei", "kind": "document"},
        {"q": "kamere", "language": "en"},
        {"q": '"kamere 1"', "language": "sr-Latn"},
    ):
        filterset = RecordFilter(params, queryset=Record.objects.published())
        assert filterset.is_valid()
        every = list(
            filterset.qs.order_by(*backends.shuffled(by_index=False)).values_list(*engine._ROW)
        )
        assert engine._sample(filterset, filterset.search_query, estimate) == every[:8], params


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
