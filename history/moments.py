"""Moments of transaction time: what the tracker had recorded by a given time.

The rule: a change is known at K when its transaction had committed by K. Events carry their
transaction's start time (pghistory's ``pgh_created_at``), which is not enough: a transaction
begun before K and committed after it would make a report asked about K change after the fact.
So the commit trigger stamps each audited transaction's commit time in ``history_commit``,
against the sequence number of its last event, and a moment is read as that number: the events
known at K are those numbered up to the last one committed by K. Commits are serialised by the
chain head, so their stamps rise with the sequence.

A stamp is written just before its commit becomes visible. ``moment_at`` first waits for any
commit in that gap (an exclusive take of the advisory lock that committing transactions hold
shared), so every commit stamped by the returned time is visible and none is stamped later
than it: reading the same moment again always gives the same events.

A transaction sees its own uncommitted changes as known from its start onwards (as a reader
sees its own writes), so a report within the transaction that recorded the data shows it.
"""

import datetime
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from history.models import COMMIT_LOCK_KEY, HEAD_SEQ_SETTING


class FutureMoment(ValueError):
    """A moment that has not come yet: the tracker cannot say what it will have recorded."""


@dataclass(frozen=True)
class Moment:
    """A point of transaction time: ``at`` as asked (or now), ``seq`` the last event known."""

    at: datetime.datetime
    seq: int


def end_of_day(day: datetime.date) -> datetime.datetime:
    """A bare date as a moment means the end of that day, UTC: all that was recorded on it."""
    return datetime.datetime.combine(day, datetime.time.max, tzinfo=datetime.UTC)


def moment_at(at: datetime.datetime | None = None, *, clamp: bool = False) -> Moment:
    """The moment ``at`` (now, if None). Raises FutureMoment for a time after now, unless
    ``clamp``, which reads such a time as now (for a bare date of today, say)."""
    with connection.cursor() as cursor:
        # The wait lasts only while a stamped commit is finishing; the clock is read after it.
        cursor.execute("SELECT pg_advisory_lock(%s)", [COMMIT_LOCK_KEY])
        cursor.execute("SELECT pg_advisory_unlock(%s), clock_timestamp()", [COMMIT_LOCK_KEY])
        _, now = cursor.fetchone()
        if at is None or (clamp and at > now):
            at = now
        elif timezone.is_naive(at):
            at = timezone.make_aware(at)
        if at > now:
            raise FutureMoment("This moment has not come yet; nothing is known about it.")
        # Our own transaction's events, if it wrote any (it holds the chain head, so they
        # follow every committed one), count from the transaction's start.
        cursor.execute(
            "SELECT CASE WHEN %s >= now() THEN nullif(current_setting(%s, true), '')::bigint END,"
            " (SELECT coalesce(max(seq), 0) FROM history_commit WHERE committed_at <= %s)",
            [at, HEAD_SEQ_SETTING, at],
        )
        own, committed = cursor.fetchone()
    return Moment(at=at, seq=own or committed)
