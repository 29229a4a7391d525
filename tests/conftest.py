import io
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import settings as hypothesis_settings

from tests.factories import UserFactory

# No per-example deadline: CI machines are shared, and a slow example is not a wrong one.
hypothesis_settings.register_profile("nadzor", deadline=None, derandomize=True)
hypothesis_settings.load_profile("nadzor")


BROWSER_TESTS = Path(__file__).resolve().parent / "browser"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "postgres" in item.keywords and item.get_closest_marker("django_db") is None:
            item.add_marker(pytest.mark.django_db)
        # Every test in tests/browser drives Chromium: a browser test, and a slow one.
        if BROWSER_TESTS in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="module")
def demo_archive(django_db_setup, django_db_blocker):
    """The Safe City demo, loaded once for a whole test module (``manage.py demo``'s
    output), as Django's ``setUpTestData`` does: in a transaction rolled back after the
    module; each test runs in a savepoint inside it, so what a test changes is undone
    before the next one. For tests that only read the demo, or undo their changes."""
    out = io.StringIO()
    loaded = transaction.atomic()
    with django_db_blocker.unblock():
        loaded.__enter__()
        call_command("demo", "--no-serve", stdout=out)
    yield out.getvalue()
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        loaded.__exit__(None, None, None)


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


def login_with_second_factor(client, user):
    """Log ``user`` in as if they had also passed the two-factor check (as staff must)."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, name="test phone", defaults={"confirmed": True}
    )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def editor_client(client, editor):
    return login_with_second_factor(client, editor)


@pytest.fixture
def contributor_client(client, contributor):
    return login_with_second_factor(client, contributor)


@pytest.fixture(autouse=True)
def _replica_sees_the_test_transaction(request):
    """With DATABASE_REPLICA_URL (the production-shape CI run), a test's data lives in an
    uncommitted transaction that a second connection cannot see: the replica alias uses the
    primary's connection, as instant replication would. Tests marked ``replica`` keep a real
    second connection (and commit their data)."""
    from django.db import connections

    if "replica" not in connections or request.node.get_closest_marker("replica"):
        yield
        return
    original = connections["replica"]
    connections["replica"] = connections["default"]
    yield
    connections["replica"] = original
