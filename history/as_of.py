"""Rows as the tracker had recorded them at a past moment (transaction time).

Every audited table has an event table holding a snapshot of the row after each change (before
it, for a delete), numbered in the audit chain. A row as of a moment is its latest snapshot
among the events known then (history.moments); if that snapshot is a delete, or there is none,
the row did not exist then.

``snapshots_as_of`` returns a queryset over the event table, with the tracked model's field
names, so that filters, search, ordering and pagination run in the database as they do on the
live table. ``records_as_of`` and ``attach_as_of`` turn snapshots into unsaved model instances
whose relations are read as of the same moment, one query per related table. They are for
reading only: saving one would write the past over the present.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from django.apps import apps
from django.db import models
from django.db.models import Exists, Expression, F, OuterRef, QuerySet, Subquery

from history.models import ChainedEvent
from history.moments import Moment

M = TypeVar("M", bound=models.Model)


def event_model(model: type[models.Model]) -> type[ChainedEvent]:
    """The history table of ``model``, named after it by ``audited()``: Clause -> ClauseEvent."""
    return apps.get_model(model._meta.app_label, f"{model.__name__}Event")


def snapshots_as_of(
    model: type[models.Model], moment: Moment, ids: Iterable[int] | None = None
) -> QuerySet:
    """The latest snapshot of each row of ``model`` known at ``moment``, for rows that then
    existed (only the rows with these ``ids``, if given).

    One query: an event known then with no later one of the same row known then is that
    row's latest, unless it is a delete. Written as NOT EXISTS, PostgreSQL answers it with a
    hash anti-join in parallel; DISTINCT ON sorted the whole event table (at 100,000
    incidents 0.6 s against 4.3 s, the live table's scan taking 0.5 s: bench/reports_bench.py).
    For a model unchanged since ``moment`` (history.moments.read_known) it reads the live
    rows instead: they carry the same field names.
    """
    if model._meta.label in moment.unchanged:
        rows = model._base_manager.all()
        return rows if ids is None else rows.filter(pk__in=list(ids))
    events = event_model(model).objects.filter(pgh_seq__lte=moment.seq)
    if ids is not None:
        events = events.filter(pgh_obj_id__in=list(ids))
    later = event_model(model).objects.filter(
        pgh_obj_id=OuterRef("pgh_obj_id"),
        pgh_seq__gt=OuterRef("pgh_seq"),
        pgh_seq__lte=moment.seq,
    )
    return events.exclude(Exists(later)).exclude(pgh_label="delete")


def related_as_of(model: type[models.Model], moment: Moment, path: str) -> Expression:
    """The value at the end of ``path`` (``"clause__topic__code"``), starting from rows of
    ``model`` (or snapshots of it), with every row on the way read as known at ``moment``.

    How a report names related rows (an obligor's name, a clause's label, a topic's code) as
    they were then, not as they are now: foreign keys of snapshots point at live rows, so
    following them with ``F("clause__label")`` would read today's label. Each hop is a
    subquery for the latest event of the related row known then (a delete's snapshot still
    holds the values it had).
    """
    first, *rest = path.split("__")
    if not rest or _unchanged_along(model, path, moment):
        # The rows on the way are as they were then: a plain join reads them.
        return F(path)
    field = model._meta.get_field(first)
    # The first hop is nested once per hop inside the subqueries of the hops after it.
    key: Any = field.attname
    for _ in rest:
        key = OuterRef(key)
    target = field.related_model
    for position, name in enumerate(rest):
        events = event_model(target).objects.filter(pgh_obj_id=key, pgh_seq__lte=moment.seq)
        latest = events.order_by("-pgh_seq")
        if position == len(rest) - 1:
            return Subquery(latest.values(name)[:1])
        hop = target._meta.get_field(name)
        key, target = Subquery(latest.values(hop.attname)[:1]), hop.related_model
    raise AssertionError("unreachable: the loop returns at the path's last name")


def _unchanged_along(model: type[models.Model], path: str, moment: Moment) -> bool:
    """Whether every model a path's hops lead to is unchanged since ``moment``."""
    *hops, _ = path.split("__")
    for name in hops:
        model = model._meta.get_field(name).related_model
        if model._meta.label not in moment.unchanged:
            return False
    return True


def as_record(model: type[M], snapshot: models.Model, carry: Iterable[str] = ()) -> M:
    """An unsaved ``model`` instance holding the snapshot's values.

    ``carry`` names annotations of the snapshot queryset (such as a derived status) to keep.
    """
    record = model(
        **{field.attname: getattr(snapshot, field.attname) for field in model._meta.concrete_fields}
    )
    for name in carry:
        setattr(record, name, getattr(snapshot, name))
    return record


def records_as_of(model: type[M], moment: Moment, ids: Iterable[int]) -> dict[int, M]:
    """The rows of ``model`` with these ids as known at ``moment``, by id."""
    snapshots = snapshots_as_of(model, moment, ids)
    return {snapshot.id: as_record(model, snapshot) for snapshot in snapshots}


def attach_as_of(records: Sequence[models.Model], moment: Moment, *relations: str) -> None:
    """Point each named foreign key of ``records`` at the related row as known at ``moment``.

    One query per related table (relations to the same model share it). A related row with no
    snapshot by then reads as None.
    """
    if not records:
        return
    fields = [type(records[0])._meta.get_field(name) for name in relations]
    wanted: dict[type[models.Model], set[int]] = defaultdict(set)
    for field in fields:
        wanted[field.related_model].update(
            value for record in records if (value := getattr(record, field.attname)) is not None
        )
    found = {
        model: records_as_of(model, moment, ids) if ids else {} for model, ids in wanted.items()
    }
    for field in fields:
        for record in records:
            related = found[field.related_model].get(getattr(record, field.attname))
            field.set_cached_value(record, related)
