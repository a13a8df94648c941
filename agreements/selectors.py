"""Reads of what was promised, as the tracker had recorded it at a past moment.

Built on the history layer's snapshots (history.as_of): querysets over the event tables for
filtering and paging, and records whose relations are read as of the same moment.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import (
    Case,
    CharField,
    DateField,
    Expression,
    F,
    Func,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact, IsNull

from agreements.choices import DatePrecision
from agreements.models import (
    Agreement,
    AgreementParty,
    Clause,
    Obligation,
    ObligationDependency,
)
from history.as_of import as_record, attach_as_of, snapshots_as_of
from history.models import ChainedEvent
from history.moments import Moment


def agreements_as_of(moment: Moment) -> QuerySet[ChainedEvent]:
    return snapshots_as_of(Agreement, moment).order_by("id")


def agreement_records(snapshots: Iterable[ChainedEvent], moment: Moment) -> list[Agreement]:
    """Agreements as known at ``moment``, each with ``party_roles_then``: its roles then."""
    agreements = [as_record(Agreement, snapshot) for snapshot in snapshots]
    by_id = {agreement.pk: agreement for agreement in agreements}
    roles = [
        as_record(AgreementParty, snapshot)
        for snapshot in snapshots_as_of(AgreementParty, moment).filter(agreement_id__in=list(by_id))
    ]
    attach_as_of(roles, moment, "party")
    for agreement in agreements:
        agreement.party_roles_then = []
    # The live resource lists roles by role, then party name (AgreementParty's ordering).
    roles.sort(key=lambda role: (role.role, role.party.name_en if role.party else ""))
    for role in roles:
        agreement = by_id[role.agreement_id]
        AgreementParty._meta.get_field("agreement").set_cached_value(role, agreement)
        agreement.party_roles_then.append(role)
    return agreements


def clauses_as_of(moment: Moment) -> QuerySet[ChainedEvent]:
    return snapshots_as_of(Clause, moment).order_by("agreement_id", "position", "id")


def clause_records(snapshots: Iterable[ChainedEvent], moment: Moment) -> list[Clause]:
    """Clauses as known at ``moment``, with their agreement, topic and parent as of then."""
    clauses = [as_record(Clause, snapshot) for snapshot in snapshots]
    attach_as_of(clauses, moment, "agreement", "topic", "parent")
    return clauses


def obligations_as_of(moment: Moment) -> QuerySet[ChainedEvent]:
    return snapshots_as_of(Obligation, moment).order_by("id")


def obligation_records(
    snapshots: Iterable[ChainedEvent], moment: Moment, carry: Iterable[str] = ()
) -> list[Obligation]:
    """Obligations as known at ``moment``: clause (and its agreement), obligor and beneficiary as
    of then, and ``depends_on_then``, the ids of their prerequisites then."""
    obligations = [as_record(Obligation, snapshot, carry) for snapshot in snapshots]
    attach_as_of(obligations, moment, "clause", "obligor", "beneficiary")
    attach_as_of([o.clause for o in obligations if o.clause is not None], moment, "agreement")
    prerequisites: dict[int, list[int]] = defaultdict(list)
    links = (
        snapshots_as_of(ObligationDependency, moment)
        .filter(obligation_id__in=[obligation.pk for obligation in obligations])
        .order_by("prerequisite_id")
        .values_list("obligation_id", "prerequisite_id")
    )
    for obligation_id, prerequisite_id in links:
        prerequisites[obligation_id].append(prerequisite_id)
    for obligation in obligations:
        obligation.depends_on_then = prerequisites[obligation.pk]
    return obligations


# What with_due_date adds to each obligation.
DUE_FIELDS = ("due_date", "due_date_precision")


class DatePlusDays(Func):
    """SQL ``date + integer``: a date that many days later (Django's ``+`` wants an interval)."""

    template = "(%(expressions)s)"
    arg_joiner = " + "
    output_field = DateField()


def with_due_date(
    obligations: QuerySet,
    *,
    signed_on: Expression | None = None,
    signed_precision: Expression | None = None,
) -> QuerySet:
    """Obligations (live rows or snapshots) with ``due_date`` and ``due_date_precision``: the
    one place a deadline is resolved.

    An absolute deadline is itself; one in days after signature counts from the agreement's
    signature (``signed_on``; pass the signature as known then for a past moment) and is only
    as precise as it: a month-only signature cannot yield a day-exact deadline.
    """
    if signed_on is None or signed_precision is None:
        signed_on = F("clause__agreement__signed_on")
        signed_precision = F("clause__agreement__signed_precision")
    return obligations.annotate(
        due_date=Coalesce("due_on", DatePlusDays(signed_on, F("due_days_after_signature"))),
        due_date_precision=Case(
            When(due_on__isnull=False, then=F("due_precision")),
            When(due_days_after_signature__isnull=True, then=Value("")),
            When(IsNull(signed_on, True), then=Value("")),
            When(Exact(signed_precision, Value(DatePrecision.DAY)), then=Value(DatePrecision.DAY)),
            default=Value(DatePrecision.APPROXIMATE),
            output_field=CharField(),
        ),
    )
