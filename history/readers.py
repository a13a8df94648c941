"""Reading the audit trail back: an object's history with field-level changes, and the
whole trail filtered by who, what, where and when.

Every event row holds a full snapshot of its row, so a change is the difference between an
event and the previous event of the same object. The differences are worked out here, in
Python, over rows fetched a table at a time: the number of queries depends on how many
kinds of rows are involved, never on how many events there are.
"""

from __future__ import annotations

import datetime
import heapq
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, closing
from dataclasses import dataclass, field
from functools import cache
from itertools import islice
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import connection, models, transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery, Value
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from history.chain import event_models
from history.models import ChainedEvent
from history.moments import Moment

# Field name -> (value before, value after) for each field an event changed.
Changes = dict[str, tuple[Any, Any]]


@dataclass(frozen=True)
class Children:
    """Rows of ``model`` whose ``link`` column (in their snapshot) points at a parent row.

    The parent is the object whose history is read, or, with ``via``, any row that ever
    belonged to it through another link (a clause's obligations' dependencies).
    """

    model: str
    link: str
    via: Children | None = None


# Whose changes show in a parent's history, by the parent's model label. Each app declares
# its own (register_children, from its AppConfig.ready), so this layer names none of them.
# Children are found through the event tables, so rows deleted since, or moved to another
# parent, still show what happened to them.
CHILDREN: dict[str, tuple[Children, ...]] = {}


def register_children(parent: str, *children: Children) -> None:
    """Show the changes of ``children`` in the history of ``parent`` ("app.Model")."""
    CHILDREN[parent] = (*CHILDREN.get(parent, ()), *children)


ACTIONS = {"insert": _("created"), "update": _("changed"), "delete": _("deleted")}


