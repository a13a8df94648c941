"""Agreement timeline: what happened to agreements, on the ground and in the judgements, in order.

Every kind of event is one SQL query over the records as the tracker held them at
``known_at`` (the history tables, or the assessments recorded by then), shaped to the same
columns; the kinds are glued with UNION ALL, so the report runs a fixed number of queries.
An event belongs on the timeline if its date in the world is on or before ``valid_on`` and
within the period, if one is given.

For one agreement, the timeline covers it and the agreements linked to it either way: their
signature, entry into force, end, the links they make, and the judgements of their
obligations. Incidents come in if a breach claim (not rejected) ties them to one of those
agreements' obligations, or if they overlap the chosen agreement's own span, from its
signature to its end (or ``valid_on`` while it lasts).
"""

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import Combinable, Expression
from django.db.models.functions import Cast, Concat, TruncMonth
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from agreements.choices import LinkKind
from agreements.models import Agreement, AgreementLink
from history.as_of import related_as_of, snapshots_as_of
from history.moments import Moment
from tracker.choices import ClaimState
from tracker.models import BreachClaim, ComplianceAssessment, Incident
from tracker.reports.base import Chart, Report, Table
from tracker.reports.params import (
    KnownAtField,
    ReportParams,
    date_field,
    record_field,
    valid_on_field,
    whole_number,
)
from tracker.reports.registry import register
from tracker.selectors import standing_assessments

# Marked for the catalogue: the page shows them in its language, the data keeps them as is.
SIGNED = gettext_noop("agreement signed")
EFFECTIVE = gettext_noop("agreement took effect")
ENDED = gettext_noop("agreement ended")
LINK, INCIDENT, STATUS = gettext_noop("agreement link"), "incident", gettext_noop("status change")
KINDS = (SIGNED, EFFECTIVE, ENDED, LINK, INCIDENT, STATUS)

# The shared layout of every kind, in column order; names kept clear of model field names.
COLUMNS = ("event_date", "event_kind", "event_agreement", "event_subject", "event_detail")
NUMBERS = ("event_fatalities", "event_level")
# Typed, because PostgreSQL reads an untyped NULL in a UNION as text.
NO_NUMBER = Cast(Value(None), IntegerField())
NO_TEXT = Value(None, output_field=CharField())
HEADERS = [
    gettext_noop("date"),
    gettext_noop("kind"),
    gettext_noop("agreement"),
    gettext_noop("subject"),
    gettext_noop("detail"),
    gettext_noop("fatalities"),
    gettext_noop("PAM level"),
]


def shaped(
    queryset: QuerySet,
    kind: str,
    *,
    date: Combinable,
    agreement: Combinable = NO_TEXT,
    subject: Combinable = NO_TEXT,
    detail: Combinable = NO_TEXT,
    fatalities: Combinable = NO_NUMBER,
    level: Combinable = NO_NUMBER,
) -> QuerySet:
    """One kind of event in the shared columns (not yet narrowed to the window)."""
    return queryset.order_by().annotate(
        event_date=date,
        event_kind=Value(kind, output_field=CharField()),
        event_agreement=agreement,
        event_subject=subject,
        event_detail=detail,
        event_fatalities=fatalities,
        event_level=level,
    )


def link_wording() -> Case:
    """A link's kind as words ("follows the collapse of"), in English whatever the reader's
    language, so that the report's bytes and hash do not depend on who opens it."""
    with translation.override("en"):
        wording = [When(kind=kind.value, then=Value(str(kind.label))) for kind in LinkKind]
    return Case(*wording, default=F("kind"), output_field=CharField())


