"""Settings come from the environment, strictly."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from archive import env

ROOT = Path(__file__).resolve().parent.parent


def _start(**environ):
    """Load the production settings in a fresh interpreter, as gunicorn would."""
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    clean.update(DJANGO_SETTINGS_MODULE="archive.settings", **environ)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_app_refuses_to_start_without_secret_key_when_debug_is_off():
    result = _start()
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_app_refuses_a_short_secret_key_in_production():
    result = _start(SECRET_KEY="short")
    assert result.returncode != 0
    assert "SECRET_KEY is too short" in result.stderr


def test_app_starts_with_a_real_secret_key():
    result = _start(SECRET_KEY="x" * 50, DATABASE_URL="sqlite:////tmp/nadzor-settings-test.db")
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_debug_mode_starts_without_a_secret_key():
    assert _start(DEBUG="1").returncode == 0


@pytest.mark.parametrize("value", ["maybe", "2", "yes please"])
def test_boolean_settings_reject_unclear_values(monkeypatch, value):
    monkeypatch.setenv("DEBUG", value)
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be one of"):
        env.boolean("DEBUG", default=False)


def test_integer_settings_reject_non_numbers(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "twenty-five")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT must be a whole number"):
        env.integer("EMAIL_PORT", default=25)


def test_database_url_selects_postgresql():
    config = env.database("NO_SUCH_VARIABLE", default="postgres://u:p@db.example:5433/nadzor")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.example", 5433, "nadzor")
    assert config["CONN_HEALTH_CHECKS"] is True


def test_allowed_hosts_is_a_comma_separated_list(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "nadzor.example, www.nadzor.example")
    assert env.string_list("ALLOWED_HOSTS", default=[]) == ["nadzor.example", "www.nadzor.example"]


def test_smtp_mailer_is_configured_from_environment(monkeypatch):
    monkeypatch.setenv("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
    monkeypatch.setenv("EMAIL_HOST", "smtp.example")
    monkeypatch.setenv("EMAIL_PORT", "587")
    monkeypatch.setenv("EMAIL_USE_TLS", "1")
    mailer = env.mailer()
    assert mailer["OPTIONS"]["host"] == "smtp.example"
    assert mailer["OPTIONS"]["port"] == 587 and mailer["OPTIONS"]["use_tls"] is True


@pytest.mark.postgres
def test_postgresql_run_really_uses_postgresql():
    from django.db import connection

    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        assert int(cursor.fetchone()[0]) >= 140000


def test_task_queue_is_immediate_by_default_and_database_backed_when_configured():
    assert _start(DEBUG="1").returncode == 0
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.tasks import task_backends; "
            "print(type(task_backends['default']).__name__)",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "archive.settings",
            "DEBUG": "1",
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "DatabaseBackend", result.stderr
