"""Health routes for load balancers and orchestrators; open, cheap and never audited.

/healthz says the process answers (no database: a database outage must not get healthy
workers restarted). /readyz says this worker can serve: the database answers and every
migration is applied; otherwise 503, so the proxy sends traffic elsewhere.
"""

from __future__ import annotations

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from config.db import is_unavailable

# Once every migration is seen applied, this process stops checking: migrations are applied
# before new code starts, and reading the migration graph on every probe is not cheap.
_migrations_applied = False


def _text(body: str, status: int = 200) -> HttpResponse:
    response = HttpResponse(body + "\n", status=status, content_type="text/plain; charset=utf-8")
    if status == 503:
        response["Retry-After"] = str(settings.RETRY_AFTER_SECONDS)
    return response


def _unapplied_migrations() -> int:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes()
    return len(executor.migration_plan(targets))


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    return _text("ok")


@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    global _migrations_applied
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        if not _migrations_applied:
            unapplied = _unapplied_migrations()
            if unapplied:
                return _text(f"not ready: {unapplied} unapplied migration(s)", 503)
            _migrations_applied = True
    except DatabaseError as exc:
        if not is_unavailable(exc):
            raise
        # Drop the broken connection now, so the next probe connects afresh.
        connection.close_if_unusable_or_obsolete()
        return _text("not ready: the database does not answer", 503)
    return _text("ready")
