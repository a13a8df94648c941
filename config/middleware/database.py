"""An unavailable database is a 503 with Retry-After, and writes take one lock order.

Write requests run in one transaction that locks the audit chain head before anything else
(history.models.lock_chain_head), so ordinary concurrent writes queue instead of
deadlocking. A transaction that still loses a lock race (deadlock, serialization failure) is
run once more; what fails again, and every request that meets a database that is down,
restarting or too slow, gets a 503 with Retry-After rather than a 500.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.http import HttpRequest, HttpResponse

from config.api.errors import note_database_failure, unavailable_response
from config.db import is_retryable, is_unavailable
from history.models import lock_chain_head

logger = logging.getLogger(__name__)

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Before the second run, a pause of this many seconds (drawn at random): the transaction that
# won the race, woken by our rollback, takes its locks and finishes first instead of racing
# the retry for them again (seen under load: the retry lost the same race and got a 503).
RETRY_PAUSE = (0.05, 0.25)


class DatabaseResilienceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in WRITE_METHODS:
            return self.get_response(request)
        # A second run must read the same body: only possible once it is held in memory
        # (the input guard reads every non-multipart body).
        attempts = 2 if hasattr(request, "_body") else 1
        for attempt in range(1, attempts + 1):
            response, failure = self._write_once(request)
            if failure is None:
                return response  # type: ignore[return-value]
            if attempt < attempts and is_retryable(failure):
                logger.warning("Retrying %s %s after: %s", request.method, request.path, failure)
                time.sleep(random.uniform(*RETRY_PAUSE))
                continue
            logger.warning(
                "Database unavailable for %s %s: %s", request.method, request.path, failure
            )
            return response if response is not None else unavailable_response(request)
        raise AssertionError("unreachable")  # pragma: no cover

    def _write_once(self, request: HttpRequest) -> tuple[HttpResponse | None, BaseException | None]:
        """One run of the request in its own transaction; a failed run is rolled back."""
        request.database_failure = None  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                lock_chain_head(connections[DEFAULT_DB_ALIAS])
                response = self.get_response(request)
                # A failed answer keeps nothing it may have written. Only a server error: a
                # 4xx can carry a record that must stay (a locked-out sign-in's failure count).
                if response.status_code >= 500:
                    transaction.set_rollback(True)
        except DatabaseError as exc:
            # Raised by BEGIN, the lock or COMMIT (deferred foreign-key checks run there).
            if not is_unavailable(exc):
                raise
            connections[DEFAULT_DB_ALIAS].close_if_unusable_or_obsolete()
            return None, exc
        return response, getattr(request, "database_failure", None)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A view or template that met an unavailable database (pages, reports, admin)."""
        if not is_unavailable(exception):
            return None
        note_database_failure(request, exception)
        return unavailable_response(request)