@dataclass
class HistoryEntry:
    """One insert, update or delete of one row, as a reader of the trail sees it."""

    seq: int | None
    at: datetime.datetime
    action: str
    model: type[models.Model]
    object_id: int
    object_str: str
    user_id: int | None
    username: str | None
    command: str | None
    channel: str | None
    reason: str
    request_id: str | None
    changes: Changes = field(default_factory=dict)
    is_child: bool = False
    # Field name -> (label, before, after) as shown to a reader (see _make_readable).
    readable: dict[str, tuple[str, Any, Any]] = field(default_factory=dict)

    @property
    def model_label(self) -> str:
        return self.model._meta.label

    @property
    def action_label(self) -> str:
        return str(ACTIONS.get(self.action, self.action))

    @property
    def model_name(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def who(self) -> str:
        """The user's name as it was when they made the change, else the command, else
        "system" (a change made outside any request or command, e.g. by a migration)."""
        if self.username:
            return self.username
        if self.command:
            return f"manage.py {self.command}"
        return "system"

    @property
    def change_rows(self) -> list[tuple[str, Any, Any]]:
        """(field's verbose name, before, after) as a reader sees them: related records by
        name, choices by label; in the order the model declares the fields."""
        return [
            (capfirst(label), before, after)
            for label, before, after in (
                self.readable.get(name, (name, b, a)) for name, (b, a) in self.changes.items()
            )
        ]

    @property
    def readable_pairs(self) -> dict[str, dict[str, Any]]:
        """The readable changes as JSON objects: {"field": {"label", "before", "after"}}."""
        return {
            name: {"label": capfirst(label), "before": before, "after": after}
            for name, (label, before, after) in self.readable.items()
        }

    @property
    def change_pairs(self) -> dict[str, dict[str, Any]]:
        """The changes as stored, as JSON objects: {"field": {"before": ..., "after": ...}}."""
        return {name: {"before": b, "after": a} for name, (b, a) in self.changes.items()}


@cache
def _event_model_of(tracked_label: str) -> type[ChainedEvent]:
    for event_model in event_models():
        if event_model.pgh_tracked_model._meta.label_lower == tracked_label.lower():
            return event_model
    raise LookupError(f"{tracked_label} has no audit trail")


def is_audited(model: type[models.Model]) -> bool:
    try:
        _event_model_of(model._meta.label)
    except LookupError:
        return False
    return True


@cache
def _snapshot_fields(event_model: type[ChainedEvent]) -> tuple[models.Field, ...]:
    """The columns copied from the tracked row, without its primary key (which never
    changes, and is shown with every event as the object's id)."""
    tracked_pk = event_model.pgh_tracked_model._meta.pk.name
    return tuple(
        f
        for f in event_model._meta.concrete_fields
        if not f.name.startswith("pgh_") and f.name != tracked_pk
    )


@cache
def _row_layout(event_model: type[ChainedEvent]) -> tuple[str | None, ...] | None:
    """For each column of the tracked model, in its order, the event's attribute holding it
    (None for the primary key); None when the snapshot lacks a column. With it a row is built
    from positional values, the ORM's fast path (a long export names many objects)."""
    held = {f.attname for f in _snapshot_fields(event_model)}
    tracked = event_model.pgh_tracked_model._meta
    layout = tuple(None if f.primary_key else f.attname for f in tracked.concrete_fields)
    return layout if held.issuperset(name for name in layout if name) else None


def _snapshot_row(event: ChainedEvent) -> models.Model:
    """The tracked row as the event saw it (not saved, related rows not loaded)."""
    tracked, pk = event.pgh_tracked_model, event.pgh_obj_id
    layout = _row_layout(type(event))
    if layout is not None:
        return tracked(*(pk if name is None else getattr(event, name) for name in layout))
    fields = _snapshot_fields(type(event))
    return tracked(pk=pk, **{f.attname: getattr(event, f.attname) for f in fields})


def _values(event: ChainedEvent, fields: Iterable[models.Field]) -> dict[str, Any]:
    # attname: a foreign key reads as the related row's id, choices as their stored value.
    return {f.name: getattr(event, f.attname) for f in fields}


def _is_blank(value: Any) -> bool:
    return value is None or value == ""


def _changes(action: str, values: dict[str, Any], before: dict[str, Any] | None) -> Changes:
    if action == "insert":
        return {name: (None, v) for name, v in values.items() if not _is_blank(v)}
    if action == "delete":
        # The snapshot of a delete is the row as it was just before it went.
        return {name: (v, None) for name, v in values.items() if not _is_blank(v)}
    if before is None:
        # The trail starts after the row was created, so what came before is unknown.
        return {name: (None, v) for name, v in values.items()}
    return {name: (before.get(name), v) for name, v in values.items() if before.get(name) != v}


class RelatedRows:
    """Rows that objects' names mention (an obligation's obligor), fetched once per id.

    A long export meets the same few parties, agreements and clauses again and again; kept
    here, they cost one query the first time only. Past ``limit`` rows the memory is cleared,
    so it stays flat whatever the trail's length.
    """

    def __init__(self, limit: int = 20_000) -> None:
        self.limit = limit
        self.rows: dict[type[models.Model], dict[Any, models.Model]] = defaultdict(dict)
        self.held = 0

    def fetch(self, wanted: dict[type[models.Model], set[Any]]) -> None:
        if self.held > self.limit:
            self.rows.clear()
            self.held = 0
        for model, ids in wanted.items():
            missing = ids - self.rows[model].keys()
            if missing:
                found = _with_their_names(model).in_bulk(missing)
                self.rows[model].update(found)
                self.held += len(found)

    def get(self, model: type[models.Model], pk: Any) -> models.Model | None:
        return self.rows.get(model, {}).get(pk)


def _object_labels(
    events: Iterable[ChainedEvent], related: RelatedRows | None = None
) -> dict[tuple[type[models.Model], int], str]:
    """Each object's name, from its latest snapshot among ``events``.

    The name is the model's own ``__str__`` applied to the snapshot. Names often include a
    related row (an obligation names its obligor), so those rows are fetched first, one
    query per related model (none for rows ``related`` already holds), and handed to the
    snapshot; a related row deleted since gives way to a plain "<model> #<id>".
    """
    latest: dict[tuple[type[models.Model], int], ChainedEvent] = {}
    for event in events:
        key = (event.pgh_tracked_model, event.pgh_obj_id)
        if key not in latest or (event.pgh_seq or 0) > (latest[key].pgh_seq or 0):
            latest[key] = event

    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for event in latest.values():
        for f in _snapshot_fields(type(event)):
            if f.many_to_one and getattr(event, f.attname) is not None:
                wanted[f.related_model].add(getattr(event, f.attname))
    related = related or RelatedRows()
    related.fetch(wanted)

    labels = {}
    for (tracked, pk), event in latest.items():
        fields = _snapshot_fields(type(event))
        row = _snapshot_row(event)
        for f in fields:
            if f.many_to_one:
                target = related.get(f.related_model, getattr(event, f.attname))
                tracked._meta.get_field(f.name).set_cached_value(row, target)
        try:
            labels[(tracked, pk)] = str(row)
        except (AttributeError, ObjectDoesNotExist):
            labels[(tracked, pk)] = f"{tracked._meta.verbose_name} #{pk}"
    return labels


def _entries(
    events: list[ChainedEvent], only: set[tuple[type, int]] | None = None
) -> list[HistoryEntry]:
    """Entries for ``events`` (or for those whose (event model, pgh_id) is in ``only``).

    Each object's events must all be present back to the one before the earliest wanted,
    since every change is measured against the object's previous event.
    """
    by_object: dict[tuple[type[models.Model], int], list[ChainedEvent]] = defaultdict(list)
    for event in events:
        by_object[(event.pgh_tracked_model, event.pgh_obj_id)].append(event)
    labels = _object_labels(events)

    entries = []
    for key, object_events in by_object.items():
        object_events.sort(key=lambda e: (e.pgh_seq or 0, e.pgh_id))
        fields = _snapshot_fields(type(object_events[0]))
        before: dict[str, Any] | None = None
        for event in object_events:
            values = _values(event, fields)
            if only is None or (type(event), event.pgh_id) in only:
                changes = _changes(event.pgh_label, values, before)
                entries.append(_entry(event, labels[key], changes))
            before = values
    _make_readable(entries)
    return entries


def _reason_in_row(model: type[models.Model], changes: Changes) -> str:
    """The reason a person wrote into the row itself, when the change carried none: a
    judgement's rationale, a review's note, a clause's reason for retirement. Models name
    those fields in ``audit_reason_fields``; the first one this change filled in counts."""
    for name in getattr(model, "audit_reason_fields", ()):
        written = changes.get(name, (None, None))[1]
        if written:
            return str(written)
    return ""


def _make_readable(entries: list[HistoryEntry]) -> None:
    """Fill each entry's ``readable`` changes: a foreign key by the related record's name
    (in the reader's language), a choice by its label, a yes/no by the word.

    The related records are read one query per related model for all entries at once; a
    record deleted since reads as "<model> #<id>".
    """
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for entry in entries:
        for name, pair in entry.changes.items():
            f = _field(entry.model, name)
            if f is not None and f.many_to_one:
                wanted[f.related_model].update(value for value in pair if value is not None)
    names = {
        (model, pk): str(row)
        for model, ids in wanted.items()
        for pk, row in _with_their_names(model).in_bulk(ids).items()
    }

    def shown(f: models.Field | None, value: Any) -> Any:
        if value is None or f is None:
            return value
        if f.many_to_one:
            return names.get(
                (f.related_model, value), f"{f.related_model._meta.verbose_name} #{value}"
            )
        if f.choices:
            return str(dict(f.flatchoices).get(value, value))
        if isinstance(value, bool):
            return str(_("Yes") if value else _("No"))
        return value

    for entry in entries:
        entry.readable = {}
        for name, (before, after) in entry.changes.items():
            f = _field(entry.model, name)
            label = str(f.verbose_name) if f is not None else name
            entry.readable[name] = (label, shown(f, before), shown(f, after))


def _field(model: type[models.Model], name: str) -> models.Field | None:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _with_their_names(model: type[models.Model]) -> QuerySet:
    """The model's rows with the rows their names are made of, fetched in the same query:
    every foreign key, and the deeper paths a model names in ``audit_name_paths`` (an
    obligation is named after its clause's agreement)."""
    return model._default_manager.select_related(
        *(f.name for f in model._meta.concrete_fields if f.many_to_one),
        *getattr(model, "audit_name_paths", ()),
    )


def _entry(event: ChainedEvent, label: str, changes: Changes) -> HistoryEntry:
    context = event.pgh_context or {}
    return HistoryEntry(
        seq=event.pgh_seq,
        at=event.pgh_created_at,
        action=event.pgh_label,
        model=event.pgh_tracked_model,
        object_id=event.pgh_obj_id,
        object_str=label,
        user_id=context.get("user"),
        username=context.get("username"),
        command=context.get("command"),
        channel=context.get("channel"),
        reason=context.get("reason") or _reason_in_row(event.pgh_tracked_model, changes),
        request_id=context.get("request_id"),
        changes=changes,
    )


def _newest_first(entries: list[HistoryEntry]) -> list[HistoryEntry]:
    return sorted(entries, key=lambda e: (e.seq or 0, e.at), reverse=True)


def _ids_of(spec: Children, root_pk: Any) -> QuerySet:
    """Every row of ``spec.model`` that ever pointed at the root (a subquery, not a list)."""
    parents = [root_pk] if spec.via is None else _ids_of(spec.via, root_pk)
    return (
        _event_model_of(spec.model)
        .objects.filter(**{f"{spec.link}__in": parents})
        .values("pgh_obj_id")
    )


def history_of(
    model: type[models.Model], pk: Any, *, include_children: bool = True
) -> list[HistoryEntry]:
    """The history of the row ``pk`` of ``model`` (which may have been deleted since),
    newest first, with its children's events when ``include_children``."""
    own = list(_event_model_of(model._meta.label).objects.filter(pgh_obj_id=pk))
    events = own
    if include_children:
        for spec in CHILDREN.get(model._meta.label, ()):
            children = _event_model_of(spec.model).objects.filter(pgh_obj_id__in=_ids_of(spec, pk))
            events = [*events, *children]
    entries = _entries(events)
    for entry in entries:
        entry.is_child = entry.model is not model or entry.object_id != int(pk)
    return _newest_first(entries)


def object_history(obj: models.Model, *, include_children: bool = True) -> list[HistoryEntry]:
    """The object's events (and its children's), newest first, each with who, when,
    through which channel, why, and what changed from its previous event."""
    return history_of(type(obj), obj.pk, include_children=include_children)


@dataclass(frozen=True)
class AuditFilters:
    """What to select from the whole trail; None (or empty) means "any"."""

    user: str | None = None  # a username, or a user id
    models: tuple[type[models.Model], ...] = ()
    object_id: int | None = None
    channel: str | None = None
    request_id: str | None = None
    after: datetime.datetime | None = None  # at or after
    before: datetime.datetime | None = None  # strictly before
    # Only the events known at this moment (committed by then): history.moments.
    known_at: Moment | None = None

    def condition(self) -> Q:
        condition = Q()
        if self.user:
            by_user = Q(pgh_context__username=self.user)
            if self.user.isdigit():
                by_user |= Q(pgh_context__user=int(self.user))
            condition &= by_user
        if self.object_id is not None:
            condition &= Q(pgh_obj_id=self.object_id)
        if self.channel:
            condition &= Q(pgh_context__channel=self.channel)
        if self.request_id:
            condition &= Q(pgh_context__request_id=self.request_id)
        if self.after is not None:
            condition &= Q(pgh_created_at__gte=self.after)
        if self.before is not None:
            condition &= Q(pgh_created_at__lt=self.before)
        if self.known_at is not None:
            condition &= Q(pgh_seq__lte=self.known_at.seq)
        return condition


def audited_models() -> list[type[models.Model]]:
    """Every model whose changes are in the trail."""
    return [event_model.pgh_tracked_model for event_model in event_models()]


class AuditTrail:
    """The events of every history table that match the filters, newest first.

    Behaves as a sequence that Django's paginator can page through: ``count()`` is one
    query, and a slice reads one page of (table, event id) pairs with a UNION ALL over the
    history tables, then those events and their predecessors, one query per table in the
    page, to work out the changes.
    """

    def __init__(self, filters: AuditFilters) -> None:
        self.filters = filters
        chosen = set(filters.models)
        self.tables = [
            event_model
            for event_model in event_models()
            if not chosen or event_model.pgh_tracked_model in chosen
        ]

    def _keys(self) -> QuerySet | None:
        """(pgh_seq, table index, pgh_id) of every matching event, as one UNION ALL."""
        condition = self.filters.condition()
        branches = [
            event_model.objects.filter(condition)
            .annotate(table=Value(index))
            .values_list("pgh_seq", "table", "pgh_id")
            for index, event_model in enumerate(self.tables)
        ]
        if not branches:
            return None
        return branches[0].union(*branches[1:], all=True)

    def count(self) -> int:
        keys = self._keys()
        return 0 if keys is None else keys.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, page: slice) -> list[HistoryEntry]:
        keys = self._keys()
        if keys is None:
            return []
        return self._read(list(keys.order_by("-pgh_seq", "-table", "-pgh_id")[page]))

    def __iter__(self) -> Iterator[HistoryEntry]:
        """Every matching event, newest first, in one pass (history.streaming): an export
        of the whole trail costs the same per event however long the trail is, and holds
        one batch in memory at a time."""
        yield from stream_trail(self.tables, self.filters.condition())

    def _read(self, keys: list[tuple[int | None, int, int]]) -> list[HistoryEntry]:
        wanted: dict[type[ChainedEvent], list[int]] = defaultdict(list)
        for _seq, table, pgh_id in keys:
            wanted[self.tables[table]].append(pgh_id)
        events: list[ChainedEvent] = []
        for event_model, ids in wanted.items():
            previous = (
                event_model.objects.filter(
                    pgh_obj_id=OuterRef("pgh_obj_id"), pgh_seq__lt=OuterRef("pgh_seq")
                )
                .order_by("-pgh_seq")
                .values("pgh_id")[:1]
            )
            predecessors = (
                event_model.objects.filter(pgh_id__in=ids)
                .annotate(previous=Subquery(previous))
                .values("previous")
            )
            events += event_model.objects.filter(Q(pgh_id__in=ids) | Q(pgh_id__in=predecessors))
        only = {(event_model, pgh_id) for event_model, ids in wanted.items() for pgh_id in ids}
        # Sequence numbers are unique across the trail, so this is the page's own order.
        return _newest_first(_entries(events, only))


