"""Deadlines: which obligations are late, which fall due soon, and which wait on others.

Every obligation is read as the tracker recorded it at ``known_at``, with its compliance status
on ``valid_on`` as judged from what was known then. Its deadline is its absolute date, or the
agreement's signature (as recorded then) plus its days after signature (with_due_date).
An obligation met by ``valid_on`` is in no list, nor is one of an agreement not yet signed or
already ended (collapsed, superseded, expired) on ``valid_on``: nothing under it is due then;
the compliance matrix still shows how it stood. One that waits on a prerequisite not yet met
is listed as blocked only, whatever its deadline, because it cannot be met before the other.
"""

import datetime
from typing import Any

from django.contrib.postgres.aggregates import StringAgg
from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.db.models.functions import Concat
from django.db.models.sql.constants import LOUTER
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_cte import CTE, with_cte

from agreements.models import Agreement, Obligation, ObligationDependency
from agreements.selectors import clauses_as_of, obligations_as_of, with_due_date
from history.as_of import related_as_of, snapshots_as_of
from history.moments import Moment
from tracker.choices import ComplianceStatus
from tracker.reports.base import Chart, Report, Table
from tracker.reports.params import (
    KnownAtField,
    ReportParams,
    record_field,
    valid_on_field,
    whole_number,
)
from tracker.reports.registry import register
from tracker.selectors import obligations_with_status, with_standing

OVERDUE, DUE_SOON, BLOCKED = "overdue", "due soon", "blocked"
CATEGORIES = (OVERDUE, DUE_SOON, BLOCKED)
NOT_ASSESSED = "not assessed"
COLUMNS = [
    gettext_noop("agreement"),
    gettext_noop("clause"),
    gettext_noop("obligation"),
    gettext_noop("obligor"),
    gettext_noop("deadline"),
]
# What the report reads of an obligation's clause, agreement and obligor, as known then.
NAMED = {
    "agreement_code": "clause__agreement__code",
    "signed_then": "clause__agreement__signed_on",
    "precision_then": "clause__agreement__signed_precision",
    "ended_then": "clause__agreement__ended_on",
    "clause_label": "clause__label",
    "clause_key": "clause__key",
    "clause_position": "clause__position",
    "obligor_name": "obligor__name_en",
}


def prerequisite_key(known_at: Moment) -> Concat:
    """A prerequisite named as the seeds name it, "<clause key>/<obligation key>", as known
    at ``known_at``."""
    return Concat(
        related_as_of(ObligationDependency, known_at, "prerequisite__clause__key"),
        Value("/"),
        related_as_of(ObligationDependency, known_at, "prerequisite__key"),
        output_field=CharField(),
    )


def unmet_prerequisites(on: datetime.date, known_at: Moment) -> QuerySet:
    """Dependencies known at ``known_at`` whose prerequisite was not complied with on ``on``
    (as judged at ``known_at``); no judgement at all counts as not met."""
    return with_standing(
        snapshots_as_of(ObligationDependency, known_at),
        on="prerequisite_id",
        prefix="prerequisite",
        valid_on=on,
        known_at=known_at,
    ).filter(
        Q(prerequisite_status__isnull=True) | ~Q(prerequisite_status=ComplianceStatus.COMPLIED)
    )


def open_obligations(
    *,
    agreement: Agreement | None,
    on: datetime.date,
    horizon: datetime.date,
    known_at: Moment,
) -> QuerySet:
    """Obligations not complied with on ``on`` that are overdue, due by ``horizon`` or blocked,
    each annotated with ``deadline``, ``blocked_by`` (its unmet prerequisites) and ``category``.

    Only agreements in force on ``on`` count: signed by then (or with no known signature)
    and not yet ended, as recorded at ``known_at``.
    """
    obligations = obligations_with_status(obligations_as_of(known_at), on=on, known_at=known_at)
    if agreement is not None:
        clauses = clauses_as_of(known_at).filter(agreement_id=agreement.pk)
        obligations = obligations.filter(clause_id__in=clauses.values("id"))
    named = prerequisite_key(known_at)
    # Joined once as a CTE: as a subquery per obligation it would work out every
    # prerequisite's standing judgement again for each row (quadratic).
    unmet = CTE(
        unmet_prerequisites(on, known_at)
        .order_by()
        .values("obligation_id")
        .annotate(keys=StringAgg(named, ", ", order_by=named)),
        name="unmet_prerequisites",
    )
    category = Case(
        When(blocked_by__isnull=False, then=Value(BLOCKED)),
        When(deadline__lt=on, then=Value(OVERDUE)),
        When(deadline__lte=horizon, then=Value(DUE_SOON)),
        default=None,
        output_field=CharField(),
    )
    then = {name: related_as_of(Obligation, known_at, path) for name, path in NAMED.items()}
    in_force = (
        obligations.annotate(**then)
        .filter(Q(signed_then__isnull=True) | Q(signed_then__lte=on))
        .filter(Q(ended_then__isnull=True) | Q(ended_then__gt=on))
        .filter(Q(current_status__isnull=True) | ~Q(current_status=ComplianceStatus.COMPLIED))
    )
    dated = with_due_date(
        in_force, signed_on=F("signed_then"), signed_precision=F("precision_then")
    )
    blocked = unmet.join(dated, id=unmet.col.obligation_id, _join_type=LOUTER).annotate(
        deadline=F("due_date"), blocked_by=unmet.col.keys
    )
    return with_cte(
        unmet, select=blocked.annotate(category=category).filter(category__isnull=False)
    )


