"""Settings for the test suite: the production settings with test-only secrets.

Environment defaults are set before ``archive.settings`` reads them, so the tests
exercise the real settings module; ``DATABASE_URL`` still selects the database.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-suite-only-secret-key-0123456789abcdef")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("SITE_URL", "https://nadzor.example")
# A production-like mailer so the settings load without DEBUG; tests read mail.outbox.
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")

from archive.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
WHITENOISE_AUTOREFRESH = True  # no collected static files in tests
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

# Rate limits are pinned by tests that lower them; elsewhere a test may search or receive
# mail as often as it needs.
SEARCH_RATE = "100000/m"
MAIL_RATE_PER_SENDER = "100000/h"
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min"},
}
