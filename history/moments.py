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
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypeVar

from django.db import connection
from django.utils import timezone

from history.models import COMMIT_LOCK_KEY, HEAD_SEQ_SETTING

T = TypeVar("T")


class FutureMoment(ValueError):
    """A moment that has not come yet: the tracker cannot say what it will have recorded."""


@dataclass(frozen=True)
class Moment:
    """A point of transaction time: ``at`` as asked (or now), ``seq`` the last event known.

    ``unchanged``: labels of the audited models ("tracker.Incident") with no event after
    ``seq`` when it was read (``read_known``): their live tables hold exactly what was known
    then, so history.as_of reads them instead of sorting their event tables.
    """

    at: datetime.datetime
    seq: int
    unchanged: frozenset[str] = frozenset()


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


# The number of the latest event this connection sees: its own transaction's last one if it
# wrote any (uncommitted, but visible to it), else the latest committed. Takes HEAD_SEQ_SETTING.
LATEST_SEQ = (
    "coalesce(nullif(current_setting(%s, true), '')::bigint,"
    " (SELECT max(seq) FROM history_commit), 0)"
)


def latest_seq() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {LATEST_SEQ}", [HEAD_SEQ_SETTING])
        return cursor.fetchone()[0]


def unchanged_since(seq: int) -> tuple[int, frozenset[str]]:
    """(latest event, labels of the audited models without an event after ``seq``): one
    query, an index probe on the chain number of each history table."""
    from history.chain import event_models

    tables = event_models()
    probes = ", ".join(
        f"EXISTS (SELECT 1 FROM {connection.ops.quote_name(table._meta.db_table)}"
        " WHERE pgh_seq > %s)"
        for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {LATEST_SEQ}, {probes}", [HEAD_SEQ_SETTING, *[seq] * len(tables)])
        latest, *changed = cursor.fetchone()
    labels = (table.pgh_tracked_model._meta.label for table in tables)
    return latest, frozenset(
        label for label, moved in zip(labels, changed, strict=True) if not moved
    )


def read_known(moment: Moment, read: Callable[[Moment], T]) -> T:
    """``read(moment)``: what was known at ``moment``, read from the live table of every
    model nothing was committed to after it, and from the history tables for the others.

    The one rule of the shortcut. A live row equals its latest event (every audited write
    leaves one), so for a model with no event after ``moment`` (all of them, when asked as
    known now) its live rows are its rows as known then. Each statement sees the commits
    finished before it, so a commit landing while ``read`` runs could show in its later
    statements: the latest event is read again afterwards, and if it moved, the answer is
    read again from history alone. A commit's rows and its stamp become visible together,
    so an unchanged number proves that no statement saw a later change.
    """
    latest, unchanged = unchanged_since(moment.seq)
    if unchanged:
        answer = read(replace(moment, unchanged=unchanged))
        if latest_seq() == latest:
            return answer
    return read(replace(moment, unchanged=frozenset()))
