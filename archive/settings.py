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
    # /healthz, /readyz and /metrics, before host checks and HTTPS redirection (archive.health).
    "archive.health.HealthCheckMiddleware",
    # A request id in every log line and the response; request counts and latency.
    "archive.observability.RequestObservabilityMiddleware",
    # Public reads from the replica, when there is one (archive.db_router).
    "archive.db_router.ReplicaReadsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # A body over MAX_REQUEST_SIZE is refused before it is read (and cut off if it grows).
    "records.core.limits.RequestSizeLimitMiddleware",
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
    # Pages for a signed-in user show their own data: no cache may keep them.
    "records.core.privacy.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
    # Many failed log-ins from one address, over any accounts: 429 (password spraying).
    "records.core.login_limits.LoginFailuresPerAddressMiddleware",
]

# Log-in, public and admin alike, goes through django-axes: after LOGIN_FAILURE_LIMIT
# failures for an account from one address, that account is locked from that address for
# LOGIN_LOCKOUT_HOURS.
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
# Failures count per account *from one address*: a locked pair blocks only that account
# from that address. Counting per address alone locked every account behind one NAT or
# Tor exit (editors included); counting per account alone would let anyone lock an editor
# out by failing on purpose.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
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

# DATABASE_URL takes ?pool=true (or ?pool=<max connections>) for psycopg's connection pool
# in each process; DATABASE_CONN_MAX_AGE otherwise keeps a connection open between requests.
# DATABASE_PGBOUNCER=1 when connecting through PgBouncer in transaction mode (no server-side
# cursors; the session settings search changes are already transaction-local).
# DATABASE_REPLICA_URL names a read replica: public reads go there (archive.db_router).
DATABASES = {
    "default": env.database("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
if env.string("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.database("DATABASE_REPLICA_URL", default="")
    # In tests the replica is the primary seen through a second connection.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["archive.db_router.PrimaryReplicaRouter"]
# After a client's own POST, its reads stay on the primary this long (replication lag).
REPLICA_PIN_SECONDS = env.integer("REPLICA_PIN_SECONDS", default=15)
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

# How a file's bytes reach the reader: "stream" (through gunicorn), "x-accel" (nginx sends
# them from MEDIA_ROOT: an internal location at FILE_ACCEL_PREFIX, see deploy/nginx.conf) or
# "redirect" (FILE_STORAGE=s3: a signed URL valid FILE_URL_EXPIRY seconds). Who may see a file
# is decided here in every case.
FILE_DELIVERY = env.choice("FILE_DELIVERY", ["stream", "x-accel", "redirect"], default="stream")
FILE_ACCEL_PREFIX = env.string("FILE_ACCEL_PREFIX", default="/protected-media/")
FILE_URL_EXPIRY = env.integer("FILE_URL_EXPIRY", default=300)
if FILE_DELIVERY == "redirect" and STORAGES["default"]["BACKEND"] != env.S3_BACKEND:
    raise ImproperlyConfigured("FILE_DELIVERY=redirect needs FILE_STORAGE=s3.")
if FILE_DELIVERY == "x-accel" and STORAGES["default"]["BACKEND"] == env.S3_BACKEND:
    raise ImproperlyConfigured("FILE_DELIVERY=x-accel serves files from MEDIA_ROOT: not with s3.")

# Attached files: the largest accepted, and the most pixels an image (or a rendered page)
# may have, against decompression bombs.
MAX_FILE_SIZE = env.integer("MAX_FILE_SIZE", default=100 * 1024 * 1024)
# The largest request read at all (several files at once, with the form): a larger one is
# refused from its Content-Length, before it is read (records.core.limits).
MAX_REQUEST_SIZE = env.integer("MAX_REQUEST_SIZE", default=2 * MAX_FILE_SIZE)
# Form fields other than files, held in memory (Django's default, stated here).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.integer("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
FILE_UPLOAD_HANDLERS = [
    "records.core.limits.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
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

MAILERS = {"default": env.mailer(debug=DEBUG)}
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
LOGIN_FAILURE_RATE_PER_ADDRESS = env.string("LOGIN_FAILURE_RATE_PER_ADDRESS", default="50/h")
SIGNUP_RATE_PER_ADDRESS = env.string("SIGNUP_RATE_PER_ADDRESS", default="3/h")
FILING_RATE = env.string("FILING_RATE", default="20/h")
SEARCH_RATE = env.string("SEARCH_RATE", default="60/m")
# Incoming e-mail per sender address: more is held for editors, never delivered as spam.
MAIL_RATE_PER_SENDER = env.string("MAIL_RATE_PER_SENDER", default="30/h")
# Rate-limit counters live in the cache: per process unless REDIS_URL names a shared one.
# When Redis cannot be reached the cache acts as empty and logs it (archive.cache): rate
# limits then fail open, and no page answers 500 for it.
REDIS_URL = env.string("REDIS_URL", default="")
CACHES = {
    "default": (
        {
            "BACKEND": "archive.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that does not answer costs a request at most this long, not forever.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
RATELIMIT_FAIL_OPEN = True

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
# Behind a reverse proxy (BEHIND_PROXY) every request comes from the proxy: the client's
# address is the one the proxy appended to X-Forwarded-For, PROXY_COUNT entries from the end
# (one per trusted proxy in front). Rate limits, the API's throttles, the log-in lock-out and
# the request log all read it through archive.client_ip.client_ip, and ignore a malformed
# header. Without BEHIND_PROXY, X-Forwarded-For is never read.
BEHIND_PROXY = env.boolean("BEHIND_PROXY", default=False)
PROXY_COUNT = env.integer("PROXY_COUNT", default=1) if BEHIND_PROXY else 0
if PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"PROXY_COUNT must be 0 or more; got {PROXY_COUNT}.")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
RATELIMIT_IP_META_KEY = "archive.client_ip.client_ip"
AXES_CLIENT_IP_CALLABLE = "archive.client_ip.client_ip"

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Per client address (anonymous) or per account (signed in), each by one rate only;
    # answered with 429 and Retry-After.
    "DEFAULT_THROTTLE_CLASSES": [
        "records.api.throttles.AnonymousRateThrottle",
        "records.api.throttles.SignedInRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.string("API_RATE", default="120/min"),
        "user": env.string("API_RATE_SIGNED_IN", default="600/min"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
# The API's OpenAPI 3 schema (/api/schema/) and its docs (/api/docs/, assets served from here).
SPECTACULAR_SETTINGS = {
    "TITLE": "Nadzor API",
    "DESCRIPTION": (
        "Public, read-only access to the published records of the archive, its FOI requests "
        "with their correspondence, and the directory of public bodies: no account, key or "
        "token is needed, and every endpoint answers GET only."
    ),
    # Public and read-only: the schema declares no authentication, so the docs offer no
    # "Authorize" button (the session login some views accept only raises rate limits).
    "AUTHENTICATION_WHITELIST": [],
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

# Logs go to standard error, one JSON object a line (LOG_FORMAT=json, the default without
# DEBUG) or plain text, each with the request id. ACCESS_LOG=1 adds a line per request
# (method, path, status, duration, client address) under "archive.access".
LOG_FORMAT = env.choice("LOG_FORMAT", ["json", "text"], default="text" if DEBUG else "json")
ACCESS_LOG = env.boolean("ACCESS_LOG", default=False)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "archive.observability.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.string("LOG_LEVEL", default="WARNING")},
    "loggers": {"archive.access": {"level": "INFO" if ACCESS_LOG else "WARNING"}},
}

# Monitoring: /metrics (Prometheus) answers these client addresses only; /readyz answers 503
# while DRAIN_FILE exists (take a server out of the load balancer before a reload).
METRICS_ALLOWED_IPS = env.string_list("METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])
DRAIN_FILE = env.string("DRAIN_FILE", default="")
# Errors (and their request id) to Sentry or a compatible service when SENTRY_DSN is set;
# nothing personal is sent (no cookies, no user, no request bodies).
SENTRY_DSN = env.string("SENTRY_DSN", default="")
if SENTRY_DSN:
    from archive.error_reporting import start_error_reporting

    start_error_reporting(
        SENTRY_DSN, environment=env.string("SENTRY_ENVIRONMENT", default="production")
    )
