"""The read replica: public reads on it, writes and signed-in users on the primary.

Runs when DATABASE_REPLICA_URL is set (CI's production-shape run): the "replica" there is the
same database through a second, read-only connection
(``?options=-c%20default_transaction_read_only%3Don``), so a write routed to it fails."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import DocumentFactory

pytestmark = [pytest.mark.replica, pytest.mark.django_db(transaction=True, databases="__all__")]


@pytest.fixture(autouse=True)
def _needs_a_replica():
    if "replica" not in connections:
        pytest.skip("set DATABASE_REPLICA_URL to test the replica router")


def _replica_is_read_only():
    with connections["replica"].cursor() as cursor:
        cursor.execute("SHOW transaction_read_only")
        return cursor.fetchone()[0] == "on"


def test_public_search_and_pages_read_from_the_replica(client):
    record = DocumentFactory(title="Kamere na Slaviji")
    with (
        CaptureQueriesContext(connections["replica"]) as replica,
        CaptureQueriesContext(connections["default"]) as primary,
    ):
        found = client.get(reverse("records:search"), {"q": "kamere"})
        page = client.get(record.get_absolute_url())
        api = client.get("/api/records/")
    assert found.status_code == 200 and "1 result<" in found.content.decode()
    assert "Slaviji" in found.content.decode()
    assert page.status_code == 200 and api.status_code == 200
    assert len(replica.captured_queries) > 0
    assert not [q for q in primary.captured_queries if "records_record" in q["sql"]]


def test_writes_and_signed_in_users_use_the_primary(client):
    from tests.test_accounts import signup

    assert _replica_is_read_only() or connections["replica"].vendor != "postgresql"
    with CaptureQueriesContext(connections["replica"]) as replica:
        answer = signup(client, email="nova@example.org")
        assert answer.status_code == 302
        # After its own POST the client reads from the primary for a while.
        assert client.cookies["nadzor_primary"].value == "1"
        client.get(reverse("records:home"))
    assert replica.captured_queries == []


def test_search_session_settings_do_not_outlive_the_request(client):
    if connections["default"].vendor != "postgresql":
        pytest.skip("PostgreSQL settings")
    DocumentFactory(title="Kamere")
    assert client.get(reverse("records:search"), {"q": "kamere"}).status_code == 200
    for alias in ("replica", "default"):
        with connections[alias].cursor() as cursor:
            cursor.execute("SHOW enable_seqscan")
            assert cursor.fetchone()[0] == "on"
            cursor.execute("SHOW jit")
            jit = cursor.fetchone()[0]
        assert jit == "on" or jit == "off"  # unchanged from the server's own default below
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT setting = boot_val FROM pg_settings WHERE name = 'work_mem'")
            assert cursor.fetchone()[0] is True