def event_kinds(
    *,
    agreement_ids: set[int] | None,
    span: tuple[datetime.date, datetime.date] | None,
    known_at: Moment,
) -> list[QuerySet]:
    """A queryset per kind of event, in the shared columns; all agreements when
    ``agreement_ids`` is None. ``span`` (first, last day) lets incidents in by date."""
    agreements = snapshots_as_of(Agreement, known_at)
    links = snapshots_as_of(AgreementLink, known_at)
    claims = snapshots_as_of(BreachClaim, known_at).exclude(state=ClaimState.REJECTED)
    incidents = snapshots_as_of(Incident, known_at)
    judgements = standing_assessments(known_at)

    def then(model: type[Model], path: str) -> Expression:
        return related_as_of(model, known_at, path)

    if agreement_ids is not None:
        agreements = agreements.filter(id__in=agreement_ids)
        links = links.filter(from_agreement_id__in=agreement_ids)
        judgements = judgements.alias(
            agreement_then=then(ComplianceAssessment, "obligation__clause__agreement")
        ).filter(agreement_then__in=agreement_ids)
        claimed = claims.alias(
            agreement_then=then(BreachClaim, "obligation__clause__agreement")
        ).filter(incident_id=OuterRef("id"), agreement_then__in=agreement_ids)
        relevant = Q(Exists(claimed))
        if span is not None:
            first, last = span
            # Overlapping the span: a siege that began before the signature still counts.
            relevant |= Q(occurred_on__lte=last) & (
                Q(ended_on__gte=first) | Q(ended_on__isnull=True, occurred_on__gte=first)
            )
        incidents = incidents.filter(relevant)
    code, title = F("code"), F("title_en")
    return [
        shaped(agreements, SIGNED, date=F("signed_on"), agreement=code, subject=title),
        shaped(agreements, EFFECTIVE, date=F("effective_on"), agreement=code, subject=title),
        shaped(
            agreements.filter(ended_on__isnull=False),
            ENDED,
            date=F("ended_on"),
            agreement=code,
            subject=title,
            detail=F("status"),
        ),
        # Dated at the signature of the agreement that makes the link.
        shaped(
            links,
            LINK,
            date=then(AgreementLink, "from_agreement__signed_on"),
            agreement=then(AgreementLink, "from_agreement__code"),
            subject=Concat(
                link_wording(),
                Value(" "),
                then(AgreementLink, "to_agreement__code"),
                output_field=CharField(),
            ),
        ),
        shaped(
            incidents,
            INCIDENT,
            date=F("occurred_on"),
            subject=F("location"),
            detail=F("event_type"),
            fatalities=F("fatalities"),
        ),
        shaped(
            judgements,
            STATUS,
            date=F("valid_from"),
            agreement=then(ComplianceAssessment, "obligation__clause__agreement__code"),
            subject=Concat(
                then(ComplianceAssessment, "obligation__clause__key"),
                Value("/"),
                then(ComplianceAssessment, "obligation__key"),
                output_field=CharField(),
            ),
            detail=F("status"),
            level=F("level"),
        ),
    ]


def in_window(
    kinds: list[QuerySet],
    on: datetime.date,
    first: datetime.date | None,
    last: datetime.date | None,
) -> list[QuerySet]:
    """Only events dated on or before ``on`` and within the period, if one is given."""
    window = Q(event_date__lte=on)
    if first is not None:
        window &= Q(event_date__gte=first)
    if last is not None:
        window &= Q(event_date__lte=last)
    return [kind.filter(window) for kind in kinds]


def events(kinds: list[QuerySet], offset: int = 0, limit: int | None = None) -> list[list[Any]]:
    """The events by date, then kind, then subject (then the rest, so ties print stably),
    ``limit`` of them after skipping ``offset`` (LIMIT/OFFSET on the UNION, in SQL)."""
    first, *rest = (kind.values(*COLUMNS, *NUMBERS) for kind in kinds)
    union = first.union(*rest, all=True).order_by(
        "event_date", "event_kind", "event_subject", "event_agreement", "event_detail", *NUMBERS
    )
    page = union[offset : None if limit is None else offset + limit]
    return [[row[column] for column in (*COLUMNS, *NUMBERS)] for row in page]


def events_title(shown: int, offset: int, total: int) -> str:
    """The events table's title, saying how many of how many it lists."""
    if shown == total:
        return f"Events (all {total})"
    if shown == 0:
        return f"Events: none from number {offset + 1} of {total} events (lower 'offset')"
    return (
        f"Events {offset + 1}-{offset + shown}: {shown} of {total} events "
        "(set 'offset' or raise 'limit' to see the others)"
    )


