"""Settings for the test suite: production settings plus the few values tests need.

Values are only defaults, so CI or a developer can still override them from the environment.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")
# Browser tests talk to pytest-django's live server over plain HTTP, where cookies marked
# Secure would not be sent back and logging in would silently fail.
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("CSRF_COOKIE_SECURE", "0")
# The live server's threads would otherwise keep connections that block dropping the test DB.
os.environ.setdefault("DB_CONN_MAX_AGE", "0")

from config.settings import *  # noqa: F403

# Tests create users with passwords by the hundred; PBKDF2's deliberate slowness (its point in
# production) was half the suite's time. MD5 here only: never outside tests.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests render pages without running collectstatic first; hashed names need the manifest.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise finds files in the apps' static folders, as runserver does, with no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Security settings stay as in production (lockout, throttling, CSP); the throttles' counters
# and axes' cache are cleared before each test (tests/conftest.py).
