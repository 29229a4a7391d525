"""While the database is unreachable, readers get 503 with Retry-After, not a bare 500.

The outage is real: the connection is pointed at a port where no server listens, so the
driver fails to connect exactly as during a PostgreSQL restart (bench/faults.py restarts
the real cluster under load). SQLite's test database lives in memory and cannot go away,
so this runs on PostgreSQL only.
"""

import socket

import pytest
from django.db import connection

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # free once the probe closes: nothing listens there


class Outage:
    """Points Django's connection at a port with no server; ``end()`` points it back."""

    def __init__(self):
        self.saved = dict(connection.settings_dict)

    def start(self):
        connection.close()
        connection.settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port()))

    def end(self):
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(self.saved)


@pytest.fixture
def outage(client):
    client.raise_request_exception = False
    outage = Outage()
    outage.start()
    yield outage
    outage.end()


def test_a_page_answers_503_with_retry_after_while_the_database_is_down(client, outage):
    response = client.get("/records/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "The archive is back in a moment" in html
    assert "If you were sending a form, it was not saved" in html


def test_the_api_answers_503_in_json_while_the_database_is_down(client, outage):
    response = client.get("/api/records/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "unreachable" in response.json()["detail"]


def test_pages_work_again_once_the_database_is_back_without_a_restart(client, outage):
    assert client.get("/records/").status_code == 503
    outage.end()
    response = client.get("/records/")
    assert response.status_code == 200
    assert not response.has_header("Retry-After")
