"""Lists, counts and filter choices stay bounded when the archive holds a million records:
past a limit they say "about", list the first records only and offer the most frequent
choices. The limits are lowered here so that a few records cross them."""

import re

import pytest
from django.db import connection

from records.core.pagination import RecordPaginator, estimated_counts
from records.models import Record, Role, Status
from records.records.filters import RecordFilter
from tests.factories import ActorFactory, DocumentFactory, StatementFactory

pytestmark = pytest.mark.django_db


def _options(page, select_id):
    select = re.search(rf'<select name="\w+" id="{select_id}"[^>]*>(.*?)</select>', page, re.S)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1))


@pytest.fixture
def few_choices(monkeypatch):
    """The actor and tag lists offer at most two choices."""
    for name in ("actor", "tag"):
        monkeypatch.setattr(RecordFilter.base_filters[name].extra["widget"], "limit", 2)


@pytest.fixture
def three_listed(monkeypatch):
    monkeypatch.setattr(RecordPaginator, "max_listed", 3)
    monkeypatch.setattr(RecordPaginator, "max_paged", 3)


def test_actor_filter_offers_the_actors_in_the_most_records_past_its_limit(client, few_choices):
    most, second, once = (ActorFactory(name=n) for n in ("Ministry", "Huawei", "Rare body"))
    only_on_drafts = ActorFactory(name="Secret vendor")
    for actors in ([most, second], [most, second], [most], [once]):
        DocumentFactory(actors=[(actor, Role.SUBJECT) for actor in actors])
    DocumentFactory(status=Status.DRAFT, actors=[(only_on_drafts, Role.AUTHOR)])

    page = client.get("/timeline/").content.decode()

    assert _options(page, "id_actor") == ["Any actor", "Huawei", "Ministry"]
    assert 'label="The actors named in the most records"' in page
    assert "Secret vendor" not in page


def test_an_actor_beyond_the_offered_ones_can_still_be_chosen_and_stays_selected(
    client, few_choices
):
    most, second, once = (ActorFactory(name=n) for n in ("Ministry", "Huawei", "Rare body"))
    for actors in ([most, second], [most, second], [most], [once]):
        DocumentFactory(actors=[(actor, Role.SUBJECT) for actor in actors])

    page = client.get(f"/records/?actor={once.slug}").content.decode()

    assert _options(page, "id_actor") == ["Any actor", "Huawei", "Ministry", "Rare body"]
    assert re.search(r'<option value="rare-body" selected>Rare body</option>', page)
    assert "1 record" in page


def test_a_draft_only_actor_in_the_address_is_refused_and_never_offered(client, few_choices):
    most, second, third = (ActorFactory(name=n) for n in ("Ministry", "Huawei", "Rare body"))
    for actors in ([most, second], [most, second], [most], [third]):
        DocumentFactory(actors=[(actor, Role.SUBJECT) for actor in actors])
    hidden = ActorFactory(name="Secret vendor")
    DocumentFactory(status=Status.DRAFT, actors=[(hidden, Role.AUTHOR)])

    page = client.get(f"/records/?actor={hidden.slug}").content.decode()

    assert "Secret vendor" not in page
    assert "Some filters could not be used" in page


def test_all_actors_are_offered_in_name_order_while_they_are_few(client):
    for name in ("Zavod", "Agencija", "Ministarstvo"):
        DocumentFactory(actors=[(ActorFactory(name=name), Role.AUTHOR)])

    page = client.get("/records/").content.decode()

    assert _options(page, "id_actor") == ["Any actor", "Agencija", "Ministarstvo", "Zavod"]
    assert "<optgroup" not in page


def test_a_list_longer_than_the_limit_is_listed_up_to_it_and_says_how_to_see_the_rest(
    client, three_listed
):
    for i in range(5):
        DocumentFactory(title=f"Numbered {i}")

    page = client.get("/records/").content.decode()

    assert page.count("Numbered ") == 3
    assert "Only the first 3 records are listed page by page" in page
    assert client.get("/records/?page=2").status_code == 404


