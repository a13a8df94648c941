"""Every connection to the database, however it is opened, runs without JIT and with
pgtrigger's ignore list set: unset, each trigger rolled back a subtransaction per row and big
audited writes became quadratic (the benchmark proves the speed; this proves the setting)."""

import psycopg
import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


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
