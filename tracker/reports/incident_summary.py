"""Incident summary: how many incidents, of which kind, by whom and how deadly, month by month."""

from typing import Any

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from agreements.models import Agreement
from agreements.selectors import clauses_as_of, obligations_as_of
from history.as_of import related_as_of, snapshots_as_of
from history.moments import Moment
from tracker.models import BreachClaim, IncidentActor
from tracker.reports.base import Chart, Report, Table
from tracker.reports.params import (
    KnownAtField,
    ReportParams,
    date_field,
    record_field,
    text_field,
    valid_on_field,
)
from tracker.reports.registry import register
from tracker.selectors import incidents_as_of

# The actor label of an incident no actor is recorded for, so the breakdown still adds up.
NO_ACTOR = "(no actor recorded)"
AREA_FIELDS = ("admin1", "admin2", "admin3", "location")


def selected_incidents(parameters: dict[str, Any]) -> QuerySet:
    """Incident snapshots as recorded at known_at, narrowed by every parameter given."""
    known_at = parameters["known_at"]
    incidents = incidents_as_of(known_at, occurred_by=parameters["valid_on"])
    if parameters["from"]:
        incidents = incidents.filter(occurred_on__gte=parameters["from"])
    if parameters["to"]:
        incidents = incidents.filter(occurred_on__lte=parameters["to"])
    if parameters["area"]:
        area = Q()
        for field in AREA_FIELDS:
            area |= Q(**{f"{field}__iexact": parameters["area"]})
        incidents = incidents.filter(area)
    if parameters["agreement"]:
        # Claimed against the agreement, whatever the claim's state: a rejected claim still
        # says someone tied the incident to it.
        clauses = clauses_as_of(known_at).filter(agreement_id=parameters["agreement"].pk)
        owed = obligations_as_of(known_at).filter(clause_id__in=clauses.values("id"))
        claims = snapshots_as_of(BreachClaim, known_at).filter(obligation_id__in=owed.values("id"))
        incidents = incidents.filter(id__in=claims.values("incident_id"))
    return incidents


def actor_rows(incidents: QuerySet, known_at: Moment) -> list[list[Any]]:
    """(month, event type, actor, incidents, fatalities): each incident once per actor, and
    incidents with no actor under NO_ACTOR.

    One query. The incident and actor snapshots have no ORM relation to each other, and a
    correlated subquery per actor row would rebuild the incident snapshots for every row
    (quadratic: bench/reports_bench.py measured it), so both querysets are compiled and
    joined by id in SQL.
    """
    actors = (
        snapshots_as_of(IncidentActor, known_at)
        .annotate(
            actor=Coalesce(
                related_as_of(IncidentActor, known_at, "party__name_en"), F("name_as_reported")
            )
        )
        .values("incident_id", "actor")
    )
    incident_sql, incident_params = (
        incidents.order_by()
        .values("id", "month", "event_type", "fatalities")
        .query.sql_with_params()
    )
    actor_sql, actor_params = actors.order_by().query.sql_with_params()
    # DISTINCT: the same actor listed twice on one incident (say, as actor and associate)
    # counts once.
    query = f"""
        SELECT incident.month, incident.event_type, COALESCE(listed.actor, %s),
            COUNT(*), COALESCE(SUM(incident.fatalities), 0)
        FROM ({incident_sql}) AS incident
        LEFT JOIN (SELECT DISTINCT incident_id, actor FROM ({actor_sql}) AS actors) AS listed
            ON listed.incident_id = incident.id
        GROUP BY 1, 2, 3
    """
    with connection.cursor() as cursor:
        cursor.execute(query, [NO_ACTOR, *incident_params, *actor_params])
        rows = [list(row) for row in cursor.fetchall()]
    return sorted(rows, key=lambda row: tuple(row[:3]))


class IncidentSummaryParams(ReportParams):
    agreement = record_field(
        Agreement,
        "code",
        label=_("Agreement code (incidents claimed as breaching it)"),
        help_text="Only incidents claimed as breaching one of this agreement's obligations.",
    )
    from_ = date_field(
        label=_("Occurred from (date)"), help_text="Incidents on or after this date."
    )
    to = date_field(
        label=_("Occurred to (date)"),
        help_text="Incidents on or before this date; not before from.",
    )
    area = text_field(
        label=_("Area (governorate, district, sub-district or location)"),
        help_text="Incidents whose governorate, district, sub-district or location is this "
        "name (any case).",
    )
    valid_on = valid_on_field()
    known_at = KnownAtField()


@register
class IncidentSummary(Report):
    name = "incident-summary"
    title = _("Incident summary")
    question = _(
        "How many incidents happened month by month, of which type, by which actors, and how "
        "many people were killed: over a period, in an area, or under one agreement's claims?"
    )
    params_serializer = IncidentSummaryParams
    example = {"from": "2021-01-01", "to": "2021-12-31", "area": "Daraa", "valid_on": "2021-12-31"}
    permissions = ("tracker.view_incident", "tracker.view_breachclaim")

    def compute(self, parameters: dict[str, Any]) -> tuple[list[Table], list[Chart]]:
        incidents = selected_incidents(parameters)
        by_month = [
            [g["month"], g["n"], g["fatalities"]]
            for g in incidents.order_by()
            .values("month")
            .annotate(n=Count("id"), fatalities=Coalesce(Sum("fatalities"), 0))
            .order_by("month")
        ]
        tables = [
            Table(
                "by_actor",
                gettext_noop(
                    "By month, event type and actor (an incident with two actors counts once "
                    "under each, so these rows add up to more than the totals)"
                ),
                [
                    gettext_noop("month"),
                    gettext_noop("event type"),
                    gettext_noop("actor"),
                    gettext_noop("incidents"),
                    gettext_noop("fatalities"),
                ],
                actor_rows(incidents, parameters["known_at"]),
            ),
            Table(
                "by_month",
                gettext_noop("Total by month (each incident counted once)"),
                [gettext_noop("month"), gettext_noop("incidents"), gettext_noop("fatalities")],
                by_month,
            ),
        ]
        return tables, [Chart(gettext_noop("Incidents by month"), "by_month", 0, 1)]
