"""Reads of what was promised, as the tracker recorded it at a past moment (transaction time).

Every domain table has an event table (see agreements.models.audit) holding a snapshot of the
row after each change (before it, for a delete), stamped with the time of the transaction
that made the change. A row as of a moment is its latest snapshot stamped at or before it; if
that snapshot is a delete, or there is none, the row did not exist then.

The ``*_as_of`` selectors return querysets over the event tables, with the tracked model's field
names, so that filters, search, ordering and pagination run in the database as they do on the
live tables. The ``*_records`` selectors turn one page of those snapshots into unsaved model
instances whose relations are also read as of the same moment, one query per related table.
They are for reading only: saving one would write the past over the present.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TypeVar

from django.apps import apps
from django.db import models
from django.db.models import QuerySet

from agreements.models import (
    Agreement,
    AgreementParty,
    Clause,
    Obligation,
    ObligationDependency,
)
from agreements.models.audit import ChainedEvent

M = TypeVar("M", bound=models.Model)


def event_model(model: type[models.Model]) -> type[ChainedEvent]:
    """The history table of ``model``, named after it by ``audited()``: Clause -> ClauseEvent."""
    return apps.get_model(model._meta.app_label, f"{model.__name__}Event")


def snapshots_as_of(
    model: type[models.Model], at: datetime.datetime, ids: Iterable[int] | None = None
) -> QuerySet[ChainedEvent]:
    """The latest snapshot of each row of ``model`` recorded by ``at``, for rows that then existed
    (only the rows with these ``ids``, if given).

    One query: DISTINCT ON picks each row's latest event (ties within one transaction go to
    the later event id), then deletes are dropped.
    """
    events = event_model(model).objects
    candidates = events.filter(pgh_created_at__lte=at)
    if ids is not None:
        # Inside the DISTINCT ON, so only these rows' histories are sorted.
        candidates = candidates.filter(pgh_obj_id__in=list(ids))
    latest = (
        candidates.order_by("pgh_obj_id", "-pgh_created_at", "-pgh_id")
        .distinct("pgh_obj_id")
        .values("pgh_id")
    )
    return events.filter(pgh_id__in=latest).exclude(pgh_label="delete")


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


def records_as_of(model: type[M], at: datetime.datetime, ids: Iterable[int]) -> dict[int, M]:
    """The rows of ``model`` with these ids as recorded at ``at``, by id."""
    snapshots = snapshots_as_of(model, at, ids)
    return {snapshot.id: as_record(model, snapshot) for snapshot in snapshots}


def attach_as_of(records: Sequence[models.Model], at: datetime.datetime, *relations: str) -> None:
    """Point each named foreign key of ``records`` at the related row as recorded at ``at``.

    One query per related table (relations to the same model share it). A related row with no
    snapshot by then reads as None: its insert belonged to a transaction that started after
    ``at`` (pgh_created_at is a transaction's start) or predates the audit trail.
    """
    if not records:
        return
    fields = [type(records[0])._meta.get_field(name) for name in relations]
    wanted: dict[type[models.Model], set[int]] = defaultdict(set)
    for field in fields:
        wanted[field.related_model].update(
            value for record in records if (value := getattr(record, field.attname)) is not None
        )
    found = {model: records_as_of(model, at, ids) if ids else {} for model, ids in wanted.items()}
    for field in fields:
        for record in records:
            related = found[field.related_model].get(getattr(record, field.attname))
            field.set_cached_value(record, related)


def agreements_as_of(at: datetime.datetime) -> QuerySet[ChainedEvent]:
    return snapshots_as_of(Agreement, at).order_by("id")


def agreement_records(snapshots: Iterable[ChainedEvent], at: datetime.datetime) -> list[Agreement]:
    """Agreements as recorded at ``at``, each with ``party_roles_then``: its roles at ``at``."""
    agreements = [as_record(Agreement, snapshot) for snapshot in snapshots]
    by_id = {agreement.pk: agreement for agreement in agreements}
    roles = [
        as_record(AgreementParty, snapshot)
        for snapshot in snapshots_as_of(AgreementParty, at).filter(agreement_id__in=list(by_id))
    ]
    attach_as_of(roles, at, "party")
    for agreement in agreements:
        agreement.party_roles_then = []
    # The live resource lists roles by role, then party name (AgreementParty's ordering).
    roles.sort(key=lambda role: (role.role, role.party.name_en if role.party else ""))
    for role in roles:
        agreement = by_id[role.agreement_id]
        AgreementParty._meta.get_field("agreement").set_cached_value(role, agreement)
        agreement.party_roles_then.append(role)
    return agreements


def clauses_as_of(at: datetime.datetime) -> QuerySet[ChainedEvent]:
    return snapshots_as_of(Clause, at).order_by("agreement_id", "position", "id")


def clause_records(snapshots: Iterable[ChainedEvent], at: datetime.datetime) -> list[Clause]:
    """Clauses as recorded at ``at``, with their agreement, topic and parent as of then."""
    clauses = [as_record(Clause, snapshot) for snapshot in snapshots]
    attach_as_of(clauses, at, "agreement", "topic", "parent")
    return clauses


def obligations_as_of(at: datetime.datetime) -> QuerySet[ChainedEvent]:
    return snapshots_as_of(Obligation, at).order_by("id")


def obligation_records(
    snapshots: Iterable[ChainedEvent], at: datetime.datetime, carry: Iterable[str] = ()
) -> list[Obligation]:
    """Obligations as recorded at ``at``: clause (and its agreement), obligor and beneficiary as
    of then, and ``depends_on_then``, the ids of their prerequisites then."""
    obligations = [as_record(Obligation, snapshot, carry) for snapshot in snapshots]
    attach_as_of(obligations, at, "clause", "obligor", "beneficiary")
    attach_as_of([o.clause for o in obligations if o.clause is not None], at, "agreement")
    prerequisites: dict[int, list[int]] = defaultdict(list)
    links = (
        snapshots_as_of(ObligationDependency, at)
        .filter(obligation_id__in=[obligation.pk for obligation in obligations])
        .order_by("prerequisite_id")
        .values_list("obligation_id", "prerequisite_id")
    )
    for obligation_id, prerequisite_id in links:
        prerequisites[obligation_id].append(prerequisite_id)
    for obligation in obligations:
        obligation.depends_on_then = prerequisites[obligation.pk]
    return obligations
