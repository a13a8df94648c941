"""Two database roles: the owner, who migrates, and the runtime role the application uses.

The runtime role reads and writes the domain tables but may only read the trail: it cannot
insert, update, delete or truncate a history table, the chain head or the commit stamps;
cannot truncate any table (TRUNCATE fires no row trigger, so it would delete unrecorded); and,
owning nothing, cannot switch triggers off or replace a function. What the triggers must do
with more rights (write events, move the chain head, stamp commits) runs as the owner: their
functions are made SECURITY DEFINER, with a fixed search_path, after every migrate.
"""

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from psycopg import sql

from history.chain import event_models
from history.models import ChainHead, Commit

# The triggers whose functions write to the trail (pghistory's and the chain's).
TRAIL_WRITING_TRIGGERS = (
    "insert_insert",
    "update_update",
    "delete_delete",
    "audit_chain",
    "audit_commit",
)
# Tables the runtime role reads but never writes, besides the history tables.
READ_ONLY_TABLES = ("django_migrations",)


class MissingRole(Exception):
    """The runtime role named in the settings does not exist on the server."""


def history_tables() -> list[str]:
    return [
        *(model._meta.db_table for model in event_models()),
        ChainHead._meta.db_table,
        Commit._meta.db_table,
    ]


def _trail_writing_functions(cursor: CursorWrapper) -> list[str]:
    patterns = [f"pgtrigger_{name}_%" for name in TRAIL_WRITING_TRIGGERS]
    cursor.execute(
        "SELECT DISTINCT t.tgfoid::regprocedure::text FROM pg_trigger t "
        "WHERE NOT t.tgisinternal AND t.tgname LIKE ANY(%s)",
        [patterns],
    )
    return [name for (name,) in cursor.fetchall()]


def run_trail_triggers_as_owner(connection: BaseDatabaseWrapper) -> int:
    """Make every function that writes the trail run with its owner's rights; returns how
    many. Needed after each migrate: pgtrigger's CREATE OR REPLACE resets it."""
    with connection.cursor() as cursor:
        functions = _trail_writing_functions(cursor)
        for function in functions:
            # regprocedure's text is already a quoted, qualified signature.
            cursor.execute(
                f"ALTER FUNCTION {function} SECURITY DEFINER SET search_path = pg_catalog, public"
            )
    return len(functions)


def grant_runtime_role(connection: BaseDatabaseWrapper, role: str) -> None:
    """What ``role`` may do: read everything, write the domain tables, nothing more."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            raise MissingRole(
                f"the runtime role '{role}' (DATABASE_RUNTIME_ROLE) does not exist: create it "
                f"first, e.g. CREATE ROLE {role} LOGIN PASSWORD '...'"
            )
        connection.ensure_connection()
        raw = connection.connection

        def run(statement: sql.Composable) -> None:
            # As text: Django's cursor logs the statements it runs.
            cursor.execute(statement.as_string(raw))

        who = sql.Identifier(role)
        statements = [
            sql.SQL("GRANT USAGE ON SCHEMA public TO {}"),
            sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}"),
            sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}"),
            sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}"),
        ]
        for statement in statements:
            run(statement.format(who))
        for table in (*history_tables(), *READ_ONLY_TABLES):
            revoke = sql.SQL("REVOKE INSERT, UPDATE, DELETE ON {} FROM {}")
            run(revoke.format(sql.Identifier(table), who))