def per_month(kinds: list[QuerySet]) -> list[list[Any]]:
    """Events per month and kind, counted in SQL, laid out a row per month."""
    grouped = [
        kind.annotate(event_month=TruncMonth("event_date", output_field=DateField()))
        .values("event_month", "event_kind")
        .annotate(events=Count("*"))
        for kind in kinds
    ]
    first, *rest = grouped
    counts: dict[datetime.date, dict[str, int]] = defaultdict(dict)
    for row in first.union(*rest, all=True):
        counts[row["event_month"]][row["event_kind"]] = row["events"]
    return [
        [
            f"{month:%Y-%m}",
            *(counts[month].get(kind, 0) for kind in KINDS),
            sum(counts[month].values()),
        ]
        for month in sorted(counts)
    ]


class TimelineParams(ReportParams):
    agreement = record_field(
        Agreement,
        "code",
        label=_("Agreement code (empty: all)"),
        help_text="This agreement and the agreements linked to it either way (default: all).",
    )
    from_ = date_field(label=_("From (date)"), help_text="Events on or after this date.")
    to = date_field(
        label=_("To (date)"), help_text="Events on or before this date; not before from."
    )
    limit = whole_number(
        default=500,
        low=1,
        high=5000,
        label=_("Events listed"),
        help_text="How many events the table lists, in date order; the title says how many "
        "there are in all. The counts per month always cover every event.",
    )
    offset = whole_number(
        default=0,
        low=0,
        high=10_000_000,
        label=_("Events skipped"),
        help_text="List the events after this many (in date order): offset=500 with limit=500 "
        "is the second page.",
    )
    valid_on = valid_on_field()
    known_at = KnownAtField()


@register
class Timeline(Report):
    name = "timeline"
    title = _("Agreement timeline")
    question = _(
        "In what order were agreements signed, linked, and ended, what happened on the ground "
        "around them, and when did the judgements of their obligations change?"
    )
    params_serializer = TimelineParams
    example = {"agreement": "daraa-2021-09-06"}
    permissions = (
        "agreements.view_agreement",
        "agreements.view_obligation",
        "tracker.view_complianceassessment",
        "tracker.view_incident",
    )

    worded_columns = {"events": (1,)}  # the kind of each event

    def compute(self, parameters: dict[str, Any]) -> tuple[list[Table], list[Chart]]:
        on, known_at = parameters["valid_on"], parameters["known_at"]
        agreement_ids, span = self.scope(parameters["agreement"], on, known_at)
        kinds = in_window(
            event_kinds(agreement_ids=agreement_ids, span=span, known_at=known_at),
            on,
            parameters["from"],
            parameters["to"],
        )
        offset, limit = parameters["offset"], parameters["limit"]
        months = per_month(kinds)
        total = sum(row[-1] for row in months)
        listed = events(kinds, offset, limit)
        tables = [
            Table("events", events_title(len(listed), offset, total), HEADERS, listed),
            Table(
                "by_month",
                gettext_noop("Events per month"),
                [gettext_noop("month"), *KINDS, gettext_noop("total")],
                months,
            ),
        ]
        # The axis fits the chosen period: from/to, else the agreement's own span, so that
        # linked agreements signed years before do not squeeze it into a corner.
        first, last = span or (None, None)
        period = (parameters["from"] or first, parameters["to"] or last)
        charts = [
            Chart(
                gettext_noop("Events on the time axis"),
                "events",
                1,
                0,
                kind="timeline",
                period=period,
            ),
            Chart(gettext_noop("Events per month"), "by_month", 0, len(KINDS) + 1),
        ]
        return tables, charts

    @staticmethod
    def scope(
        agreement: Agreement | None, on: datetime.date, known_at: Moment
    ) -> tuple[set[int] | None, tuple[datetime.date, datetime.date] | None]:
        """The agreements on the timeline (None: all) and the chosen one's span, as recorded
        at ``known_at``; two queries, whatever the number of links."""
        if agreement is None:
            return None, None
        linked = (
            snapshots_as_of(AgreementLink, known_at)
            .filter(Q(from_agreement_id=agreement.pk) | Q(to_agreement_id=agreement.pk))
            .values_list("from_agreement_id", "to_agreement_id")
        )
        ids = {agreement.pk, *(end for link in linked for end in link)}
        then = (
            snapshots_as_of(Agreement, known_at, ids=[agreement.pk])
            .values("signed_on", "ended_on")
            .first()
        )
        if then is None or then["signed_on"] is None:
            return ids, None
        return ids, (then["signed_on"], then["ended_on"] or on)
