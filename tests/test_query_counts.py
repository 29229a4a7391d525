"""Pages do not grow their number of queries with the number of records."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from records.models import Relation, Role
from tests.factories import ActorFactory, DocumentFactory, LinkFactory, StatementFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def _add_records(n, hub=None, actor=None):
    """``n`` documents, each with two actors and two tags, linked both ways to one hub."""
    actor = actor or ActorFactory()
    hub = hub or StatementFactory(actors=[(actor, Role.SPEAKER)], tags=["hub"])
    for i in range(n):
        record = DocumentFactory(
            actors=[(actor, Role.AUTHOR), (ActorFactory(), Role.SUBJECT)], tags=[f"t{i}", "common"]
        )
        LinkFactory(source=record, target=hub, relation=Relation.CITES)
        LinkFactory(source=hub, target=record, relation=Relation.SUPPORTS)
    return hub, actor


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "url_for",
    [
        lambda hub, actor: "/",
        lambda hub, actor: "/records/",
        lambda hub, actor: "/timeline/",
        lambda hub, actor: hub.get_absolute_url(),
        lambda hub, actor: actor.get_absolute_url(),
        lambda hub, actor: "/tags/common/",
        lambda hub, actor: "/api/records/",
        lambda hub, actor: f"/api/records/{hub.public_id}/",
    ],
    ids=["home", "list", "timeline", "record", "actor", "tag", "api-list", "api-detail"],
)
def test_page_query_count_does_not_grow_with_records(client, url_for):
    hub, actor = _add_records(3)
    few = _queries(client, url_for(hub, actor))
    _add_records(20, hub, actor)
    many = _queries(client, url_for(hub, actor))
    assert many == few, f"{few} queries with few records, {many} with many"
