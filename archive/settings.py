"""Nadzor settings.

Everything that differs between a laptop and production comes from environment
variables, read through the strict helpers in ``archive.env``. With nothing set, the
archive runs embedded: SQLite, e-mail printed to the console, tasks run immediately.
"""

from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from archive import env

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env.boolean("DEBUG", default=False)
SECRET_KEY = env.secret_key("SECRET_KEY", debug=DEBUG)
ALLOWED_HOSTS = env.string_list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.string_list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.string("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "archive.apps.TwoFactorAdminConfig",  # django.contrib.admin, behind two factors
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "records",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # ETag on every page: a reader's browser (or a feed reader) gets 304 for an unchanged one.
    "django.middleware.http.ConditionalGetMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "archive.middleware.RejectNullCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Log-in, public and admin alike, goes through django-axes: after LOGIN_FAILURE_LIMIT
# failures for an account or from an address, log-in is locked for LOGIN_LOCKOUT_HOURS.
# Failed attempts (with their IP address) are kept only that long: axes deletes expired
# ones as it checks; successful log-ins and a failure log are not recorded at all.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_DISABLE_ACCESS_LOG = True
AXES_FAILURE_LIMIT = env.integer("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.integer("LOGIN_LOCKOUT_HOURS", default=1)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# Staff confirm log-in with a one-time code (TOTP) before the admin opens.
OTP_TOTP_ISSUER = "Nadzor"

ROOT_URLCONF = "archive.urls"
WSGI_APPLICATION = "archive.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "records.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": env.database("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: English, Serbian in Latin script and Serbian in Cyrillic script. Django's
# own code for Cyrillic Serbian is "sr"; the language is always in the URL (/sr-latn/,
# /sr/), so a shared link opens in the language it was shared in.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("sr-latn", _("Serbian (Latin)")),
    ("sr", _("Serbian (Cyrillic)")),
]
LOCALE_PATHS = [BASE_DIR / "records" / "locale"]
TIME_ZONE = "Europe/Belgrade"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.string("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.string("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Attached files and web captures: MEDIA_ROOT on local disk, or an S3-compatible bucket
# with FILE_STORAGE=s3 (see ``archive.env.file_storage``). The code reaches them only
# through the storage API, never by a path on disk.
STORAGES = {
    "default": env.file_storage(),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Attached files: the largest accepted, and the most pixels an image (or a rendered page)
# may have, against decompression bombs.
MAX_FILE_SIZE = env.integer("MAX_FILE_SIZE", default=100 * 1024 * 1024)
MAX_IMAGE_PIXELS = env.integer("MAX_IMAGE_PIXELS", default=60_000_000)
# Hostile PDFs: no stream is decompressed beyond this many bytes (a few kilobytes of
# nested FlateDecode can claim gigabytes), and at most this many pages are read.
PDF_MAX_STREAM_BYTES = env.integer("PDF_MAX_STREAM_BYTES", default=32 * 1024 * 1024)
PDF_MAX_PAGES = env.integer("PDF_MAX_PAGES", default=10_000)
# The most text kept from one page, and from one file, in characters.
MAX_PAGE_TEXT = env.integer("MAX_PAGE_TEXT", default=100_000)
MAX_FILE_TEXT = env.integer("MAX_FILE_TEXT", default=10_000_000)
# Tesseract languages for scanned pages: Serbian Cyrillic, Serbian Latin, English.
OCR_LANGUAGES = env.string("OCR_LANGUAGES", default="srp+srp_latn+eng")

# Web captures: fetch limits, and whether private or loopback addresses may be fetched
# (never in production: that would let anyone with an editor account probe the network).
CAPTURE_TIMEOUT = env.integer("CAPTURE_TIMEOUT", default=20)
CAPTURE_MAX_BYTES = env.integer("CAPTURE_MAX_BYTES", default=50 * 1024 * 1024)
CAPTURE_MAX_REDIRECTS = env.integer("CAPTURE_MAX_REDIRECTS", default=10)
CAPTURE_ALLOW_PRIVATE = env.boolean("CAPTURE_ALLOW_PRIVATE", default=DEBUG)

# FOI requests go out from, and are answered to, request-<id>-<token>@FOI_EMAIL_DOMAIN:
# point that domain's mail at `manage.py receive_email` (see the README).
FOI_EMAIL_DOMAIN = env.string("FOI_EMAIL_DOMAIN", default=urlsplit(SITE_URL).hostname)
MAX_MAIL_SIZE = env.integer("MAX_MAIL_SIZE", default=50 * 1024 * 1024)

MAILERS = {"default": env.mailer()}
DEFAULT_FROM_EMAIL = env.string("DEFAULT_FROM_EMAIL", default="nadzor@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: run at once in the quick start; in production a database-backed queue
# (TASKS_BACKEND=django_tasks_db.DatabaseBackend) served by `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": env.string(
            "TASKS_BACKEND", default="django.tasks.backends.immediate.ImmediateBackend"
        )
    }
}

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "records:home"
# Sign-up confirmation and password-reset links stay valid this long.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
# Rate limits (django-ratelimit syntax: count/period), per IP address and per e-mail address.
SIGNUP_RATE_PER_IP = env.string("SIGNUP_RATE_PER_IP", default="5/h")
SIGNUP_RATE_PER_ADDRESS = env.string("SIGNUP_RATE_PER_ADDRESS", default="3/h")
FILING_RATE = env.string("FILING_RATE", default="20/h")
SEARCH_RATE = env.string("SEARCH_RATE", default="60/m")
# Incoming e-mail per sender address: more is held for editors, never delivered as spam.
MAIL_RATE_PER_SENDER = env.string("MAIL_RATE_PER_SENDER", default="30/h")
# Rate-limit counters live in the cache: per process unless REDIS_URL names a shared one.
REDIS_URL = env.string("REDIS_URL", default="")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Security headers. Production-only switches (HTTPS redirect, HSTS, secure cookies)
# follow DEBUG so the embedded quick start keeps working over plain HTTP.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Nadzor needs no camera, microphone, location or any other powerful browser feature.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}


def map_tile_source(url):
    """The CSP source that lets the map load tiles from ``url`` (a Leaflet URL template).

    ``https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png`` gives
    ``https://*.tile.openstreetmap.org``: a placeholder may only be the host's first label.
    """
    parts = urlsplit(url)
    labels = (parts.hostname or "").split(".")
    if labels[0].startswith("{") and labels[0].endswith("}"):
        labels[0] = "*"
    host = ".".join(labels)
    if parts.scheme not in ("https", "http"):
        problem = "must start with https:// or http://"
    elif not all(labels) or "{" in host or "}" in host:
        problem = "needs a host name (a placeholder only as its first label: {s}.example.org)"
    elif not all(f"{{{part}}}" in url for part in "zxy"):
        problem = "must contain {z}, {x} and {y}"
    else:
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{host}{port}"
    raise ImproperlyConfigured(f"MAP_TILE_URL {problem}; got {url!r}.")


# The map (/map/) draws on tiles from MAP_TILE_URL, e.g.
# https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png with MAP_TILE_ATTRIBUTION
# "© OpenStreetMap contributors". Unset by default, since nothing is loaded from another
# host unless configured: the map then draws outlines shipped with it (static/geo/).
MAP_TILE_URL = env.string("MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env.string("MAP_TILE_ATTRIBUTION", default="")
if MAP_TILE_URL:
    if not MAP_TILE_ATTRIBUTION:
        raise ImproperlyConfigured(
            "MAP_TILE_ATTRIBUTION must say whose tiles MAP_TILE_URL serves (tile servers "
            "and their data require it), e.g. '© OpenStreetMap contributors'."
        )
    SECURE_CSP["img-src"].append(map_tile_source(MAP_TILE_URL))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env.boolean("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.boolean("SECURE_COOKIES", default=not DEBUG)
SECURE_HSTS_SECONDS = env.integer("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
if env.boolean("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Behind the proxy every request comes from the proxy: rate limits and the log-in
    # lock-out count the client address the proxy appends to X-Forwarded-For instead.
    RATELIMIT_IP_META_KEY = "records.core.ratelimits.client_ip_behind_proxy"
    AXES_IPWARE_PROXY_COUNT = 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Per client address (anonymous) or account; answered with 429 and Retry-After.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.string("API_RATE", default="120/min"),
        "user": env.string("API_RATE_SIGNED_IN", default="600/min"),
    },
    "NUM_PROXIES": 1 if env.boolean("BEHIND_PROXY", default=False) else None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
# The API's OpenAPI 3 schema (/api/schema/) and its docs (/api/docs/, assets served from here).
SPECTACULAR_SETTINGS = {
    "TITLE": "Nadzor API",
    "DESCRIPTION": "Read-only access to the published records of the archive, its FOI "
    "requests with their correspondence, and the directory of public bodies.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set that several fields share.
    "ENUM_NAME_OVERRIDES": {
        "FOIStatusEnum": "records.core.choices.FOIStatus",
        "SentViaEnum": "records.core.choices.SentVia",
        "BodyKindEnum": "records.core.choices.BodyKind",
        "RecordKindEnum": "records.core.choices.Kind",
        "EventKindEnum": "records.foi.models.EventKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.string("LOG_LEVEL", default="WARNING")},
}
