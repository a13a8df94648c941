"""Every connection to the database, however it is opened (the application, its runtime role,
its management commands, the benchmarks), runs without JIT and with pgtrigger's ignore list
set: unset, each trigger rolled back a subtransaction per row and big audited writes became
quadratic (bench/bulk_bench.py proves the speed; this proves the setting)."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.db import connection

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def settings_of(cursor) -> tuple[str, str]:
    cursor.execute("SELECT current_setting('jit'), current_setting('pgtrigger.ignore', true)")
    return cursor.fetchone()


def test_the_applications_connections_have_the_settings():
    with connection.cursor() as cursor:
        assert settings_of(cursor) == ("off", "{}")


def test_a_connection_opened_without_any_options_has_them_from_the_database():
    params = connection.get_connection_params()
    plain = {key: params[key] for key in ("host", "port", "dbname", "user") if params.get(key)}
    with psycopg.connect(**plain) as other, other.cursor() as cursor:
        assert settings_of(cursor) == ("off", "{}")


RUNTIME_ROLE = "tracker_defaults_test"


@pytest.mark.django_db(transaction=True)
def test_the_runtime_roles_connections_have_them():
    """The role the application runs as under `make run` (README, Security): a role's own
    settings would override the database's, so its connections are checked too."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP ROLE IF EXISTS {RUNTIME_ROLE}")
        cursor.execute(f"CREATE ROLE {RUNTIME_ROLE} LOGIN NOSUPERUSER")
    params = connection.get_connection_params()
    plain = {key: params[key] for key in ("host", "port", "dbname") if params.get(key)}
    try:
        with psycopg.connect(**plain, user=RUNTIME_ROLE) as app, app.cursor() as cursor:
            assert settings_of(cursor) == ("off", "{}")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP ROLE {RUNTIME_ROLE}")


@pytest.mark.parametrize(
    "environment",
    [
        # The tests' settings.
        {"DJANGO_SETTINGS_MODULE": "config.settings_test"},
        # The settings of `make run`, the server and the benchmarks (bench/*.py set these).
        {"DJANGO_SETTINGS_MODULE": "config.settings", "SECRET_KEY": "x" * 50},
        # Without startup options, as behind PgBouncer: the database's defaults alone.
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECRET_KEY": "x" * 50,
            "DB_STARTUP_OPTIONS": "0",
        },
    ],
)
def test_a_management_commands_connection_has_them(environment):
    # The test database, reached as the tests reach it.
    url = urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{connection.settings_dict['NAME']}")
    show = (
        "from django.db import connection\n"
        "c = connection.cursor()\n"
        "c.execute(\"SELECT current_setting('jit'), current_setting('pgtrigger.ignore', true)\")\n"
        "print(*c.fetchone())"
    )
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", show],
        env={**os.environ, **environment, "DATABASE_URL": urlunsplit(url)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.splitlines()[-1].split() == ["off", "{}"]
