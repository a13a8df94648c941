"""What the web layer needs to know about the database: which failures mean "try again
later", and which are worth one immediate retry."""

from __future__ import annotations

import psycopg.errors
from django.db import InterfaceError, OperationalError

# A transaction PostgreSQL aborted only because of its timing against another one; running
# it again, once the other has finished, normally succeeds.
_RETRYABLE = (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure)


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and whatever it wraps (Django wraps psycopg's errors)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def is_retryable(exc: BaseException) -> bool:
    """A deadlock or serialization failure: the transaction may simply be run again."""
    return any(isinstance(cause, _RETRYABLE) for cause in _causes(exc))


def is_unavailable(exc: BaseException) -> bool:
    """The database cannot answer now: down, restarting, timed out, or a lost lock race.

    Operational errors are about the server, not the request (constraint violations and bad
    data are IntegrityError/DataError), so the honest answer is 503, not 500.
    """
    return any(
        isinstance(
            cause,
            OperationalError | InterfaceError | psycopg.OperationalError | psycopg.InterfaceError,
        )
        for cause in _causes(exc)
    )
