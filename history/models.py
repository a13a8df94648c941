"""The audit chain that the history tables of every app share.

django-pghistory's triggers write one event row per insert, update and delete of every audited
table, including bulk updates and raw SQL. Each event row is also chained: a trigger numbers it
in one sequence across all history tables and stores sha256(previous hash | table | the row as
JSON). Changing, removing or inserting an event afterwards breaks the chain, which
``manage.py verify_audit`` detects. The trigger bodies are in ``history/sql/``.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pghistory
import pgtrigger
from django.db import models

SQL_DIR = Path(__file__).resolve().parent / "sql"

# The function that hashes an event; created by this app's first migration from
# sql/event_digest.sql, and called by verify_audit as well as by the chain trigger.
DIGEST_FUNCTION = "audit_event_digest"

# Transaction-local settings that carry the chain from one event to the next within a
# transaction (set_config(..., true): gone at commit, undone with a rolled-back savepoint).
HEAD_SEQ_SETTING, HEAD_HASH_SETTING = "history.chain_seq", "history.chain_hash"

# Held shared by a committing audited transaction from its commit stamp until the commit is
# visible; taken exclusively, for an instant, by readers (history.moments). Any fixed number
# that no other part of the application uses as an advisory lock key.
COMMIT_LOCK_KEY = 4_173_500_921


def sql_file(name: str) -> str:
    return (SQL_DIR / name).read_text(encoding="utf-8")


class ChainHead(models.Model):
    """The one row holding the latest committed event's sequence number and hash.

    Locking it orders concurrent writers, so the chain never forks; the cost is that audited
    writes commit one at a time. Inside a transaction that has written events, the latest of
    them is in the transaction-local settings until commit (``chain_head``).
    """

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "audit chain head"
        triggers = [pgtrigger.Protect(name="chain_head_kept", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"event {self.seq}: {self.hash[:12]}"


class Commit(models.Model):
    """When each audited transaction committed, by the sequence number of its last event.

    Written by the commit trigger, one row per transaction. It is what "known at" reads:
    the events known at K are those up to the last one committed by K.
    """

    seq = models.BigIntegerField(primary_key=True)
    committed_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "committed transaction"
        triggers = [
            pgtrigger.Protect(
                name="commits_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self) -> str:
        return f"event {self.seq} committed {self.committed_at.isoformat()}"


class ChainedEvent(pghistory.models.Event):
    """Base of every history table: pghistory's event plus its place in the chain."""

    pgh_seq = models.BigIntegerField(null=True, editable=False, db_index=True)
    pgh_prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    pgh_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True


def _chain_triggers() -> list[pgtrigger.Trigger]:
    chain = pgtrigger.Trigger(
        name="audit_chain",
        when=pgtrigger.Before,
        operation=pgtrigger.Insert,
        declare=[("head_seq", "bigint"), ("head_hash", "text")],
        func=sql_file("chain_event.sql"),
    )
    commit = pgtrigger.Trigger(
        name="audit_commit",
        when=pgtrigger.After,
        operation=pgtrigger.Insert,
        timing=pgtrigger.Deferred,
        declare=[("fired", "bigint"), ("last_seq", "bigint")],
        func=sql_file("commit_events.sql").replace("COMMIT_LOCK_KEY", str(COMMIT_LOCK_KEY)),
    )
    return [chain, commit]


def audited() -> Callable[[type[models.Model]], type[models.Model]]:
    """Decorator: keep an append-only, chained history of every change to the model.

    The history model is named after the tracked one: Obligation -> ObligationEvent.
    """

    def track(model: type[models.Model]) -> type[models.Model]:
        name = "".join(part[:1].upper() + part[1:] for part in model.__name__.split("_"))
        return pghistory.track(
            pghistory.InsertEvent(),
            pghistory.UpdateEvent(),
            pghistory.DeleteEvent(),
            base_model=ChainedEvent,
            context_field=pghistory.ContextJSONField(),
            append_only=True,
            model_name=f"{name}Event",
            meta={"triggers": _chain_triggers()},
        )(model)

    return track


def lock_chain_head(connection: Any) -> None:
    """Take the chain head's lock now, before any row lock: one lock order for every audited
    write (sql/lock_chain_head.sql)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT history_lock_chain_head()")


def chain_head(connection: Any) -> tuple[int, str] | None:
    """(sequence number, hash) of the latest event this connection can see: its own
    transaction's last event if it wrote any, else the head row; None before any event."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting(%s, true), current_setting(%s, true)",
            [HEAD_SEQ_SETTING, HEAD_HASH_SETTING],
        )
        seq, digest = cursor.fetchone()
    if seq:
        return int(seq), digest
    head = ChainHead.objects.filter(pk=1).values_list("seq", "hash").first()
    return None if head is None else (head[0], head[1])
