"""Settings for the agreement-clause tracker, read from the environment.

Production is the default: DEBUG is off and SECRET_KEY must be given. For local work,
`make run` sets DEBUG=1 and a DATABASE_URL. Variables read here:

    DATABASE_URL          postgres://user:password@host:port/dbname[?sslmode=require]
    DEBUG                 1/0, true/false, yes/no, on/off (default off)
    SECRET_KEY            required when DEBUG is off
    ALLOWED_HOSTS         comma-separated host names
    CSRF_TRUSTED_ORIGINS  comma-separated origins, e.g. https://tracker.example.org
    TIME_ZONE             zone used to display dates (storage is always UTC); default UTC
    SESSION_COOKIE_SECURE / CSRF_COOKIE_SECURE   default on when DEBUG is off
    SECURE_SSL_REDIRECT   default off (usually the TLS proxy redirects)
    SECURE_PROXY_SSL_HEADER_ENABLED  trust X-Forwarded-Proto from the proxy; default off
    SECURE_HSTS_SECONDS   default 0 (off); turn on once HTTPS is known to work
    SECURE_HSTS_INCLUDE_SUBDOMAINS / SECURE_HSTS_PRELOAD   default off
    LOG_LEVEL             default INFO
    STATIC_ROOT           where collectstatic writes; default staticfiles/ in the project
    LOG_FORMAT            "plain" (default) or "json": one JSON object per line
    DB_CONNECT_TIMEOUT    seconds to wait for a database connection; default 5
    DB_STATEMENT_TIMEOUT  seconds one SQL statement of a web request may run; default 30
                          (0 = none); commands and imports are exempt
    DB_CONN_MAX_AGE       seconds a worker keeps its connection open; default 60
    DB_STARTUP_OPTIONS    1/0: send jit/statement_timeout as connection options; default 1.
                          Set 0 behind PgBouncer, which refuses them (see README, Deployment)
    REQUEST_DEADLINE      seconds after which a web request stops waiting for a hung database
                          (its connection is cut; 503); default DB_STATEMENT_TIMEOUT + 5
    RETRY_AFTER_SECONDS   Retry-After sent with a 503 when the database is unavailable;
                          default 5
    REVIEW_OWN_JUDGEMENTS 1 lets a lead review their own judgements (one-person teams); default off

Sign-in protection (see the "Security: ..." blocks below and README "Security"):

    LOGIN_FAILURE_LIMIT        failed sign-ins (admin password or API token) from one address
                               for one user before it is locked; default 5
    LOGIN_COOLOFF_MINUTES      how long a lock lasts; default 30
    SESSION_IDLE_MINUTES       a signed-in session ends after this long without a request;
                               default 30
    API_THROTTLE_ANON          DRF rate for anonymous API use, e.g. 60/minute (the default)
    API_THROTTLE_USER          DRF rate per signed-in user or token owner; default 1200/minute
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import database_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

# Only ever used on a developer's machine; the name says so in case it leaks anywhere.
_INSECURE_DEV_SECRET_KEY = "django-insecure-DEVELOPMENT-ONLY-never-use-this-key-in-production"

SECRET_KEY = env_str("SECRET_KEY") or ""
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = _INSECURE_DEV_SECRET_KEY
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set and DEBUG is off. Set it to a long random value, e.g. "
            "export SECRET_KEY=\"$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')\""
            " — or set DEBUG=1 for local development."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "pgtrigger",
    "pghistory",
    # Security: sign-in lockout and Content-Security-Policy (blocks at the end of this file).
    "axes",
    "csp",
    "history",
    "agreements",
    "tracker",
]

MIDDLEWARE = [
    # Outermost: times every request and gives it an id, whatever answers it.
    "config.middleware.request_log.RequestLogMiddleware",
    # A request stuck on a hung database is cut loose after REQUEST_DEADLINE seconds.
    "config.middleware.deadline.RequestDeadlineMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files answer before sessions or the database are touched.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Hostile input is refused before any view, report or audit context sees it.
    "config.middleware.input_guard.InputGuardMiddleware",
    # Database down or a lost lock race: 503 with Retry-After, never 500. Write requests
    # run in one transaction that takes the audit chain head first (one lock order).
    "config.middleware.database.DatabaseResilienceMiddleware",
    # Security: Content-Security-Policy header, and Cache-Control: private, no-store on
    # every response the application makes (config/security.py).
    "csp.middleware.CSPMiddleware",
    "config.security.PrivateNoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Needs the session (for a chosen language) and must run before CommonMiddleware,
    # which may redirect using the resolved language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: every change a request makes is recorded with who made it.
    "history.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Security: django-axes answers a locked-out sign-in with 429; its docs ask for it last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

# Wiring's own files (the language switch's style), beside the apps' static folders.
STATICFILES_DIRS = [BASE_DIR / "config" / "static"]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Project-wide overrides of third-party templates (the admin header).
        "DIRS": [BASE_DIR / "config" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tracker")
    ),
}
# A worker keeps its connection between requests, checked before reuse, so a restarted
# server costs one failed check rather than a failed request.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# libpq waits forever for an unreachable or hung server unless told otherwise.
DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", str(env_int("DB_CONNECT_TIMEOUT", 5)))
# The reports' per-row subqueries give the planner high cost estimates, and above
# jit_above_cost PostgreSQL spends seconds compiling with LLVM queries that run in milliseconds
# (bench/reports_bench.py: a compliance matrix of 2,000 obligations took 7.9 s with JIT, under
# 1 s without). Off for the application's connections, unless DATABASE_URL sets `options`.
# Web requests also get a statement timeout, so one slow query cannot hold a worker; the
# wsgi module marks the process as a web server (commands, imports and migrations are exempt).
# An `options` given in DATABASE_URL replaces both.
DB_STATEMENT_TIMEOUT = env_int("DB_STATEMENT_TIMEOUT", 30)
WEB_PROCESS = env_str("TRACKER_PROCESS", "") == "web"
if env_bool("DB_STARTUP_OPTIONS", True):
    # The same defaults the history layer's migration gives the database (for connections
    # made before it ran, and databases migrated elsewhere): history/sql/database_defaults.sql.
    _startup = ["-c jit=off", "-c pgtrigger.ignore={}"]
    if WEB_PROCESS and DB_STATEMENT_TIMEOUT > 0:
        _startup.append(f"-c statement_timeout={DB_STATEMENT_TIMEOUT * 1000}")
    DATABASES["default"]["OPTIONS"].setdefault("options", " ".join(_startup))
RETRY_AFTER_SECONDS = env_int("RETRY_AFTER_SECONDS", 5)
# A hung server never sends statement_timeout's error: past this many seconds a web request's
# database sockets are shut down, so it ends in a 503 (config/middleware/deadline.py).
REQUEST_DEADLINE_SECONDS = env_int("REQUEST_DEADLINE", DB_STATEMENT_TIMEOUT + 5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Triggers are created by migrations, but Django generates no migrations for the tables behind
# plain many-to-many fields (a judgement's evidence links): pgtrigger installs every registered
# trigger again after each `migrate`, so those tables are audited too (CREATE OR REPLACE, cheap).
PGTRIGGER_INSTALL_ON_MIGRATE = True

# The login role the application runs as, when migrations run as the owner (README, Security):
# `migrate` grants it what it needs and no more. Empty: no grants (one role, as in the tests).
DATABASE_RUNTIME_ROLE = env_str("DATABASE_RUNTIME_ROLE", "")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: analysts work in English or Arabic.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ar", _("Arabic")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True

# Timestamps are stored in UTC; TIME_ZONE only changes how they are shown.
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_TZ = True

# Report pages and the browsable API send people to the admin's login page.
LOGIN_URL = "/admin/login/"

STATIC_URL = "static/"
# Project-wide static files (the admin's accessibility fixes), like the templates in config/.
STATICFILES_DIRS = [BASE_DIR / "config" / "static"]
STATIC_ROOT = env_str("STATIC_ROOT") or BASE_DIR / "staticfiles"
# collectstatic writes hashed names and gzip copies (Brotli too, if that package is
# installed); WhiteNoise serves them with
# far-future cache headers. Tests swap in plain storage (config/settings_test.py).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Security: strict by default, relaxed only when DEBUG is on (plain-HTTP runserver).
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Off by default: TLS is normally terminated (and HTTP redirected) by a proxy in front.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# Load balancers probe over plain HTTP inside the network; a redirect would read as "down".
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
if env_bool("SECURE_PROXY_SSL_HEADER_ENABLED", False):
    # Only safe when the proxy always sets or strips this header itself.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HSTS is hard to undo once browsers have seen it, so it is an explicit opt-in.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)

# Everything goes to the console; the process manager or container runtime collects it.
LOG_LEVEL = env_str("LOG_LEVEL", "INFO").strip().upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(
        f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL; got {LOG_LEVEL!r}."
    )
LOG_FORMAT = env_str("LOG_FORMAT", "plain").strip().lower()
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json; got {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"},
        "json": {"()": "config.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django at DEBUG logs every SQL query; LOG_LEVEL=DEBUG is meant for our own code.
        "django": {
            "handlers": ["console"],
            "level": "INFO" if LOG_LEVEL == "DEBUG" else LOG_LEVEL,
            "propagate": False,
        },
        # One line per trigger installed after every migrate (PGTRIGGER_INSTALL_ON_MIGRATE).
        "pgtrigger": {"level": "WARNING"},
        # axes announces itself at INFO on every start; its lockouts are WARNINGs and stay.
        "axes": {"level": "WARNING"},
    },
}

# Four eyes: a lead may not approve or reject a judgement they recorded themselves. A
# one-person team sets REVIEW_OWN_JUDGEMENTS=1 (tracker.services.assessment_review_check).
REVIEW_OWN_JUDGEMENTS = env_bool("REVIEW_OWN_JUDGEMENTS", False)

# REST API (/api/v1/). Plumbing shared by both apps lives in config/api/.
API_PUBLIC_READ = env_bool("API_PUBLIC_READ", False)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tracker.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["config.api.permissions.RolePermission"],
    "DEFAULT_PAGINATION_CLASS": "config.api.pagination.StandardPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    # JSON with limits on nesting and NUL characters (config/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "config.api.parsers.GuardedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "EXCEPTION_HANDLER": "config.api.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "SEARCH_PARAM": "q",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Agreement-clause tracker API",
    "DESCRIPTION": (
        "Agreements clause by clause, obligations with their derived compliance status, "
        "incidents, breach claims, assessments and sources. Errors share one JSON shape."
    ),
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.0.3",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # The docs page loads Swagger UI from this server (drf-spectacular-sidecar), not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"DatePrecisionEnum": "agreements.choices.DatePrecision"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api.schema.add_error_responses",
    ],
}


# ---------------------------------------------------------------------------------------------
# Security: sign-in lockout (django-axes). A user+address is locked after LOGIN_FAILURE_LIMIT
# failed sign-ins, on the admin's login page and with API tokens (tracker/api/authentication.py
# reports token failures to axes under the name "api-token"), for LOGIN_COOLOFF_MINUTES; axes
# logs "AXES: Locking out ..." at WARNING. `manage.py axes_reset` lifts every lock. The
# address is REMOTE_ADDR: behind a proxy, see README "Security" before relying on it.
AUTHENTICATION_BACKENDS = [
    "config.security.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Locks are lifted by the cool-off or `manage.py axes_reset_username <name>`; axes' own admin
# pages stay off, as they fall outside the role table (tracker/roles.py).
AXES_ENABLE_ADMIN = False

# Security: sessions end after SESSION_IDLE_MINUTES without a request (each request renews it).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True

# Security: DRF throttling of the API, per address for anonymous requests and per user
# otherwise. Counters live in the default cache (local memory: per process; with several
# workers give CACHES a shared backend for exact limits). Tests clear the cache per test.
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = [
    "rest_framework.throttling.AnonRateThrottle",
    "rest_framework.throttling.UserRateThrottle",
]
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "anon": env_str("API_THROTTLE_ANON", "60/minute"),
    "user": env_str("API_THROTTLE_USER", "1200/minute"),
}

# Security: Content-Security-Policy (django-csp). Our pages load scripts, styles and images from
# this server only and use no inline script or style; SVG charts are inline markup, not
# images. The one exception is the API docs page (/api/docs/, Swagger UI from
# drf-spectacular-sidecar), which adds 'unsafe-inline' to style-src for its own <style> block
# (config/urls.py); its script is served as a file (SpectacularSwaggerSplitView).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
