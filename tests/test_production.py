"""Production on several machines: a shared Redis cache that degrades instead of failing,
the mail refusal, liveness and readiness, metrics, logs with a request id, error reporting."""

import json
import logging
import os
import socket

import pytest
from django.core.cache import caches
from django.urls import reverse

from tests.foi_helpers import receive, reply_mail, sent_request
from tests.test_settings import _start

# Redis for these tests: a database of its own (never 0). NADZOR_REQUIRE_REDIS=1 (CI) makes
# them fail instead of skipping when it is not running.
REDIS_URL = os.environ.get("NADZOR_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# Nothing listens there: Redis is "down".
UNREACHABLE_REDIS = f"redis://127.0.0.1:{_free_port()}/1"


def _redis_cache(location):
    return {
        "default": {
            "BACKEND": "archive.cache.FailOpenRedisCache",
            "LOCATION": location,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture
def redis_cache(settings):
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError:
        if os.environ.get("NADZOR_REQUIRE_REDIS") == "1":
            pytest.fail(f"Redis is not running at {REDIS_URL}")
        pytest.skip(f"Redis is not running at {REDIS_URL}")
    settings.CACHES = _redis_cache(REDIS_URL)
    caches["default"].clear()
    yield caches["default"]
    caches["default"].clear()


@pytest.fixture
def redis_down(settings, caplog):
    from archive.cache import FailOpenRedisCache

    # Through pytest-django's settings, which restores every change in reverse order.
    settings.CACHES = _redis_cache(UNREACHABLE_REDIS)
    FailOpenRedisCache._last_logged = 0.0
    caplog.set_level(logging.WARNING, logger="archive.cache")
    return caplog


@pytest.mark.django_db
def test_search_rate_limit_is_shared_through_redis(client, settings, redis_cache):
    from django.test import Client

    settings.SEARCH_RATE = "3/m"
    # Two "servers" (two clients with no shared process state but the cache) share one count.
    assert client.get(reverse("records:search"), {"q": "kamere"}).status_code == 200
    assert Client().get(reverse("records:search"), {"q": "kamere"}).status_code == 200
    assert client.get(reverse("records:search"), {"q": "kamere"}).status_code == 200
    assert Client().get(reverse("records:search"), {"q": "kamere"}).status_code == 429
    assert any(key for key in redis_cache._cache.get_client().keys("*"))


@pytest.mark.django_db
def test_the_api_answers_through_redis(client, redis_cache):
    answer = client.get("/api/records/")
    assert answer.status_code == 200 and "results" in answer.json()


@pytest.mark.django_db
def test_with_redis_down_search_api_and_sign_up_answer_and_the_outage_is_logged(
    client, settings, redis_down
):
    settings.SEARCH_RATE = "1/m"
    for _ in range(3):  # the limit fails open: never 429, never 500
        assert client.get(reverse("records:search"), {"q": "kamere"}).status_code == 200
        assert client.get("/api/records/").status_code == 200
    from tests.test_accounts import signup

    assert signup(client, email="nova@example.org")["Location"] == reverse("accounts:signup-sent")
    assert "Redis cache unreachable" in redis_down.text
    assert "rate limits are not enforced" in redis_down.text


@pytest.mark.django_db
def test_with_redis_down_incoming_mail_is_delivered(settings, redis_down):
    from records.models import InboundMail, InboundState

    settings.MAIL_RATE_PER_SENDER = "1/h"
    foi = sent_request()
    for _ in range(2):
        receive(reply_mail(foi.reply_address, sender="foi@mup.example"))
    assert list(InboundMail.objects.values_list("state", flat=True)) == [
        InboundState.DELIVERED,
        InboundState.DELIVERED,
    ]


def test_the_redis_client_is_a_locked_dependency():
    import redis  # noqa: F401  (the import itself is the test: it used to be missing)

    lock = (_start.__globals__["ROOT"] / "uv.lock").read_text()
    assert '\nname = "redis"\n' in lock


# Mail must really be sent in production.

SMTP = "django.core.mail.backends.smtp.EmailBackend"
PRODUCTION = {"SECRET_KEY": "x" * 50, "DATABASE_URL": "sqlite:////tmp/nadzor-prod-test.db"}


def _production(**environ):
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("EMAIL_") and key not in {"SECRET_KEY", "DEBUG"}
    }
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=_start.__globals__["ROOT"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "archive.settings", **PRODUCTION, **environ},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_mailer():
    result = _production()
    assert result.returncode != 0
    assert "EMAIL_BACKEND is not set" in result.stderr
    assert "mail must really be sent" in result.stderr


def test_production_refuses_the_console_mailer():
    result = _production(EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")
    assert result.returncode != 0 and "console.EmailBackend" in result.stderr


def test_production_starts_with_smtp_or_when_unsent_mail_is_explicitly_allowed():
    assert _production(EMAIL_BACKEND=SMTP, EMAIL_HOST="smtp.example").returncode == 0
    allowed = _production(EMAIL_ALLOW_UNSENT="1")
    assert allowed.returncode == 0, allowed.stderr
    assert _production(DEBUG="1").returncode == 0  # the quick start prints mail


# Liveness and readiness.


@pytest.mark.django_db
def test_liveness_answers_by_address_over_plain_http(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    answer = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")  # not in ALLOWED_HOSTS
    assert answer.status_code == 200 and answer.json() == {"status": "alive"}


@pytest.mark.django_db
def test_readiness_checks_database_cache_storage_and_migrations(client):
    answer = client.get("/readyz")
    assert answer.status_code == 200, answer.json()
    assert set(answer.json()["checks"]) >= {"database", "migrations", "cache", "storage"}
    assert answer["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readiness_fails_while_redis_is_down(client, redis_down):
    answer = client.get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["checks"]["cache"].startswith("failed: ConnectionError")


@pytest.mark.django_db
def test_readiness_fails_while_a_migration_is_pending(client):
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    # The database as a server sees it when a release's code is deployed before its
    # migrations ran: the newest migration is not recorded as applied.
    # The leaf of the graph, not the highest number: branches number their migrations in
    # ranges, so 0091 may come before 0040.
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    (newest_name,) = [name for app, name in graph.leaf_nodes() if app == "records"]
    MigrationRecorder.Migration.objects.filter(app="records", name=newest_name).delete()
    answer = client.get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["checks"]["migrations"] == (
        f"failed: RuntimeError: 1 pending: records.{newest_name}"
    )
    MigrationRecorder.Migration.objects.create(app="records", name=newest_name)
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_readiness_fails_while_the_drain_file_exists(client, settings, tmp_path):
    settings.DRAIN_FILE = str(tmp_path / "drain")
    assert client.get("/readyz").status_code == 200
    (tmp_path / "drain").touch()
    answer = client.get("/readyz")
    assert answer.status_code == 503 and "draining" in answer.json()["checks"]["drain"]


@pytest.mark.django_db
def test_readiness_fails_when_the_file_store_cannot_be_read(client, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "nadzor-files",
                "endpoint_url": f"http://127.0.0.1:{_free_port()}",
                "access_key": "k",
                "secret_key": "s",
                "region_name": "us-east-1",
            },
        },
    }
    from django.core.files.storage import default_storage
    from django.utils.functional import empty

    default_storage._wrapped = empty  # pick up the new STORAGES
    try:
        answer = client.get("/readyz")
    finally:
        default_storage._wrapped = empty
    assert answer.status_code == 503 and answer.json()["checks"]["storage"].startswith("failed")


# Metrics, logs, error reports.


@pytest.mark.django_db
def test_metrics_count_requests_search_time_queue_and_mail(client):
    from records.models import InboundMail

    client.get(reverse("records:search"), {"q": "kamere"})
    receive(reply_mail("request-999-nope@nadzor.example"))  # no such request: held
    assert InboundMail.objects.count() == 1
    text = client.get("/metrics").content.decode()
    assert 'nadzor_http_requests_total{method="GET",status="200",view="records:search"}' in text
    assert "nadzor_http_request_duration_seconds_bucket" in text
    assert "nadzor_search_duration_seconds_count" in text
    assert 'nadzor_task_queue_depth{status="ready"} 0.0' in text
    assert "nadzor_mail_held 1.0" in text
    assert 'nadzor_mail_received_total{outcome="held"}' in text


@pytest.mark.django_db
def test_metrics_are_refused_to_other_addresses(client):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 403


@pytest.mark.django_db
def test_every_response_carries_a_request_id_and_the_logs_name_it(client, caplog):
    answer = client.get(reverse("records:home"), HTTP_X_REQUEST_ID="abcdef0123456789")
    assert answer["X-Request-ID"] == "abcdef0123456789"
    fresh = client.get(reverse("records:home"), HTTP_X_REQUEST_ID="<script>")
    assert fresh["X-Request-ID"] != "<script>" and len(fresh["X-Request-ID"]) == 32


def test_logs_are_json_lines_with_the_request_id_in_production(tmp_path):
    script = (
        "import django, logging; django.setup();"
        "from archive.observability import request_id; request_id.set('req-12345678');"
        "logging.getLogger('records').warning('file %s missing', 7)"
    )
    import subprocess
    import sys

    result = subprocess.run(  # noqa: S603 -- this interpreter, a fixed script
        [sys.executable, "-c", script],
        cwd=_start.__globals__["ROOT"],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "archive.settings",
            **PRODUCTION,
            "EMAIL_BACKEND": SMTP,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["message"] == "file 7 missing" and line["level"] == "WARNING"
    assert line["request_id"] == "req-12345678" and line["logger"] == "records"


def test_the_readme_production_example_passes_check_deploy():
    """The README's production settings, as written (with its "..." filled in), pass
    `manage.py check --deploy` with warnings counted as failures."""
    import re
    import secrets
    import shlex
    import subprocess
    import sys

    root = _start.__globals__["ROOT"]
    readme = (root / "README.md").read_text()
    section = readme.split("## Running in production", 1)[1]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    exports = re.search(r"export (.*?)\nuv ", block, re.S).group(1).replace("\\\n", " ")
    environ = dict(item.split("=", 1) for item in shlex.split(exports))
    key = secrets.token_urlsafe(50)  # what an operator generates
    environ = {k: v.replace("...", key if k == "SECRET_KEY" else "p") for k, v in environ.items()}
    assert {"EMAIL_BACKEND", "REDIS_URL", "SECRET_KEY", "BEHIND_PROXY"} <= set(environ)
    clean = {
        k: v
        for k, v in os.environ.items()
        if k.startswith(("PATH", "HOME", "LANG", "UV_", "VIRTUAL_ENV"))
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=root,
        env={**clean, **environ, "DJANGO_SETTINGS_MODULE": "archive.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("query", "expected"),
    [("pool=true", True), ("pool=10", {"min_size": 2, "max_size": 10}), ("pool=false", None)],
)
def test_database_pool_is_configured_from_the_url(monkeypatch, query, expected):
    from archive import env

    monkeypatch.setenv("DATABASE_URL", f"postgres://u:p@db:5432/nadzor?{query}")
    config = env.database("DATABASE_URL", default="")
    assert config["OPTIONS"].get("pool") == expected
    assert config["CONN_MAX_AGE"] == (0 if expected else 60)


def test_database_pool_settings_are_strict(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from archive import env

    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db:5432/nadzor?pool=lots")
    with pytest.raises(ImproperlyConfigured, match="pool must be true, false or a number"):
        env.database("DATABASE_URL", default="")
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/x.db?pool=true")
    with pytest.raises(ImproperlyConfigured, match="needs PostgreSQL"):
        env.database("DATABASE_URL", default="")


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_pooled_postgresql_connection_serves_queries():
    import subprocess
    import sys

    from django.db import connection

    # The test database: the one DATABASE_URL names need not exist (CI's does not).
    base = os.environ["DATABASE_URL"].split("?")[0].rsplit("/", 1)[0]
    url = f"{base}/{connection.settings_dict['NAME']}?pool=4"
    script = (
        "import django; django.setup(); from django.db import connection;"
        "c = connection.cursor(); c.execute('SELECT 41 + 1'); print(c.fetchone()[0],"
        " bool(connection.settings_dict['OPTIONS']['pool']), connection.pool is not None)"
    )
    result = subprocess.run(  # noqa: S603 -- this interpreter, a fixed script
        [sys.executable, "-c", script],
        cwd=_start.__globals__["ROOT"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["42", "True", "True"], result.stderr
    assert connection.vendor == "postgresql"


def test_errors_are_reported_to_the_configured_service_with_the_request_id():
    """A real Sentry envelope, sent over HTTP to a local receiver standing in for Sentry."""
    import gzip
    import http.server
    import subprocess
    import sys
    import threading

    received = []

    class Receiver(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            received.append((self.path, body.decode("utf-8", "replace")))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    dsn = f"http://publickey@127.0.0.1:{server.server_port}/7"
    script = (
        "import django, sentry_sdk; django.setup();"
        "from archive.observability import request_id; request_id.set('req-abcdef12');"
        "sentry_sdk.capture_exception(ValueError('boom in a view')); sentry_sdk.flush(5)"
    )
    try:
        result = subprocess.run(  # noqa: S603 -- this interpreter, a fixed script
            [sys.executable, "-c", script],
            cwd=_start.__globals__["ROOT"],
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "archive.settings",
                **PRODUCTION,
                "EMAIL_BACKEND": SMTP,
                "SENTRY_DSN": dsn,
            },
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stderr
    assert received, "nothing reached the error-reporting service"
    path, body = received[0]
    assert path == "/api/7/envelope/"
    assert "boom in a view" in body and "req-abcdef12" in body and "nadzor@0.2.0" in body