# Events named together: each object is named after its newest event in the batch (as a page
# of the same events would name it), and one batch is what an export holds in memory.
STREAM_BATCH = 500


def _event_stream(
    table: int, event_model: type[ChainedEvent], condition: Q
) -> Iterator[tuple[tuple[bool, int, int, int], ChainedEvent, dict[str, Any] | None]]:
    """The table's matching events, newest first, each with the snapshot of the same
    object's previous event when it is an update (what its changes are measured against).

    One query, read through a server-side cursor: the table's index on pgh_seq gives the
    order, and each update finds its predecessor through the index on pgh_obj_id.
    """
    quote = connection.ops.quote_name
    fields = event_model._meta.concrete_fields
    columns = ", ".join(quote(f.column) for f in fields)
    matching, params = (
        event_model.objects.filter(condition)
        .order_by()
        .values_list(*(f.attname for f in fields))
        .query.sql_with_params()
    )
    sql = f"""
        SELECT {", ".join(f"e.{quote(f.column)}" for f in fields)},
               {", ".join(f"p.{quote(f.column)}" for f in fields)}
        FROM ({matching}) AS e
        LEFT JOIN LATERAL (
            SELECT {columns} FROM {quote(event_model._meta.db_table)} AS p
            WHERE e.pgh_label = 'update' AND p.pgh_obj_id = e.pgh_obj_id
                AND p.pgh_seq < e.pgh_seq
            ORDER BY p.pgh_seq DESC LIMIT 1
        ) AS p ON true
        ORDER BY e.pgh_seq DESC
    """
    # The raw cursor skips the ORM, so each column gets the converters the ORM would apply
    # (JSON decoded, and whatever the backend adds).
    converters = [
        (
            connection.ops.get_db_converters(f.get_col(event_model._meta.db_table))
            + f.get_db_converters(connection),
            f.get_col(event_model._meta.db_table),
        )
        for f in fields
    ]
    names = [f.attname for f in fields]
    # The predecessor's snapshot keyed like _values(): field name -> stored value.
    snapshot = [(f.name, names.index(f.attname)) for f in _snapshot_fields(event_model)]

    def convert(values: tuple) -> list[Any]:
        out = []
        for value, (functions, column) in zip(values, converters, strict=True):
            for function in functions:
                value = function(value, column, connection)
            out.append(value)
        return out

    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(STREAM_BATCH):
            for row in rows:
                event = event_model.from_db(connection.alias, names, convert(row[: len(names)]))
                before = None
                if row[len(names)] is not None:
                    previous = convert(row[len(names) :])
                    before = {name: previous[i] for name, i in snapshot}
                seq = event.pgh_seq
                key = (seq is None, seq or 0, table, event.pgh_id)
                yield key, event, before


def stream_trail(tables: list[type[ChainedEvent]], condition: Q) -> Iterator[HistoryEntry]:
    """The matching events of ``tables``, newest first, as one pass over each table merged
    here (the order of the trail's pages: sequence number, then table, then event id).

    The cost per event does not grow with the trail: no batch sorts or skips the events
    before it, and the names of related rows are fetched once (``RelatedRows``). All the
    tables are read in one transaction, so they are read as of one moment.
    """
    related = RelatedRows()
    with transaction.atomic(), ExitStack() as streams:
        merged = heapq.merge(
            *(
                streams.enter_context(closing(_event_stream(index, model, condition)))
                for index, model in enumerate(tables)
            ),
            key=lambda item: item[0],
            reverse=True,
        )
        while batch := list(islice(merged, STREAM_BATCH)):
            labels = _object_labels((event for _key, event, _before in batch), related)
            for _key, event, before in batch:
                values = _values(event, _snapshot_fields(type(event)))
                label = labels[(event.pgh_tracked_model, event.pgh_obj_id)]
                yield _entry(event, label, _changes(event.pgh_label, values, before))


def audit_events(filters: AuditFilters) -> AuditTrail:
    """The whole trail, across every history table, filtered and newest first."""
    return AuditTrail(filters)
