"""The audit chain that the history tables of both apps share.

django-pghistory's triggers write one event row per insert, update and delete of every
domain table, including bulk updates and raw SQL. Each event row is also chained: a
trigger numbers it in one sequence across all history tables and stores
sha256(previous hash | table | the row as JSON). Changing, removing or inserting an event
afterwards breaks the chain, which ``manage.py verify_audit`` detects. The chain lives in
this app, the lower of the two, so that tracker's history tables can join it too.
"""

from collections.abc import Callable
from typing import Any

import pghistory
import pgtrigger
from django.db import models

# Hashes the event the way verify_audit recomputes it; the function is created by migration
# agreements.0003 and runs with TimeZone UTC so timestamps read the same in every session.
DIGEST_FUNCTION = "audit_event_digest"

# Transaction-local settings that carry the chain from one event to the next within a
# transaction (SET LOCAL: gone at commit, and undone with a rolled-back savepoint together
# with the events written after it).
HEAD_SEQ_SETTING, HEAD_HASH_SETTING = "audit.chain_seq", "audit.chain_hash"

# Before each event row is written. The head row is read, and locked, by a transaction's
# first event only; the events after it continue from the transaction-local settings. The
# head row is written back once, at commit (HEAD_WRITE_BODY): updating it for every event
# made bulk writes quadratic, as each update left a row version the next one had to walk.
CHAIN_TRIGGER_BODY = f"""
    IF coalesce(current_setting('{HEAD_SEQ_SETTING}', true), '') = '' THEN
        INSERT INTO agreements_auditchainhead (id, seq, hash) VALUES (1, 0, '')
            ON CONFLICT (id) DO NOTHING;
        SELECT seq, hash INTO head_seq, head_hash
            FROM agreements_auditchainhead WHERE id = 1 FOR UPDATE;
    ELSE
        head_seq := current_setting('{HEAD_SEQ_SETTING}')::bigint;
        head_hash := current_setting('{HEAD_HASH_SETTING}');
    END IF;
    NEW.pgh_seq := head_seq + 1;
    NEW.pgh_prev_hash := head_hash;
    NEW.pgh_hash := {DIGEST_FUNCTION}(head_hash, TG_TABLE_NAME::text, NEW);
    PERFORM set_config('{HEAD_SEQ_SETTING}', NEW.pgh_seq::text, true);
    PERFORM set_config('{HEAD_HASH_SETTING}', NEW.pgh_hash, true);
    RETURN NEW;
"""

# Deferred to commit, once per event of the transaction: the first one moves the head row
# (locked since the transaction's first event) to the transaction's last event; the others
# find it there and change nothing.
HEAD_WRITE_BODY = f"""
    UPDATE agreements_auditchainhead
        SET seq = current_setting('{HEAD_SEQ_SETTING}')::bigint,
            hash = current_setting('{HEAD_HASH_SETTING}')
        WHERE id = 1
            AND coalesce(current_setting('{HEAD_SEQ_SETTING}', true), '') <> ''
            AND seq <> current_setting('{HEAD_SEQ_SETTING}')::bigint;
    RETURN NULL;
"""


class AuditChainHead(models.Model):
    """The one row holding the latest committed event's sequence number and hash.

    Locking it orders concurrent writers, so the chain never forks; the cost is that
    audited writes commit one at a time. Inside a transaction that has written events, the
    latest of them is in the transaction-local settings until commit (``chain_head``).
    """

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "audit chain head"
        triggers = [pgtrigger.Protect(name="audit_head_kept", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"event {self.seq}: {self.hash[:12]}"


class ChainedEvent(pghistory.models.Event):
    """Base of every history table: pghistory's event plus its place in the chain."""

    pgh_seq = models.BigIntegerField(null=True, editable=False, db_index=True)
    pgh_prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    pgh_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True


def audited() -> Callable[[type[models.Model]], type[models.Model]]:
    """Decorator: keep an append-only, chained history of every change to the model.

    The history model is named after the tracked one: Obligation -> ObligationEvent.
    """

    def track(model: type[models.Model]) -> type[models.Model]:
        chain = pgtrigger.Trigger(
            name="audit_chain",
            when=pgtrigger.Before,
            operation=pgtrigger.Insert,
            declare=[("head_seq", "bigint"), ("head_hash", "text")],
            func=CHAIN_TRIGGER_BODY,
        )
        name = "".join(part[:1].upper() + part[1:] for part in model.__name__.split("_"))
        head_write = pgtrigger.Trigger(
            name="audit_head_write",
            when=pgtrigger.After,
            operation=pgtrigger.Insert,
            timing=pgtrigger.Deferred,
            func=HEAD_WRITE_BODY,
        )
        return pghistory.track(
            pghistory.InsertEvent(),
            pghistory.UpdateEvent(),
            pghistory.DeleteEvent(),
            base_model=ChainedEvent,
            context_field=pghistory.ContextJSONField(),
            append_only=True,
            model_name=f"{name}Event",
            meta={"triggers": [chain, head_write]},
        )(model)

    return track


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
    head = AuditChainHead.objects.filter(pk=1).values_list("seq", "hash").first()
    return None if head is None else (head[0], head[1])
