"""Walking the audit chain: every event, in sequence, against the hash it was stored with."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import connection

from history.models import DIGEST_FUNCTION, ChainedEvent, chain_head


def event_models() -> list[type[ChainedEvent]]:
    """Every history table of both apps."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, ChainedEvent) and not model._meta.abstract
    ]


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


def _chain_rows() -> Iterator[tuple[int, str, int, str, str, str]]:
    """(seq, table, pgh_id, prev_hash, stored hash, recomputed hash) for every event."""
    quote = connection.ops.quote_name
    parts = [
        f"SELECT e.pgh_seq, %s AS tbl, e.pgh_id, e.pgh_prev_hash, e.pgh_hash, "
        f"{DIGEST_FUNCTION}(e.pgh_prev_hash, %s, e) FROM {quote(table)} e"
        for table in (model._meta.db_table for model in event_models())
    ]
    params = [table for model in event_models() for table in [model._meta.db_table] * 2]
    sql = " UNION ALL ".join(parts) + " ORDER BY 1, 2, 3"
    # A named (server-side) cursor streams the rows, so memory stays flat on a long trail.
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        yield from cursor


def verify_chain(
    progress: Callable[[int], None] = lambda checked: None,
) -> tuple[int, ChainBreak | None]:
    """Check every event; returns how many were checked and the first break, if any."""
    expected_seq, previous_hash, checked = 1, "", 0
    for seq, table, event_id, prev_hash, stored, recomputed in _chain_rows():
        if seq is None:
            return checked, ChainBreak(None, table, event_id, "event has no place in the chain")
        if seq < expected_seq:
            return checked, ChainBreak(seq, table, event_id, "sequence number used twice")
        if seq > expected_seq:
            return checked, ChainBreak(
                seq,
                table,
                event_id,
                f"events #{expected_seq}..#{seq - 1} are missing (removed from the trail?)",
            )
        if prev_hash != previous_hash:
            return checked, ChainBreak(seq, table, event_id, "does not follow the event before")
        if recomputed != stored:
            return checked, ChainBreak(
                seq, table, event_id, "content does not match its hash (altered after writing)"
            )
        expected_seq, previous_hash, checked = seq + 1, stored, checked + 1
        if checked % 10000 == 0:
            progress(checked)
    head = chain_head(connection)
    if head is not None and head != (expected_seq - 1, previous_hash):
        return checked, ChainBreak(
            head[0],
            "history_chainhead",
            1,
            f"the chain head says {head[0]} events but {checked} were found "
            "(latest events removed?)",
        )
    return checked, None
