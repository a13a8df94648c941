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
    LOG_LEVEL             default INFO

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
    "django.middleware.security.SecurityMiddleware",
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
# The reports' per-row subqueries give the planner high cost estimates, and above
# jit_above_cost PostgreSQL spends seconds compiling with LLVM queries that run in milliseconds
# (bench/reports_bench.py: a compliance matrix of 2,000 obligations took 7.9 s with JIT, under
# 1 s without). Off for the application's connections, unless DATABASE_URL sets `options`.
DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
STATIC_ROOT = BASE_DIR / "staticfiles"

# Security: strict by default, relaxed only when DEBUG is on (plain-HTTP runserver).
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Off by default: TLS is normally terminated (and HTTP redirected) by a proxy in front.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
if env_bool("SECURE_PROXY_SSL_HEADER_ENABLED", False):
    # Only safe when the proxy always sets or strips this header itself.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HSTS is hard to undo once browsers have seen it, so it is an explicit opt-in.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)

# Everything goes to the console; the process manager or container runtime collects it.
LOG_LEVEL = env_str("LOG_LEVEL", "INFO").strip().upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(
        f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL; got {LOG_LEVEL!r}."
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django at DEBUG logs every SQL query; LOG_LEVEL=DEBUG is meant for our own code.
        "django": {
            "handlers": ["console"],
            "level": "INFO" if LOG_LEVEL == "DEBUG" else LOG_LEVEL,
            "propagate": False,
        },
    },
}

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