def days_between(start: datetime.date | None, end: datetime.date | None) -> int | None:
    return None if start is None or end is None else (end - start).days


class DeadlinesParams(ReportParams):
    agreement = record_field(
        Agreement,
        "code",
        label=_("Agreement code (empty: all)"),
        help_text="Only this agreement's obligations (default: every agreement's).",
    )
    days = whole_number(
        default=30,
        low=1,
        high=3650,
        label=_("Look ahead (days)"),
        help_text="Obligations falling due within this many days after valid_on are listed.",
    )
    valid_on = valid_on_field()
    known_at = KnownAtField()


@register
class Deadlines(Report):
    name = "deadlines"
    title = _("Deadlines")
    question = _(
        "Which obligations are past their deadline and still not met, which fall due in the "
        "coming days, and which cannot be met yet because an obligation they depend on is not?"
    )
    params_serializer = DeadlinesParams
    example = {"agreement": "daraa-2021-09-06", "valid_on": "2021-09-07"}

    def compute(self, parameters: dict[str, Any]) -> tuple[list[Table], list[Chart]]:
        on = parameters["valid_on"]
        obligations = open_obligations(
            agreement=parameters["agreement"],
            on=on,
            horizon=on + datetime.timedelta(days=parameters["days"]),
            known_at=parameters["known_at"],
        )
        listed: dict[str, list[list[Any]]] = {category: [] for category in CATEGORIES}
        for row in obligations.order_by(
            F("deadline").asc(nulls_last=True),
            "agreement_code",
            "clause_position",
            "clause_key",
            "key",
        ).values(
            "category",
            "agreement_code",
            "clause_label",
            "clause_key",
            "key",
            "obligor_name",
            "deadline",
            "current_status",
            "blocked_by",
        ):
            deadline, category = row["deadline"], row["category"]
            # Late obligations count days since the deadline; the others days still to go
            # (negative for a blocked one whose deadline has passed).
            days = days_between(deadline, on) if category == OVERDUE else days_between(on, deadline)
            cells = [
                row["agreement_code"],
                row["clause_label"] or row["clause_key"],
                row["key"],
                row["obligor_name"],
                deadline,
                days,
                row["current_status"] or NOT_ASSESSED,
            ]
            if category == BLOCKED:
                cells.append(row["blocked_by"])
            listed[category].append(cells)
        tables = [
            Table(
                OVERDUE,
                gettext_noop("Overdue"),
                [*COLUMNS, gettext_noop("days overdue"), gettext_noop("status")],
                listed[OVERDUE],
            ),
            Table(
                "due_soon",
                f"Due within {parameters['days']} days",
                [*COLUMNS, gettext_noop("days left"), gettext_noop("status")],
                listed[DUE_SOON],
            ),
            Table(
                BLOCKED,
                gettext_noop("Blocked by an unmet prerequisite"),
                [
                    *COLUMNS,
                    gettext_noop("days left"),
                    gettext_noop("status"),
                    gettext_noop("unmet prerequisites"),
                ],
                listed[BLOCKED],
            ),
            Table(
                "by_category",
                gettext_noop("Obligations per category"),
                [gettext_noop("category"), gettext_noop("obligations")],
                # Counted from the lists, which hold every obligation of each category.
                [[category, len(listed[category])] for category in CATEGORIES],
            ),
        ]
        return tables, [Chart(gettext_noop("Obligations per category"), "by_category", 0, 1)]
