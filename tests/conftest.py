import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from tests.factories import UserFactory

# No per-example deadline: CI machines are shared, and a slow example is not a wrong one.
hypothesis_settings.register_profile("nadzor", deadline=None, derandomize=True)
hypothesis_settings.load_profile("nadzor")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(autouse=True)
def _skip_postgres_only(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/nadzor "
            f"(this run uses {connection.vendor})"
        )


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache: each test starts with none."""
    cache.clear()


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A request to /sr/ leaves Serbian active in the thread; start each test in English."""
    yield
    translation.activate("en")


def _staff_in(group_name):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(db):
    return _staff_in("Editors")


@pytest.fixture
def contributor(db):
    return _staff_in("Contributors")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def contributor_client(client, contributor):
    client.force_login(contributor)
    return client
