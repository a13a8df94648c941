"""Small, typed readers for settings that come from the environment.

Every helper fails loudly: a value that cannot be understood raises ImproperlyConfigured
naming the variable and what was found, so a typo in deployment stops the process at start-up
instead of silently falling back to a default.
"""

from __future__ import annotations

import os
from typing import Any, overload
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
_FALSE_WORDS = frozenset({"0", "false", "no", "off"})
_POSTGRES_SCHEMES = frozenset({"postgres", "postgresql"})


@overload
def env_str(name: str, default: str) -> str: ...
@overload
def env_str(name: str, default: None = None) -> str | None: ...
def env_str(name: str, default: str | None = None) -> str | None:
    """Return the variable as text, or `default` when it is not set at all.

    An empty value counts as set: `FOO=` deliberately means the empty string.
    """
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    """Read an on/off switch; only well-known spellings are accepted."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    # Guessing here (e.g. treating "ture" as false) hides mistakes such as DEBUG in production.
    raise ImproperlyConfigured(
        f"Environment variable {name} must be one of 1/0, true/false, yes/no, on/off "
        f"(any case); got {raw!r}."
    )


def env_int(name: str, default: int) -> int:
    """Read a whole number such as a port or a number of seconds."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(
            f"Environment variable {name} must be a whole number; got {raw!r}."
        ) from None


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list; spaces around items and empty items are ignored."""
    raw = os.environ.get(name)
    if raw is None:
        # A copy, so callers that append to the result never change the caller's default.
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_url(url: str, *, variable: str = "DATABASE_URL") -> dict[str, Any]:
    """Turn `postgres://user:password@host:port/dbname?sslmode=...` into a DATABASES entry.

    `variable` only names the source in error messages. Query parameters become OPTIONS,
    which psycopg passes to libpq unchanged (sslmode, sslrootcert, connect_timeout, ...).
    """
    try:
        parts = urlsplit(url)
        port = parts.port  # Raises ValueError for a non-numeric or out-of-range port.
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"{variable} is not a valid URL ({exc}); got {_redact(url)!r}."
        ) from None

    if parts.scheme not in _POSTGRES_SCHEMES:
        raise ImproperlyConfigured(
            f"{variable} must start with postgres:// or postgresql:// "
            f"(only PostgreSQL is supported); got {_redact(url)!r}."
        )

    name = unquote(parts.path.lstrip("/"))
    if not name or "/" in name:
        raise ImproperlyConfigured(
            f"{variable} must name exactly one database after the host, as in "
            f"postgres://user@host:5432/dbname; got {_redact(url)!r}."
        )

    # urlsplit leaves %-escapes in place; user names, passwords and socket directories
    # (host=%2Fvar%2Frun%2Fpostgresql) routinely need them.
    options: dict[str, str] = dict(parse_qsl(parts.query, keep_blank_values=True))
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": unquote(parts.hostname or ""),
        "PORT": str(port) if port is not None else "",
        "OPTIONS": options,
    }


def _redact(url: str) -> str:
    """Hide the password so a failed start-up never prints a secret to the logs."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return "<unparseable URL>"
    if not password:
        return url
    netloc = parts.netloc.replace(f":{password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()