def test_a_list_counted_exactly_is_still_paged_only_through_its_first_records(client, monkeypatch):
    monkeypatch.setattr(RecordPaginator, "max_paged", 3)
    actor = ActorFactory(name="Ministry")
    for i in range(5):
        DocumentFactory(title=f"Numbered {i}", actors=[(actor, Role.AUTHOR)])
    fresh_statistics()

    page = client.get("/records/").content.decode()
    actor_page = client.get(actor.get_absolute_url()).content.decode()

    assert "5 records" in page and "About" not in page
    assert page.count("Numbered ") == 3
    assert "Only the first 3 records are listed page by page" in page
    assert client.get("/records/?page=2").status_code == 404
    # The count is exact, so the actor's roles are counted, not estimated.
    assert "Author: 5" in actor_page


def fresh_statistics():
    """PostgreSQL's estimates come from table statistics, which autovacuum keeps fresh in
    production. Earlier tests' rolled-back rows leave them stale (a table of 3 records
    estimated at 12), so refresh them here as autovacuum would."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE records_record")


def test_a_list_within_the_limit_is_counted_exactly_and_says_nothing_more(client, three_listed):
    for i in range(3):
        DocumentFactory(title=f"Numbered {i}")
    fresh_statistics()

    page = client.get("/records/").content.decode()

    assert "3 records" in page
    assert "About" not in page
    assert "listed page by page" not in page


def test_pages_of_a_long_list_follow_each_other_without_gap_or_repeat(client, monkeypatch):
    monkeypatch.setattr("records.records.views.records.RecordListView.paginate_by", 2)
    for day in range(1, 6):
        DocumentFactory(title=f"Day {day}", date=f"2020-01-{day:02d}", date_precision=3)

    titles = []
    for number in (1, 2, 3):
        page = client.get(f"/records/?page={number}").content.decode()
        titles += re.findall(r">(Day \d)</a>", page)

    assert titles == ["Day 5", "Day 4", "Day 3", "Day 2", "Day 1"]


def test_actor_page_past_the_limit_gives_its_roles_as_estimates(client, three_listed):
    actor = ActorFactory(name="Ministry")
    for _ in range(3):
        DocumentFactory(actors=[(actor, Role.AUTHOR)])
    StatementFactory(actors=[(actor, Role.SPEAKER)])

    page = client.get(actor.get_absolute_url()).content.decode()

    assert "Author: ~3" in page
    assert "Speaker: ~1" in page


def test_actor_page_within_the_limit_counts_its_roles_exactly(client):
    actor = ActorFactory(name="Ministry")
    for _ in range(3):
        DocumentFactory(actors=[(actor, Role.AUTHOR)])
    DocumentFactory(status=Status.DRAFT, actors=[(actor, Role.SUBJECT)])

    page = client.get(actor.get_absolute_url()).content.decode()

    assert "Author: 3" in page
    assert "Subject" not in page
    assert "3 records" in page


def test_home_page_names_the_actors_in_the_most_records_with_their_number(client):
    ministry, huawei = ActorFactory(name="Ministry"), ActorFactory(name="Huawei", name_en="Huawei")
    for actors in ([ministry, huawei], [ministry], [ministry]):
        DocumentFactory(actors=[(actor, Role.SUBJECT) for actor in actors])
    DocumentFactory(status=Status.DRAFT, actors=[(ActorFactory(name="Secret"), Role.AUTHOR)])

    page = client.get("/").content.decode()

    assert re.search(r">Ministry</a> <span class=\"muted\">\(3\)</span>", page)
    assert re.search(r">Huawei</a> <span class=\"muted\">\(1\)</span>", page)
    assert "Secret" not in page


@pytest.mark.postgres
def test_estimated_counts_come_from_the_planner_for_several_querysets_at_once():
    for _ in range(30):
        DocumentFactory()
    for _ in range(10):
        StatementFactory()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE records_record")
    published = Record.objects.published()

    estimates = estimated_counts(
        {
            "document": published.filter(kind="document"),
            "statement": published.filter(kind="statement"),
        }
    )

    assert estimates == {"document": 30, "statement": 10}


@pytest.mark.postgres
def test_home_page_past_the_limit_estimates_the_large_kinds_and_counts_the_others(
    client, monkeypatch
):
    monkeypatch.setattr("records.core.pagination.MAX_LISTED", 3)
    for _ in range(4):
        DocumentFactory()
    StatementFactory()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE records_record")

    page = client.get("/").content.decode()

    assert "About 5 published records" in page
    assert '<span class="count">~4</span> <span class="kind kind-document">' in page
    assert '<span class="count">1</span> <span class="kind kind-statement">' in page
    assert '<span class="count">0</span> <span class="kind kind-response">' in page
