"""The audit chain that the history tables of both apps share.

django-pghistory's triggers write one event row per insert, update and delete of every
domain table, including bulk updates and raw SQL. Each event row is also chained: a
trigger numbers it in one sequence across all history tables and stores
sha256(previous hash | table | the row as JSON). Changing, removing or inserting an event
afterwards breaks the chain, which ``manage.py verify_audit`` detects. The chain lives in
this app, the lower of the two, so that tracker's history tables can join it too.
"""

from collections.abc import Callable

import pghistory
import pgtrigger
from django.db import models

# Hashes the event the way verify_audit recomputes it; the function is created by migration
# agreements.0003 and runs with TimeZone UTC so timestamps read the same in every session.
DIGEST_FUNCTION = "audit_event_digest"

CHAIN_TRIGGER_BODY = f"""
    INSERT INTO agreements_auditchainhead (id, seq, hash) VALUES (1, 0, '')
        ON CONFLICT (id) DO NOTHING;
    SELECT seq, hash INTO head_seq, head_hash
        FROM agreements_auditchainhead WHERE id = 1 FOR UPDATE;
    NEW.pgh_seq := head_seq + 1;
    NEW.pgh_prev_hash := head_hash;
    NEW.pgh_hash := {DIGEST_FUNCTION}(head_hash, TG_TABLE_NAME::text, NEW);
    UPDATE agreements_auditchainhead SET seq = NEW.pgh_seq, hash = NEW.pgh_hash WHERE id = 1;
    RETURN NEW;
"""


class AuditChainHead(models.Model):
    """The one row holding the latest event's sequence number and hash.

    Locking it orders concurrent writers, so the chain never forks; the cost is that
    audited writes commit one at a time.
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
        return pghistory.track(
            pghistory.InsertEvent(),
            pghistory.UpdateEvent(),
            pghistory.DeleteEvent(),
            base_model=ChainedEvent,
            context_field=pghistory.ContextJSONField(),
            append_only=True,
            model_name=f"{name}Event",
            meta={"triggers": [chain]},
        )(model)

    return track
