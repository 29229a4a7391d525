"""Settings come from the environment, strictly."""

import json
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


@pytest.mark.slow
def test_app_refuses_to_start_without_secret_key_when_debug_is_off():
    result = _start()
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.slow
def test_app_refuses_a_short_secret_key_in_production():
    result = _start(SECRET_KEY="short")
    assert result.returncode != 0
    assert "SECRET_KEY is too short" in result.stderr


@pytest.mark.slow
def test_app_starts_with_a_real_secret_key():
    result = _start(SECRET_KEY="x" * 50, DATABASE_URL="sqlite:////tmp/nadzor-settings-test.db")
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


@pytest.mark.slow
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
    mailer = env.mailer(debug=False)
    assert mailer["OPTIONS"]["host"] == "smtp.example"
    assert mailer["OPTIONS"]["port"] == 587 and mailer["OPTIONS"]["use_tls"] is True


@pytest.mark.postgres
def test_postgresql_run_really_uses_postgresql():
    from django.db import connection

    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        assert int(cursor.fetchone()[0]) >= 140000


@pytest.mark.slow
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


S3_ENVIRONMENT = {
    "FILE_STORAGE": "s3",
    "AWS_STORAGE_BUCKET_NAME": "nadzor-files",
    "AWS_S3_ENDPOINT_URL": "https://s3.example.net",
    "AWS_S3_REGION_NAME": "eu-central-1",
    "AWS_S3_ACCESS_KEY_ID": "access-key-id",
    "AWS_S3_SECRET_ACCESS_KEY": "secret-access-key",
}


def test_files_are_kept_on_local_disk_by_default(monkeypatch):
    monkeypatch.delenv("FILE_STORAGE", raising=False)
    assert env.file_storage() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


@pytest.mark.slow
def test_s3_storage_is_configured_from_the_environment():
    """The production settings, loaded as gunicorn would, store files in the bucket through
    django-storages (no request is made: boto3 connects on first use)."""
    script = (
        "import django, json; django.setup()\n"
        "from django.core.files.storage import storages\n"
        "s = storages['default']\n"
        "names = ['bucket_name', 'endpoint_url', 'region_name', 'access_key', 'secret_key',\n"
        "         'custom_domain', 'querystring_auth', 'default_acl', 'file_overwrite',\n"
        "         'max_memory_size', 'location']\n"
        "print(json.dumps({'class': f'{type(s).__module__}.{type(s).__name__}',\n"
        "                  **{name: getattr(s, name) for name in names}}))\n"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "FILE_STORAGE"))}
    clean.update(DJANGO_SETTINGS_MODULE="archive.settings", SECRET_KEY="x" * 50, **S3_ENVIRONMENT)
    result = subprocess.run(  # noqa: S603 -- this interpreter, a fixed script
        [sys.executable, "-c", script], cwd=ROOT, env=clean, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    storage = json.loads(result.stdout)
    assert storage == {
        "class": "storages.backends.s3.S3Storage",
        "bucket_name": "nadzor-files",
        "endpoint_url": "https://s3.example.net",
        "region_name": "eu-central-1",
        "access_key": "access-key-id",
        "secret_key": "secret-access-key",
        "custom_domain": None,
        "querystring_auth": True,
        "default_acl": None,
        "file_overwrite": False,
        "max_memory_size": 8 * 1024 * 1024,
        "location": "",
    }


def test_s3_storage_leaves_credentials_to_boto3_when_none_are_set(monkeypatch):
    for name in ("AWS_S3_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID", "AWS_S3_SECRET_ACCESS_KEY",
                 "AWS_SECRET_ACCESS_KEY", "AWS_S3_ENDPOINT_URL"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FILE_STORAGE", "s3")
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "nadzor-files")
    options = env.file_storage()["OPTIONS"]
    assert "access_key" not in options and "secret_key" not in options
    assert options["endpoint_url"] is None and options["bucket_name"] == "nadzor-files"


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"FILE_STORAGE": "s4"}, "FILE_STORAGE must be one of local, s3; got 's4'"),
        ({"FILE_STORAGE": "s3"}, "AWS_STORAGE_BUCKET_NAME is not set"),
        (
            {"FILE_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": "b", "AWS_S3_ACCESS_KEY_ID": "k"},
            "Set both AWS_S3_ACCESS_KEY_ID and AWS_S3_SECRET_ACCESS_KEY",
        ),
        (
            {"FILE_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": "b", "AWS_S3_MAX_MEMORY_SIZE": "8M"},
            "AWS_S3_MAX_MEMORY_SIZE must be a whole number",
        ),
    ],
)
def test_file_storage_settings_are_strict(monkeypatch, environment, message):
    for name in list(os.environ):
        if name.startswith(("AWS_", "FILE_STORAGE")):
            monkeypatch.delenv(name)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=message):
        env.file_storage()
