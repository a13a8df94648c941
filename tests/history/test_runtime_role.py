"""The application's own database role cannot rewrite the trail: each forbidden act is tried
through a connection as that role, after `migrate` has granted it what it needs."""

import io
from collections.abc import Iterator

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from agreements.models import Source
from history.roles import MissingRole, grant_runtime_role, run_trail_triggers_as_owner

ROLE = "tracker_runtime_test"
# Grants must be committed for another connection to see them.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def runtime() -> Iterator[psycopg.Connection]:
    """A connection as the runtime role, granted as `migrate` grants it."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP ROLE IF EXISTS {ROLE}")
        cursor.execute(f"CREATE ROLE {ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")
    run_trail_triggers_as_owner(connection)
    grant_runtime_role(connection, ROLE)
    params = connection.get_connection_params()
    kept = {key: params[key] for key in ("host", "port", "dbname") if params.get(key)}
    with psycopg.connect(**kept, user=ROLE, autocommit=True) as app:
        yield app
    with connection.cursor() as cursor:
        cursor.execute(f"DROP OWNED BY {ROLE}")
        cursor.execute(f"DROP ROLE {ROLE}")


def refused(app: psycopg.Connection, statement: str) -> str:
    with pytest.raises(psycopg.Error) as refusal:
        app.execute(statement)
    return str(refusal.value)


def add_source(app: psycopg.Connection, key: str) -> int:
    row = app.execute(
        "INSERT INTO agreements_source (key, publisher, title, url, language, "
        "published_precision, reliability, notes) VALUES "
        "(%s, 'P', 'Through the app role', '', 'en', '', 'F', '') RETURNING id",
        [key],
    ).fetchone()
    return row[0]


def test_the_runtime_role_writes_domain_rows_and_the_trail_follows(runtime):
    source_id = add_source(runtime, "written-by-the-app")

    events = Source.pgh_event_model.objects.filter(pgh_obj_id=source_id)
    assert [event.pgh_label for event in events] == ["insert"]
    assert events[0].pgh_seq is not None
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert "Audit trail intact: 1 events" in out.getvalue()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE agreements_sourceevent SET title = 'Rewritten'",
        "DELETE FROM agreements_sourceevent",
        "TRUNCATE agreements_sourceevent",
        "INSERT INTO agreements_sourceevent (pgh_created_at, pgh_label, pgh_obj_id, id, key, "
        "publisher, title, url, language, published_precision, reliability, notes) "
        "VALUES (now(), 'insert', 1, 1, 'forged', 'P', 'Forged', '', 'en', '', 'F', '')",
        "UPDATE history_chainhead SET seq = 0, hash = ''",
        "DELETE FROM history_chainhead",
        "TRUNCATE history_chainhead",
        "DELETE FROM history_commit",
        "TRUNCATE agreements_source",
        "INSERT INTO django_migrations (app, name, applied) VALUES ('x', 'y', now())",
    ],
)
def test_the_runtime_role_cannot_write_the_trail_or_truncate(runtime, statement):
    assert "permission denied" in refused(runtime, statement)


def test_the_runtime_role_cannot_switch_triggers_off(runtime):
    assert "must be owner" in refused(runtime, "ALTER TABLE agreements_source DISABLE TRIGGER ALL")
    assert "permission denied" in refused(runtime, "SET session_replication_role = replica")


def test_the_runtime_role_cannot_create_or_replace_functions(runtime):
    replaced = refused(
        runtime,
        "CREATE OR REPLACE FUNCTION audit_event_digest(prev text, tbl text, r anyelement) "
        "RETURNS text LANGUAGE sql AS $$ SELECT ''::text $$",
    )
    assert "permission denied" in replaced or "must be owner" in replaced
    assert "permission denied" in refused(
        runtime, "CREATE FUNCTION a_new_one() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$"
    )


def test_granting_a_role_that_does_not_exist_says_how_to_create_it():
    with pytest.raises(MissingRole, match="CREATE ROLE nobody_here LOGIN"):
        grant_runtime_role(connection, "nobody_here")
