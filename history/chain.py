"""Checking the audit trail without trusting the database it lives in.

Three checks, each streamed (server-side cursors), so memory stays flat on a long trail:

- The chain: every event in sequence, its hash recomputed here in Python from the event's JSON
  (PostgreSQL's built-in to_jsonb, not the digest function the triggers call, which someone
  with the owner's rights could replace) and linked to the event before it.
- The anchor: a (sequence number, hash) pair kept elsewhere since an earlier check must still be
  in the chain; a trail wiped, truncated or rewritten since then cannot reproduce it.
- Completeness: every live row of every audited table equals its latest event, and every row
  whose latest event is not a delete still exists; a change made with the triggers off shows
  up here, named by table and row.
"""

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, transaction

from history.models import ChainedEvent, chain_head

# The event's own columns: what the history adds to the tracked row's copy.
EVENT_COLUMNS = (
    "pgh_id",
    "pgh_created_at",
    "pgh_label",
    "pgh_obj_id",
    "pgh_context",
    "pgh_context_id",
    "pgh_seq",
    "pgh_prev_hash",
    "pgh_hash",
)
# How many rows out of step the completeness check names before it stops listing them.
MISMATCHES_LISTED = 20


def event_models() -> list[type[ChainedEvent]]:
    """Every history table of every app."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if issubclass(model, ChainedEvent) and not model._meta.abstract
    ]


def digest(previous_hash: str, table: str, event_json: str) -> str:
    """The hash the chain trigger stores (sql/event_digest.sql), recomputed independently."""
    text = f"{previous_hash or ''}|{table}|{event_json}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    """The first event that does not fit the chain, and why."""

    seq: int | None
    table: str
    event_id: int | None
    problem: str

    def __str__(self) -> str:
        where = f"event #{self.seq} ({self.table} pgh_id={self.event_id})"
        return f"{where}: {self.problem}"


@dataclass(frozen=True)
class Anchor:
    """A point of the chain, kept elsewhere to prove later that the trail up to it is the
    same: ``SEQ:HASH``."""

    seq: int
    hash: str

    @classmethod
    def parse(cls, text: str) -> "Anchor":
        seq, _, digest_ = text.strip().partition(":")
        if not seq.isdigit() or len(digest_) != 64:
            raise ValueError(f"'{text}' is not an anchor like 1234:<64 hex digits>.")
        return cls(int(seq), digest_.lower())

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"


def _chain_rows() -> Iterator[tuple[int, str, int, str, str, str]]:
    """(seq, table, pgh_id, prev_hash, stored hash, event JSON) for every event, in order."""
    quote = connection.ops.quote_name
    tables = [model._meta.db_table for model in event_models()]
    parts = [
        f"SELECT e.pgh_seq, %s AS tbl, e.pgh_id, e.pgh_prev_hash, e.pgh_hash, "
        f"(to_jsonb(e) - 'pgh_hash' - 'pgh_prev_hash')::text FROM {quote(table)} e"
        for table in tables
    ]
    sql = " UNION ALL ".join(parts) + " ORDER BY 1, 2, 3"
    with transaction.atomic(), connection.cursor() as setup:
        # Timestamps in the JSON are written as the trigger wrote them: in UTC.
        setup.execute("SET LOCAL TimeZone = 'UTC'")
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql, tables)
            yield from cursor


def verify_chain(
    progress: Callable[[int], None] = lambda checked: None,
    expect: Anchor | None = None,
) -> tuple[int, ChainBreak | None, Anchor | None]:
    """Check every event; returns how many were checked, the first break if any, and the
    anchor of the last event (to keep for next time)."""
    expected_seq, previous_hash, checked, anchored = 1, "", 0, expect is None
    for seq, table, event_id, prev_hash, stored, event_json in _chain_rows():
        if seq is None:
            problem = "event has no place in the chain"
            return checked, ChainBreak(None, table, event_id, problem), None
        if seq < expected_seq:
            return checked, ChainBreak(seq, table, event_id, "sequence number used twice"), None
        if seq > expected_seq:
            missing = f"events #{expected_seq}..#{seq - 1} are missing (removed from the trail?)"
            return checked, ChainBreak(seq, table, event_id, missing), None
        if prev_hash != previous_hash:
            problem = "does not follow the event before"
            return checked, ChainBreak(seq, table, event_id, problem), None
        if digest(prev_hash, table, event_json) != stored:
            problem = "content does not match its hash (altered after writing)"
            return checked, ChainBreak(seq, table, event_id, problem), None
        if expect is not None and seq == expect.seq:
            if stored != expect.hash:
                problem = f"is not the anchor kept elsewhere ({expect}): the trail was rewritten"
                return checked, ChainBreak(seq, table, event_id, problem), None
            anchored = True
        expected_seq, previous_hash, checked = seq + 1, stored, checked + 1
        if checked % 10000 == 0:
            progress(checked)
    if not anchored:
        problem = (
            f"the anchor kept elsewhere ({expect}) is past the end of a trail of {checked} "
            "events: the trail was wiped or cut short"
        )
        return checked, ChainBreak(expect.seq, "-", None, problem), None
    head = chain_head(connection)
    if head is not None and head != (expected_seq - 1, previous_hash):
        problem = (
            f"the chain head says {head[0]} events but {checked} were found "
            "(latest events removed?)"
        )
        return checked, ChainBreak(head[0], "history_chainhead", 1, problem), None
    last = Anchor(expected_seq - 1, previous_hash) if checked else None
    return checked, None, last


@dataclass(frozen=True)
class Mismatch:
    """A live row out of step with its history."""

    table: str
    row_id: int
    problem: str

    def __str__(self) -> str:
        return f"{self.table} row {self.row_id}: {self.problem}"


def _completeness_sql(live: str, events: str) -> str:
    quote = connection.ops.quote_name
    own = "ARRAY[" + ", ".join(f"'{column}'" for column in EVENT_COLUMNS) + "]::text[]"
    return f"""
        SELECT t.id,
            CASE WHEN e.pgh_id IS NULL THEN 'has no history'
                 WHEN e.pgh_label = 'delete' THEN 'exists, but its history says it was deleted'
                 ELSE 'differs from its latest event' END
        FROM {quote(live)} t
        LEFT JOIN LATERAL (
            SELECT * FROM {quote(events)} ev WHERE ev.pgh_obj_id = t.id
            ORDER BY ev.pgh_seq DESC LIMIT 1
        ) e ON true
        WHERE e.pgh_id IS NULL OR e.pgh_label = 'delete' OR to_jsonb(t) <> to_jsonb(e) - {own}
        UNION ALL
        SELECT latest.pgh_obj_id, 'is gone, but its history has no delete'
        FROM (
            SELECT DISTINCT ON (pgh_obj_id) pgh_obj_id, pgh_label FROM {quote(events)}
            ORDER BY pgh_obj_id, pgh_seq DESC
        ) latest
        WHERE latest.pgh_label <> 'delete'
            AND NOT EXISTS (SELECT 1 FROM {quote(live)} t WHERE t.id = latest.pgh_obj_id)
        ORDER BY 1
    """


def out_of_step_rows() -> Iterator[Mismatch]:
    """Every live row that differs from its latest event, and every row gone without a
    delete event: what changes made with the triggers off leave behind."""
    for model in event_models():
        live = model.pgh_tracked_model._meta.db_table
        with transaction.atomic(), connection.chunked_cursor() as cursor:
            cursor.execute(_completeness_sql(live, model._meta.db_table))
            for row_id, problem in cursor:
                yield Mismatch(live, row_id, problem)
