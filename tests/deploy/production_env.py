"""The production environment the README documents, as the deployment tests use it."""

import os
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def production_env(database_url: str, **overrides: str) -> dict[str, str]:
    """Only what the README's Deployment section tells an operator to set (plus PATH)."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "deploy-tests-only-" + "x" * 50,
        "ALLOWED_HOSTS": "tracker.example.org,127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": "https://tracker.example.org",
        "SECURE_SSL_REDIRECT": "1",
        "SECURE_PROXY_SSL_HEADER_ENABLED": "1",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
        "SECURE_HSTS_PRELOAD": "1",
        "LOG_FORMAT": "json",
    }
    env.update(overrides)
    return env
