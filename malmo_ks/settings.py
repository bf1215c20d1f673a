"""Settings for the register, read from the environment with safe local defaults."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from malmo_ks import logs

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# DEBUG off is production: the secret must be real, and the HTTPS settings below
# default to on. The container's gunicorn refuses to serve with DEBUG on.
DEBUG = envbool("DEBUG", True)
DEV_SECRET_KEY = "dev-only-secret-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
if not DEBUG and SECRET_KEY in ("", DEV_SECRET_KEY):
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "malmo_ks.apps.RegisterAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_filters",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    # Each app imports only from those listed below it (README, "What is where").
    "demo",
    "notifications",
    "api",
    "imports",
    "reports",
    "budget",
    "assignments",
    "malmo_ks",
]

MIDDLEWARE = [
    "malmo_ks.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "malmo_ks.security.ContentSecurityPolicyMiddleware",
    "malmo_ks.middleware.PrivateResponseMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "malmo_ks.middleware.StatementTimeoutMiddleware",
]

ROOT_URLCONF = "malmo_ks.urls"
WSGI_APPLICATION = "malmo_ks.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "demo.context_processors.register",
            ],
        },
    },
]

# SQLite is the zero-set-up default for running the app locally; PostgreSQL
# is the production database. `make test` runs the suite on both, so that the
# demo behaves as production does.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable server fails fast (the health check answers 503) instead of hanging.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = envint(
        "DB_CONNECT_TIMEOUT", 5
    )
    # A statement running longer (seconds) is cancelled, and its request answered
    # with a 503 page in words (malmo_ks.middleware.StatementTimeoutMiddleware),
    # before gunicorn's 30-second worker timeout kills the whole worker.
    # 0 turns it off; migrate_with_lock turns it off for its own session.
    # JIT compilation is off: it pays off for long analytic queries, but the pages'
    # aggregates over 100 000 rows cross its cost threshold and spent 40-50 ms each
    # compiling (EXPLAIN ANALYZE of the overview on the benchmark's register).
    DATABASES["default"]["OPTIONS"]["options"] = (
        f"-c statement_timeout={envint('DB_STATEMENT_TIMEOUT', 20)}s -c jit=off"
    )
    # Parameters travel apart from the SQL, so a query a page runs again has the same
    # text, and psycopg prepares it on the connection (kept between requests,
    # DB_CONN_MAX_AGE) when it runs a second time: PostgreSQL then parses it once, and
    # plans it once where a plan for any parameters costs no more than one for these
    # (plan_cache_mode auto; otherwise it still plans for the parameters given). The
    # assignment page's eight-table join spent 2-3 ms planning and 0.2 running. Behind
    # a transaction-pooling PgBouncer, set DB_PREPARE_THRESHOLD=-1 to turn it off.
    DATABASES["default"]["OPTIONS"]["server_side_binding"] = True
    prepare_threshold = envint("DB_PREPARE_THRESHOLD", 1)
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = (
        None if prepare_threshold < 0 else prepare_threshold
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "assignments:list"
LOGOUT_REDIRECT_URL = "login"

# The city's identity provider first: it answers only its own callback (malmo_ks.signin).
# The password backend stays listed even when LOCAL_LOGIN is off, so that it can
# refuse a password itself, on every login page, and a break-glass session lasts.
AUTHENTICATION_BACKENDS = ["malmo_ks.signin.OIDCBackend", "malmo_ks.throttle.ThrottledModelBackend"]
# Login throttling (malmo_ks.throttle). After LOGIN_FAILURE_LIMIT failures for one
# username from one address, each further attempt from there waits 2, 4, 8, ...
# seconds after the last failure, at most LOGIN_DELAY_MAX_SECONDS; failures are
# remembered for LOGIN_FAILURE_MEMORY_SECONDS. One address may fail
# LOGIN_CLIENT_FAILURE_LIMIT times within LOGIN_CLIENT_WINDOW_SECONDS, whatever the
# usernames. The address is the connection's; behind a proxy that appends the
# client's address to X-Forwarded-For (docker/nginx.conf), set
# LOGIN_TRUST_X_FORWARDED_FOR, and only then: otherwise a client could name any.
LOGIN_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
LOGIN_DELAY_MAX_SECONDS = envint("LOGIN_DELAY_MAX_SECONDS", 15 * 60)
LOGIN_FAILURE_MEMORY_SECONDS = envint("LOGIN_FAILURE_MEMORY_SECONDS", 60 * 60)
LOGIN_CLIENT_FAILURE_LIMIT = envint("LOGIN_CLIENT_FAILURE_LIMIT", 20)
LOGIN_CLIENT_WINDOW_SECONDS = envint("LOGIN_CLIENT_WINDOW_SECONDS", 15 * 60)
LOGIN_TRUST_X_FORWARDED_FOR = envbool("LOGIN_TRUST_X_FORWARDED_FOR", False)
if LOGIN_FAILURE_LIMIT < 1 or LOGIN_CLIENT_FAILURE_LIMIT < 1:
    raise ImproperlyConfigured(
        "LOGIN_FAILURE_LIMIT and LOGIN_CLIENT_FAILURE_LIMIT must be 1 or more."
    )

# Sessions live in the database (Django's default engine), so any web replica can
# serve any request. They end with the browser, and after a working day at most.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = envbool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)

# HTTPS. TLS may end at a proxy in front of the app: then set SECURE_PROXY_SSL_HEADER
# to the header it sets (X-Forwarded-Proto), and only if the proxy always overwrites
# it. The health check stays reachable over plain HTTP for load balancers.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^halsa/$"]
if proxy_ssl_header := os.environ.get("SECURE_PROXY_SSL_HEADER", ""):
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + proxy_ssl_header.upper().replace("-", "_"), "https")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True
# HSTS is sent on HTTPS responses only; the preload directive alone submits nothing.
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Sent by malmo_ks.security on every response: no inline script or style anywhere.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'self'",
    ]
)

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# WhiteNoise serves static files from the app itself. In production they are the
# hashed, compressed copies `collectstatic` made (the Docker build runs it); with
# DEBUG on, the plain files, so development and tests need no collectstatic.
# The app writes no files: nothing is uploaded to disk, nothing kept between requests.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Decided by the DEBUG of the environment, not the test runner's (which turns DEBUG
# off): development and tests serve the source files as they change.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEBUG

# The register keeps public records: history rows are never cleaned up
# automatically, and unchanged saves still count as a recorded event.
SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# JSON lines on stdout: requests, logins, failed logins and status changes.
LOGGING = logs.config(os.environ.get("LOG_LEVEL", "INFO").upper())

FORMAT_MODULE_PATH = ["malmo_ks.formats"]

# E-mail (notifications.sending), with Django's own names. Without EMAIL_HOST the
# messages are printed on stdout (`make demo`), never sent anywhere.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
# A server that does not answer within this many seconds counts as down: the
# message is tried again later (NOTIFY_MAX_ATTEMPTS).
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "uppdragsregistret@localhost")
# The register's address as its users reach it: the links in e-mails are absolute.
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")

# Notifications (README, "Notifications"). Unset, the stale reminder uses the
# overview's number of months (reports.overview.STALE_MONTHS).
NOTIFY_STALE_MONTHS = envint("NOTIFY_STALE_MONTHS", 0) or None
NOTIFY_DIGEST_DAYS = envint("NOTIFY_DIGEST_DAYS", 7)
NOTIFY_MAX_ATTEMPTS = envint("NOTIFY_MAX_ATTEMPTS", 8)
if NOTIFY_DIGEST_DAYS < 1 or NOTIFY_MAX_ATTEMPTS < 1 or (NOTIFY_STALE_MONTHS or 1) < 1:
    raise ImproperlyConfigured(
        "NOTIFY_DIGEST_DAYS, NOTIFY_MAX_ATTEMPTS and NOTIFY_STALE_MONTHS must be 1 or more."
    )

# Sign-in with the city's identity provider: OpenID Connect, the authorization code
# flow with PKCE (malmo_ks.signin, README "Settings" and "Registering the register in
# Entra ID"). Off while OIDC_ISSUER is empty. The provider's endpoints are read from
# OIDC_ISSUER/.well-known/openid-configuration at the first sign-in and kept for
# OIDC_DISCOVERY_SECONDS. OIDC_ROLE_GROUPS maps the provider's groups (names or ids,
# as the groups claim carries them) to the register's roles:
# "Handläggare=grp-ks-handlaggare,Förtroendevald=grp-ks-politiker,Administratör=grp-ks-admin";
# a role may be named more than once. LOCAL_LOGIN keeps password login, on by default
# only without a provider: with one, turn it on only for a break-glass administrator.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").rstrip("/")
OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_GROUPS_CLAIM = os.environ.get("OIDC_GROUPS_CLAIM", "groups")
OIDC_ROLE_GROUPS = envlist("OIDC_ROLE_GROUPS", [])
OIDC_LOGIN_LABEL = os.environ.get("OIDC_LOGIN_LABEL", "Logga in med Malmö stads konto")
OIDC_TIMEOUT = envint("OIDC_TIMEOUT", 10)
OIDC_DISCOVERY_SECONDS = envint("OIDC_DISCOVERY_SECONDS", 60 * 60)
LOCAL_LOGIN = envbool("LOCAL_LOGIN", not OIDC_ISSUER)
if OIDC_ISSUER and not (OIDC_CLIENT_ID and OIDC_CLIENT_SECRET and OIDC_ROLE_GROUPS):
    raise ImproperlyConfigured(
        "OIDC_ISSUER needs OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_ROLE_GROUPS."
    )
if any("=" not in pair for pair in OIDC_ROLE_GROUPS):
    raise ImproperlyConfigured(
        f"OIDC_ROLE_GROUPS must be Role=group pairs separated by commas, got {OIDC_ROLE_GROUPS!r}"
    )

# The read-only API and open data (issue 17; README, "API and open data").
# OPEN_DATA serves the public subset (no personal data, CC0) without a token.
OPEN_DATA = envbool("OPEN_DATA", False)
# Requests a minute per token, and per client address without a token; then 429.
API_RATE_PER_MINUTE = envint("API_RATE_PER_MINUTE", 600)
API_ANONYMOUS_RATE_PER_MINUTE = envint("API_ANONYMOUS_RATE_PER_MINUTE", 120)
if API_RATE_PER_MINUTE < 1 or API_ANONYMOUS_RATE_PER_MINUTE < 1:
    raise ImproperlyConfigured("API_RATE_PER_MINUTE and API_ANONYMOUS_RATE_PER_MINUTE must be 1 or more.")
# The throttle's counts live in the database, so that every gunicorn worker sees them.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "api": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "api_throttle_cache",
        # Culling drops live counts: keep room for every client of a minute.
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ReadsRegister"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenThrottle", "api.throttling.AddressThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # `format=csv` is read by the views that offer a CSV, not by content negotiation.
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kommunstyrelsens uppdragsregister API",
    "DESCRIPTION": (
        "Read-only API of Malmö stad's register of KS investigation assignments. "
        "Dates are YYYY-MM-DD; `per` gives the register at the end of a past day, "
        "`sedan` what changed since a day."
    ),
    "VERSION": "1",
    "LICENSE": {"name": "CC0 1.0", "url": "https://creativecommons.org/publicdomain/zero/1.0/"},
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"AssessmentEnum": "assignments.models.Assessment"},
}
