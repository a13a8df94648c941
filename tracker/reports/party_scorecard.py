"""Party scorecard: what one party owes and how far it has delivered, what breaches it is
accused of, and the incidents it took part in."""

from collections import Counter
from typing import Any

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from agreements.models import Obligation, Party
from agreements.selectors import obligations_as_of
from history.as_of import related_as_of, snapshots_as_of
from tracker.choices import ClaimState
from tracker.models import BreachClaim, IncidentActor
from tracker.reports.base import Chart, Report, Table
from tracker.reports.compliance_matrix import NOT_ASSESSED
from tracker.reports.params import KnownAtField, ReportParams, record_field, valid_on_field
from tracker.reports.registry import register
from tracker.selectors import incidents_as_of, obligations_with_status


class PartyScorecardParams(ReportParams):
    party = record_field(
        Party, "key", required=True, label=_("Party key"), help_text="The party's key."
    )
    valid_on = valid_on_field()
    known_at = KnownAtField()


@register
class PartyScorecard(Report):
    name = "party-scorecard"
    title = _("Party scorecard")
    question = _(
        "For one party: how do the obligations it owes stand, agreement by agreement, which "
        "breaches is it accused of, and in which incidents did it take part?"
    )
    params_serializer = PartyScorecardParams
    example = {"party": "syrian-government-forces", "valid_on": "2021-09-10"}
    permissions = (
        "agreements.view_party",
        "agreements.view_obligation",
        "tracker.view_complianceassessment",
        "tracker.view_breachclaim",
        "tracker.view_incident",
    )

    def compute(self, parameters: dict[str, Any]) -> tuple[list[Table], list[Chart]]:
        party, valid_on, known_at = (
            parameters["party"],
            parameters["valid_on"],
            parameters["known_at"],
        )
        # Everything as the tracker recorded it at known_at; judgements and incidents as they
        # held in the world on valid_on.
        owed = obligations_as_of(known_at).filter(obligor_id=party.pk)
        incidents = incidents_as_of(known_at, occurred_by=valid_on)

        by_agreement = [
            [group["agreement_code"], group["current_status"] or NOT_ASSESSED, group["n"]]
            for group in obligations_with_status(owed, on=valid_on, known_at=known_at)
            .annotate(agreement_code=related_as_of(Obligation, known_at, "clause__agreement__code"))
            .order_by()
            .values("agreement_code", "current_status")
            .annotate(n=Count("id"))
            .order_by("agreement_code", "current_status")
        ]
        # The chart's roll-up is summed from the rows above rather than queried again.
        per_status: Counter = Counter()
        for _agreement, status, count in by_agreement:
            per_status[status] += count

        claimed = dict(
            snapshots_as_of(BreachClaim, known_at)
            .filter(obligation_id__in=owed.values("id"), incident_id__in=incidents.values("id"))
            .order_by()
            .values("state")
            .annotate(n=Count("id"))
            .values_list("state", "n")
        )
        # Every state is listed, so that "none confirmed" reads as a 0 rather than a gap.
        by_claim_state = [[state.value, claimed.get(state.value, 0)] for state in ClaimState]

        involved = snapshots_as_of(IncidentActor, known_at).filter(party_id=party.pk)
        by_month = [
            [group["month"], group["event_type"], group["n"], group["fatalities"]]
            for group in incidents.filter(id__in=involved.values("incident_id"))
            .order_by()
            .values("month", "event_type")
            # An incident with no reported figure adds nothing to the sum.
            .annotate(n=Count("id"), fatalities=Coalesce(Sum("fatalities"), 0))
            .order_by("month", "event_type")
        ]

        tables = [
            Table(
                "by_agreement",
                gettext_noop("Obligations owed, by agreement and status"),
                [gettext_noop("agreement"), gettext_noop("status"), gettext_noop("obligations")],
                by_agreement,
            ),
            Table(
                "by_status",
                gettext_noop("Obligations owed, by status"),
                [gettext_noop("status"), gettext_noop("obligations")],
                [[status, per_status[status]] for status in sorted(per_status)],
            ),
            Table(
                "claims",
                gettext_noop("Breach claims against its obligations, by state"),
                [gettext_noop("state"), gettext_noop("claims")],
                by_claim_state,
            ),
            Table(
                "incidents",
                gettext_noop("Incidents it took part in, by month and event type"),
                [
                    gettext_noop("month"),
                    gettext_noop("event type"),
                    gettext_noop("incidents"),
                    gettext_noop("fatalities"),
                ],
                by_month,
            ),
        ]
        return tables, [Chart(gettext_noop("Obligations by status"), "by_status", 0, 1)]
