"""Strict readers for settings that come from environment variables.

Each helper returns the default when the variable is unset or empty, and raises
``ImproperlyConfigured`` with the variable's name when it holds a value that does not
parse: a typo in production must stop the start-up, not be silently ignored.
"""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}

# The only key that may ever be used without being set, and only with DEBUG on.
DEVELOPMENT_SECRET_KEY = "nadzor-development-only-insecure-key"  # noqa: S105


def _raw(name):
    value = os.environ.get(name, "").strip()
    return value or None


def string(name, *, default):
    value = _raw(name)
    return default if value is None else value


def boolean(name, *, default):
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}."
    )


def integer(name, *, default):
    value = _raw(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {value!r}.") from None


def choice(name, choices, *, default):
    value = string(name, default=default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}; got {value!r}.")
    return value


def string_list(name, *, default):
    value = _raw(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def secret_key(name, *, debug):
    """The secret key: required whenever DEBUG is off, never a known default in production."""
    value = _raw(name)
    if value is None:
        if debug:
            return DEVELOPMENT_SECRET_KEY
        raise ImproperlyConfigured(
            f"{name} is not set. Set it to a long random string (DEBUG is off, so no "
            "development key is used)."
        )
    if not debug and (value == DEVELOPMENT_SECRET_KEY or len(value) < 32):
        raise ImproperlyConfigured(f"{name} is too short or a known development key.")
    return value


def database(name, *, default):
    url = string(name, default=default)
    max_age = integer("DATABASE_CONN_MAX_AGE", default=60)
    try:
        config = dj_database_url.parse(url, conn_max_age=max_age, conn_health_checks=True)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {error}") from None
    options = config.setdefault("OPTIONS", {})
    if "pool" in options:
        # psycopg's pool (Django's "pool" option): connections are returned to the pool
        # after each request, so they are not also kept open by CONN_MAX_AGE.
        pool = str(options.pop("pool")).strip().lower()
        if pool in _TRUE:
            options["pool"] = True
        elif pool.isdigit() and int(pool) > 0:
            options["pool"] = {"min_size": min(2, int(pool)), "max_size": int(pool)}
        elif pool not in _FALSE:
            raise ImproperlyConfigured(
                f"{name}: pool must be true, false or a number of connections; got {pool!r}."
            )
        if options.get("pool"):
            if config["ENGINE"] != "django.db.backends.postgresql":
                raise ImproperlyConfigured(f"{name}: pool=true needs PostgreSQL.")
            config["CONN_MAX_AGE"] = 0
            config["CONN_HEALTH_CHECKS"] = False
    if boolean("DATABASE_PGBOUNCER", default=False):
        config["DISABLE_SERVER_SIDE_CURSORS"] = True
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Several requests write at once on the embedded database: wait for the lock
        # instead of failing at once.
        config["CONN_MAX_AGE"] = 0
        config.setdefault("OPTIONS", {})["timeout"] = 20
    return config


SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


# Mailers that send nothing: what they are given is printed, kept in memory, written to a
# file or dropped.
UNSENT_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}


def mailer(*, debug):
    """The default mailer: printed to the console unless EMAIL_BACKEND says otherwise.

    Without DEBUG, a mailer that sends nothing (the console, or none set) refuses to start:
    sign-up confirmations and FOI letters would end up in the logs. ``EMAIL_ALLOW_UNSENT=1``
    allows it, for a staging copy that must not mail anyone.
    """
    backend = string("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
    if (
        backend in UNSENT_BACKENDS
        and not debug
        and not boolean("EMAIL_ALLOW_UNSENT", default=False)
    ):
        named = "not set" if _raw("EMAIL_BACKEND") is None else repr(backend)
        raise ImproperlyConfigured(
            f"EMAIL_BACKEND is {named}: "
            "without DEBUG, mail must really be sent (confirmation e-mails and FOI letters "
            f"would be lost). Set EMAIL_BACKEND={SMTP_BACKEND} and EMAIL_HOST, or "
            "EMAIL_ALLOW_UNSENT=1 for a copy that must send nothing."
        )
    if backend != SMTP_BACKEND:
        return {"BACKEND": backend}
    return {
        "BACKEND": backend,
        "OPTIONS": {
            "host": string("EMAIL_HOST", default="localhost"),
            "port": integer("EMAIL_PORT", default=25),
            "username": string("EMAIL_HOST_USER", default=""),
            "password": string("EMAIL_HOST_PASSWORD", default=""),
            "use_tls": boolean("EMAIL_USE_TLS", default=False),
            "timeout": integer("EMAIL_TIMEOUT", default=30),
        },
    }


S3_BACKEND = "storages.backends.s3.S3Storage"


def file_storage():
    """Where attached files and web captures are kept: ``FILE_STORAGE=local`` (the default,
    ``MEDIA_ROOT`` on this machine's disk) or ``s3``, a bucket of any S3-compatible store
    through django-storages.

    With ``s3`` the bucket name is required; the endpoint (for stores other than AWS), the
    region and the key pair are optional (without keys, boto3 looks for credentials the usual
    way: its environment variables, its config files, an instance role). Objects are private
    (no ACL, links to them are signed), never overwritten, and a file read from the bucket is
    spooled to a temporary file on disk beyond ``AWS_S3_MAX_MEMORY_SIZE`` bytes, so a large
    file costs no more memory than a small one.
    """
    kind = choice("FILE_STORAGE", ["local", "s3"], default="local")
    if kind == "local":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    bucket = _raw("AWS_STORAGE_BUCKET_NAME")
    if bucket is None:
        raise ImproperlyConfigured("FILE_STORAGE is s3, but AWS_STORAGE_BUCKET_NAME is not set.")
    options = {
        "bucket_name": bucket,
        "endpoint_url": string("AWS_S3_ENDPOINT_URL", default=None),
        "region_name": string("AWS_S3_REGION_NAME", default=None),
        "location": string("AWS_LOCATION", default=""),
        "custom_domain": None,
        "querystring_auth": True,
        "default_acl": None,
        "file_overwrite": False,
        "max_memory_size": integer("AWS_S3_MAX_MEMORY_SIZE", default=8 * 1024 * 1024),
    }
    access_key = _raw("AWS_S3_ACCESS_KEY_ID") or _raw("AWS_ACCESS_KEY_ID")
    secret_key = _raw("AWS_S3_SECRET_ACCESS_KEY") or _raw("AWS_SECRET_ACCESS_KEY")
    if (access_key is None) != (secret_key is None):
        raise ImproperlyConfigured(
            "Set both AWS_S3_ACCESS_KEY_ID and AWS_S3_SECRET_ACCESS_KEY (or AWS_ACCESS_KEY_ID "
            "and AWS_SECRET_ACCESS_KEY), or neither."
        )
    if access_key is not None:
        options.update(access_key=access_key, secret_key=secret_key)
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}
